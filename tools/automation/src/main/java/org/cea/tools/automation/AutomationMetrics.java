package org.cea.tools.automation;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.cea.redisio.Alert;

/**
 * Counters and gauges of cea-automation in the Prometheus text format 0.0.4: alerts by state and
 * severity, transitions, notifications and notifier failures per notifier, notifier up/down and
 * backlog, actuator commands, evaluations, Redis reachability.
 */
final class AutomationMetrics {
    private final Map<String, LongAdder> transitions = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
    private final Map<String, Boolean> notifierUp = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> commands = new ConcurrentHashMap<>();
    private final LongAdder evaluations = new LongAdder();
    private final LongAdder staleSuppressed = new LongAdder();
    private volatile boolean redisUp;
    private volatile Collection<Alert> active = java.util.List.of();

    void transition(String t) {
        transitions.computeIfAbsent(t, k -> new LongAdder()).increment();
    }

    void sent(String notifier) {
        sent.computeIfAbsent(notifier, k -> new LongAdder()).increment();
        notifierUp.put(notifier, true);
    }

    void failed(String notifier) {
        failures.computeIfAbsent(notifier, k -> new LongAdder()).increment();
        notifierUp.put(notifier, false);
    }

    void dropped(String notifier) {
        dropped.computeIfAbsent(notifier, k -> new LongAdder()).increment();
    }

    void register(String notifier) {
        notifierUp.putIfAbsent(notifier, true);
    }

    void command(String actuator) {
        commands.computeIfAbsent(actuator, k -> new AtomicLong()).incrementAndGet();
    }

    void evaluated() {
        evaluations.increment();
    }

    void staleSuppressed(long total) {
        staleSuppressed.reset();
        staleSuppressed.add(total);
    }

    void redisUp(boolean up) {
        redisUp = up;
    }

    void active(Collection<Alert> alerts) {
        active = java.util.List.copyOf(alerts);
    }

    long sentCount(String notifier) {
        LongAdder a = sent.get(notifier);
        return a == null ? 0 : a.sum();
    }

    long failureCount(String notifier) {
        LongAdder a = failures.get(notifier);
        return a == null ? 0 : a.sum();
    }

    String render() {
        StringBuilder b = new StringBuilder(2048);
        b.append("# HELP cea_automation_alerts Active alerts by state and severity.\n# TYPE cea_automation_alerts gauge\n");
        for (String state : new String[] {"pending", "firing"}) {
            for (String sev : new String[] {"info", "warning", "critical"}) {
                long n = active.stream().filter(a -> a.state().equals(state) && a.severity().equals(sev)).count();
                b.append("cea_automation_alerts{state=\"").append(state).append("\",severity=\"").append(sev).append("\"} ")
                        .append(n).append('\n');
            }
        }
        counter(b, "cea_automation_transitions_total", "Alert transitions recorded.", "transition", transitions);
        counter(b, "cea_automation_notifications_total", "Notifications delivered per notifier.", "notifier", sent);
        counter(b, "cea_automation_notifier_failures_total", "Failed notification attempts per notifier.", "notifier", failures);
        counter(b, "cea_automation_notifications_dropped_total", "Notifications given up after give_up_after_h.", "notifier",
                dropped);
        b.append("# HELP cea_automation_notifier_up 1 when the notifier's last attempt succeeded.\n"
                + "# TYPE cea_automation_notifier_up gauge\n");
        new TreeMap<>(notifierUp).forEach((k, v) -> b.append("cea_automation_notifier_up{notifier=\"").append(k).append("\"} ")
                .append(v ? 1 : 0).append('\n'));
        b.append("# HELP cea_automation_commands_total Actuator commands published.\n# TYPE cea_automation_commands_total counter\n");
        new TreeMap<>(commands).forEach((k, v) -> b.append("cea_automation_commands_total{actuator=\"").append(k)
                .append("\"} ").append(v.get()).append('\n'));
        b.append("# HELP cea_automation_commands_held_stale_total Command intents held back because an input was stale.\n"
                + "# TYPE cea_automation_commands_held_stale_total counter\ncea_automation_commands_held_stale_total ")
                .append(staleSuppressed.sum()).append('\n');
        b.append("# HELP cea_automation_evaluations_total Rule evaluations.\n# TYPE cea_automation_evaluations_total counter\n"
                + "cea_automation_evaluations_total ").append(evaluations.sum()).append('\n');
        b.append("# HELP cea_automation_redis_up 1 while Redis answers.\n# TYPE cea_automation_redis_up gauge\n"
                + "cea_automation_redis_up ").append(redisUp ? 1 : 0).append('\n');
        return b.toString();
    }

    private static void counter(StringBuilder b, String name, String help, String label, Map<String, LongAdder> m) {
        b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(m).forEach((k, v) -> b.append(name).append('{').append(label).append("=\"").append(k).append("\"} ")
                .append(v.sum()).append('\n'));
    }
}
