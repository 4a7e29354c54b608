package org.cea.automation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cea.redisio.ActuatorCommands;
import org.cea.redisio.LiveValue;

/**
 * Interlocks between command intents and {@code actuators:commands}: per actuator it keeps the
 * state the rules want and issues a command only when the actuator is not already there, its
 * minimum on / off time has passed, fewer than {@code max_per_minute} commands went out in the
 * last 60 s, and every input sensor of the decision has a live reading (none is stale). An intent
 * that must wait stays wanted and goes out as soon as it may. No threads; not thread-safe.
 */
public final class ActuatorController {
    private final AutomationConfig config;
    private final Map<String, CommandIntent> wanted = new HashMap<>();
    private final Map<String, ActuatorCommands.Command> last = new HashMap<>();
    private final Map<String, Deque<Long>> recent = new HashMap<>();
    private final Map<String, CommandIntent> reportedStale = new HashMap<>();
    private long suppressedStale;

    /** @param config the actuators' interlocks */
    public ActuatorController(AutomationConfig config) {
        this.config = config;
    }

    /** Takes over what was issued before a restart: the newest commands, newest first (from the stream). */
    public void restore(List<ActuatorCommands.Command> newestFirst) {
        for (ActuatorCommands.Command c : newestFirst) {
            last.putIfAbsent(c.actuator(), c);
            recent.computeIfAbsent(c.actuator(), k -> new ArrayDeque<>()).addFirst(c.ts());
        }
    }

    /** A rule wants this. */
    public void want(CommandIntent i) {
        if (config.actuators().containsKey(i.actuator())) {
            wanted.put(i.actuator(), i);
        }
    }

    /**
     * The commands that may go out now.
     *
     * @param now  Unix ms
     * @param live the live values (freshness of the inputs)
     */
    public List<ActuatorCommands.Command> due(long now, Map<String, LiveValue> live) {
        List<ActuatorCommands.Command> out = new ArrayList<>();
        for (CommandIntent i : List.copyOf(wanted.values())) {
            AutomationConfig.Actuator a = config.actuators().get(i.actuator());
            ActuatorCommands.Command prev = last.get(i.actuator());
            if (prev != null && prev.command().equals(i.command()) && prev.value().equals(i.value())) {
                wanted.remove(i.actuator());
                continue;
            }
            if (!fresh(i, now, live)) {
                if (reportedStale.put(i.actuator(), i) != i) {
                    suppressedStale++;
                }
                continue;
            }
            if (prev != null && !interlockOpen(a, prev, i, now)) {
                continue;
            }
            Deque<Long> times = recent.computeIfAbsent(i.actuator(), k -> new ArrayDeque<>());
            while (!times.isEmpty() && now - times.peekFirst() >= 60_000) {
                times.pollFirst();
            }
            if (times.size() >= a.maxPerMinute()) {
                continue;
            }
            ActuatorCommands.Command c = new ActuatorCommands.Command(null, i.actuator(), i.command(), i.value(), i.reason(),
                    i.rule(), now, now + a.expiresAfter().toMillis());
            times.addLast(now);
            last.put(i.actuator(), c);
            wanted.remove(i.actuator());
            reportedStale.remove(i.actuator());
            out.add(c);
        }
        return out;
    }

    private static boolean fresh(CommandIntent i, long now, Map<String, LiveValue> live) {
        for (String s : i.inputs()) {
            LiveValue v = live.get(s);
            if (v == null || now - v.tsMillis() > AlertEngine.LIVE_MS) {
                return false;
            }
        }
        return true;
    }

    private static boolean interlockOpen(AutomationConfig.Actuator a, ActuatorCommands.Command prev, CommandIntent i,
                                         long now) {
        long since = now - prev.ts();
        if ("on".equals(prev.command()) && "off".equals(i.command())) {
            return since >= a.minOn().toMillis();
        }
        if ("off".equals(prev.command()) && "on".equals(i.command())) {
            return since >= a.minOff().toMillis();
        }
        return true;
    }

    /** Intents held back because an input was stale (counted once per intent). */
    public long suppressedStale() {
        return suppressedStale;
    }

    /** Intents waiting (interlock, rate, stale input). */
    public int waiting() {
        return wanted.size();
    }
}
