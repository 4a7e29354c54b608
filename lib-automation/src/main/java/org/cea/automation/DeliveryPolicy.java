package org.cea.automation;

import java.util.List;
import org.cea.redisio.AlertEvents;

/**
 * Which transitions a notifier sends: one message per transition it subscribes to ({@code on}),
 * at or above its minimum severity; never {@code pending} (the hold time is not over); never the
 * resolution of an alert that never fired; never an event it already delivered (listed in
 * {@code notified_by}).
 */
public final class DeliveryPolicy {
    private static final List<String> ORDER = List.of("info", "warning", "critical");

    private DeliveryPolicy() {
    }

    /** True when {@code notifier} should send {@code e}. */
    public static boolean wants(AutomationConfig.Notifier notifier, AlertEvents.Event e) {
        if ("pending".equals(e.transition()) || !notifier.transitions().contains(e.transition())) {
            return false;
        }
        if ("resolved".equals(e.transition()) && e.alert().firedAt() == null) {
            return false;
        }
        if (e.notifiedBy().contains(notifier.name())) {
            return false;
        }
        return ORDER.indexOf(e.alert().severity()) >= ORDER.indexOf(notifier.minSeverity());
    }
}
