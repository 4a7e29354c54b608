package org.cea.automation;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertAcks;
import org.cea.redisio.AlertEvents;

/**
 * The active alerts and their lifecycle (pending → firing → resolved, acknowledged, reminder): the
 * {@link AlertEngine}'s checks say whether a condition holds or cleared; this book decides which
 * transition that is and which command intent goes with it.
 */
final class AlertBook {
    private final AutomationConfig config;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();

    AlertBook(AutomationConfig config) {
        this.config = config;
    }

    /** The active alert with this id, or null. */
    Alert get(String id) {
        return alerts.get(id);
    }

    /** Takes over alerts recorded before a restart whose rule still exists. */
    void restore(Collection<Alert> active) {
        for (Alert a : active) {
            if (config.rule(a.rule()) != null) {
                alerts.put(a.id(), a);
            }
        }
    }

    /** The active alerts (pending and firing). */
    Collection<Alert> active() {
        return List.copyOf(alerts.values());
    }

    /** The acknowledged event, or null when no such alert is active (or the request predates it). */
    AlertEvents.Event acknowledge(AlertAcks.Ack ack, long now) {
        Alert a = alerts.get(ack.alertId());
        if (a == null || ack.ts() < a.since()) {
            return null;
        }
        Alert acked = a.withAck(ack.by(), ack.note(), now);
        alerts.put(acked.id(), acked);
        return new AlertEvents.Event(null, "acknowledged", now, acked, Set.of());
    }

    /**
     * The condition holds: a new alert (pending, or firing at once), or a pending one that fires now.
     *
     * @param sinceMs when the condition began
     * @param ts      the time of this observation (reading time or evaluation time)
     */
    void hold(Rule r, String id, Rule.Target t, Double value, Double threshold, String message, long sinceMs,
              long ts, EngineOutput out) {
        Alert a = alerts.get(id);
        long holdMs = r.holdFor().toMillis();
        if (a == null) {
            String kind = r instanceof Rule.Band ? "band" : r instanceof Rule.Stale ? "stale"
                    : r instanceof Rule.SilentNode ? "silent_node" : r instanceof Rule.Problem p ? p.kind() : "pipeline";
            a = new Alert(id, r.name(), kind, r.severity(), "pending", t.room(), t.sensor(), t.node(), value, threshold,
                    message, sinceMs, null, null, null, null, ts, null);
            if (ts - sinceMs >= holdMs) {
                fire(a, value, message, Math.max(ts, sinceMs + holdMs), out);
            } else {
                alerts.put(id, a);
                out.events.add(new AlertEvents.Event(null, "pending", ts, a, Set.of()));
            }
        } else if (!a.firing() && ts - a.since() >= holdMs) {
            fire(a, value, message, ts, out);
        }
    }

    private void fire(Alert a, Double value, String message, long ts, EngineOutput out) {
        Alert f = a.withObservation(value, message, ts).withState("firing", ts, ts);
        alerts.put(f.id(), f);
        out.events.add(new AlertEvents.Event(null, "firing", ts, f, Set.of()));
        Rule r = config.rule(f.rule());
        if (r instanceof Rule.Band b && b.action() != null) {
            out.intents.add(new CommandIntent(b.action().actuator(), b.action().onFire(), b.action().value(), b.name(),
                    f.message(), List.of(f.sensor()), ts));
        }
    }

    /** The condition cleared: the alert resolves, and a firing band's {@code on_resolve} command goes out. */
    void resolve(Alert a, Double value, String message, long ts, EngineOutput out) {
        alerts.remove(a.id());
        Alert r = a.withObservation(value, message, ts).withState("resolved", a.firedAt(), ts);
        out.events.add(new AlertEvents.Event(null, "resolved", ts, r, Set.of()));
        Rule rule = config.rule(a.rule());
        if (a.firing() && rule instanceof Rule.Band b && b.action() != null && b.action().onResolve() != null) {
            out.intents.add(new CommandIntent(b.action().actuator(), b.action().onResolve(), b.action().value(), b.name(),
                    message, List.of(a.sensor()), ts));
        }
    }

    /** A reminder for every firing, unacknowledged alert whose rule's {@code reminder_h} has passed since the last. */
    void reminders(long now, EngineOutput out) {
        for (Alert a : List.copyOf(alerts.values())) {
            Rule r = config.rule(a.rule());
            if (r == null || r.reminder().isZero() || !a.firing() || a.ackedAt() != null || a.firedAt() == null) {
                continue;
            }
            long last = a.remindedAt() != null ? a.remindedAt() : a.firedAt();
            if (now - last >= r.reminder().toMillis()) {
                Alert x = a.withReminder(now);
                alerts.put(x.id(), x);
                out.events.add(new AlertEvents.Event(null, "reminder", now, x, Set.of()));
            }
        }
    }
}
