package org.cea.automation;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cea.candecode.facility.SensorReading;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertAcks;
import org.cea.redisio.AlertEvents;
import org.cea.redisio.LiveKeys;
import org.cea.redisio.LiveValue;

/**
 * The rules engine: turns observations into alert transitions (pending → firing → resolved,
 * acknowledged, reminder) and command intents. Pure and single-threaded: it owns no threads and
 * reads nothing; the owner feeds it live readings ({@link #onReading}), periodic
 * {@link Observations} ({@link #evaluate}) and acknowledgements, and records what it returns.
 *
 * <p>Semantics. A condition that cannot be judged (its input is stale, Redis is down, the engine
 * started too recently to know) changes nothing. A condition that holds makes a pending alert
 * ({@code since} = when it began); it fires once it held for the rule's {@code for_s} (at once for
 * 0, then without a pending event). A band clears only once the value is back inside by the
 * hysteresis. A stale sensor is not reported while its node is silent, its newest frames are
 * invalid (faulted / out of range alerts cover it), the worker is down or Redis is unreachable:
 * one cause, one alert. Reminders go out every {@code reminder_h} while firing and not acknowledged.
 */
public final class AlertEngine {
    /** A live value older than this is not live (the live keys' TTL): a band on it cannot be judged. */
    static final long LIVE_MS = LiveKeys.TTL_MS;
    /** The worker counts as down when its status is older than this (as in can-api's /health). */
    static final long WORKER_STALE_MS = 30_000;
    /**
     * A node that sent nothing for this long is silent as far as its sensors' stale alerts go (it
     * sends every second): the silent-node alert covers them, so the cause is reported once.
     */
    static final long NODE_QUIET_MS = 3_000;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private final AutomationConfig config;
    private final Map<String, String> units;
    private final long startMs;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final Map<String, LiveValue> latest = new HashMap<>();
    private long dbDownSince;
    private long deadBaseline = -1;
    private long deadRunStart;
    private long deadLastIncrease;

    /** What one call produced. */
    public record Result(List<AlertEvents.Event> events, List<CommandIntent> intents) {
        /** Copies. */
        public Result {
            events = List.copyOf(events);
            intents = List.copyOf(intents);
        }

        /** Nothing happened. */
        public boolean isEmpty() {
            return events.isEmpty() && intents.isEmpty();
        }
    }

    /**
     * @param config   the rules
     * @param units    unit per sensor name (for messages)
     * @param startMs  Unix ms the engine started: conditions needing history are unknown until they can be judged
     */
    public AlertEngine(AutomationConfig config, Map<String, String> units, long startMs) {
        this.config = config;
        this.units = Map.copyOf(units);
        this.startMs = startMs;
    }

    /** Takes over the alerts recorded before a restart ({@code alerts:active}): they are not announced again. */
    public void restore(Collection<Alert> active) {
        for (Alert a : active) {
            if (config.rule(a.rule()) != null) {
                alerts.put(a.id(), a);
            }
        }
    }

    /** The active alerts (pending and firing). */
    public Collection<Alert> active() {
        return List.copyOf(alerts.values());
    }

    /** One live reading (from {@code sensor:updates} or a poll); older or repeated readings are ignored. */
    public Result onReading(LiveValue v) {
        LiveValue old = latest.get(v.sensor());
        if (old != null && old.tsMillis() >= v.tsMillis()) {
            return new Result(List.of(), List.of());
        }
        latest.put(v.sensor(), v);
        Out out = new Out();
        for (Rule r : config.rules()) {
            if (r instanceof Rule.Band b) {
                for (Rule.Target t : b.targets()) {
                    if (t.sensor().equals(v.sensor())) {
                        band(b, t, v, v.tsMillis(), out);
                    }
                }
            } else if (r instanceof Rule.Stale s) {
                for (Rule.Target t : s.targets()) {
                    Alert a = alerts.get(id(s, t));
                    if (t.sensor().equals(v.sensor()) && a != null) {
                        resolve(a, v.value(), "A reading of " + v.sensor() + " arrived again at " + clock(v.tsMillis()) + ".",
                                v.tsMillis(), out);
                    }
                }
            }
        }
        return out.result();
    }

    /** Evaluates every rule at {@code o.now()}: time-based transitions, stale, silent, faulted, pipeline, reminders. */
    public Result evaluate(Observations o) {
        Out out = new Out();
        if (o.pipeline().redisUp()) {
            o.live().values().forEach(v -> {
                Result r = onReading(v);
                out.events.addAll(r.events());
                out.intents.addAll(r.intents());
            });
        }
        for (Rule r : config.rules()) {
            if (r instanceof Rule.Band b) {
                b.targets().forEach(t -> {
                    LiveValue v = latest.get(t.sensor());
                    if (v != null && o.now() - v.tsMillis() <= LIVE_MS && o.pipeline().redisUp()) {
                        band(b, t, v, o.now(), out);
                    }
                });
            } else if (r instanceof Rule.Stale s) {
                s.targets().forEach(t -> stale(s, t, o, out));
            } else if (r instanceof Rule.SilentNode n) {
                n.nodes().forEach(t -> silent(n, t, o, out));
            } else if (r instanceof Rule.Problem p) {
                p.targets().forEach(t -> problem(p, t, o, out));
            } else if (r instanceof Rule.Pipeline p) {
                pipeline(p, o, out);
            }
        }
        reminders(o.now(), out);
        return out.result();
    }

    /**
     * Applies an acknowledgement request.
     *
     * @return the acknowledged event, or null when no such alert is active (or the request predates it)
     */
    public AlertEvents.Event acknowledge(AlertAcks.Ack ack, long now) {
        Alert a = alerts.get(ack.alertId());
        if (a == null || ack.ts() < a.since()) {
            return null;
        }
        Alert acked = a.withAck(ack.by(), ack.note(), now);
        alerts.put(acked.id(), acked);
        return new AlertEvents.Event(null, "acknowledged", now, acked, Set.of());
    }

    // ---- rules ----

    private void band(Rule.Band b, Rule.Target t, LiveValue v, long ts, Out out) {
        String id = id(b, t);
        Alert a = alerts.get(id);
        if (!scheduled(b, t, v.tsMillis())) {
            if (a != null) {
                resolve(a, v.value(), b.schedule().name().toLowerCase(Locale.ROOT) + " band of " + t.sensor()
                        + " no longer applies (lights schedule).", ts, out);
            }
            return;
        }
        double h = a == null ? 0 : b.hysteresis();
        boolean high = b.max() != null && v.value() > b.max() - h;
        boolean low = b.min() != null && v.value() < b.min() + h;
        String unit = units.getOrDefault(t.sensor(), "");
        if (high || low) {
            double limit = high ? b.max() : b.min();
            String msg = t.sensor() + (t.room() == null ? "" : " in " + t.room()) + " is " + fmt(v.value()) + " " + unit
                    + ", " + (high ? "above " : "below ") + fmt(limit) + " " + unit
                    + (b.schedule() == Rule.Schedule.ALWAYS ? "" : " (" + b.schedule().name().toLowerCase(Locale.ROOT) + ")")
                    + (b.holdFor().isZero() ? "" : " for " + b.holdFor().toSeconds() + " s") + ".";
            hold(b, id, t, v.value(), limit, msg, v.tsMillis(), ts, out);
        } else if (a != null) {
            resolve(a, v.value(), t.sensor() + (t.room() == null ? "" : " in " + t.room()) + " is back at " + fmt(v.value())
                    + " " + unit + ".", ts, out);
        }
    }

    private boolean scheduled(Rule.Band b, Rule.Target t, long atMs) {
        if (b.schedule() == Rule.Schedule.ALWAYS) {
            return true;
        }
        AutomationConfig.Lights lights = config.rooms().get(t.room());
        boolean day = lights.day(LocalTime.ofInstant(Instant.ofEpochMilli(atMs), config.zone()));
        return (b.schedule() == Rule.Schedule.DAY) == day;
    }

    private void stale(Rule.Stale s, Rule.Target t, Observations o, Out out) {
        Observations.Pipeline p = o.pipeline();
        if (!p.redisUp() || workerDown(p, o.now()) || nodeSilent(t.node(), NODE_QUIET_MS, o)
                || nodeInvalid(t, o)) {
            return;
        }
        LiveValue v = latest.get(t.sensor());
        long last = v == null ? startMs : v.tsMillis();
        long after = s.after().toMillis();
        // a node back from a silence gets the full time to deliver each sensor again
        Long resumed = t.node() == null ? null : o.resumedAt().get(t.node());
        if (o.now() - Math.max(last, resumed == null ? 0 : resumed) <= after) {
            return;
        }
        String msg = "No valid reading of " + t.sensor() + (t.room() == null ? "" : " in " + t.room())
                + (v == null ? " since cea-automation started at " + clock(startMs) : " since " + clock(last))
                + ": check the sensor and its cable.";
        hold(s, id(s, t), t, v == null ? null : v.value(), (double) s.after().toSeconds(), msg, last + after, o.now(), out);
    }

    private void silent(Rule.SilentNode n, Rule.Target t, Observations o, Out out) {
        String id = id(n, t);
        Alert a = alerts.get(id);
        Long last = o.lastFrames().get(t.node());
        long after = n.after().toMillis();
        long lastOrStart = last == null ? startMs : last;
        if (o.now() - lastOrStart > after) {
            String msg = "Node " + t.node() + " (" + t.room() + ") sent no frame at all "
                    + (last == null ? "since cea-automation started at " + clock(startMs) : "since " + clock(last))
                    + ": check its power and CAN cable.";
            hold(n, id, t, null, (double) n.after().toSeconds(), msg, lastOrStart + after, o.now(), out);
        } else if (a != null && last != null) {
            resolve(a, null, "Node " + t.node() + " (" + t.room() + ") is sending again (" + clock(last) + ").",
                    Math.max(last, a.since()), out);
        }
    }

    private void problem(Rule.Problem p, Rule.Target t, Observations o, Out out) {
        FrameWatch.SensorState st = o.sensors().get(t.sensor());
        if (st == null || nodeSilent(t.node(), 60_000, o)) {
            return;
        }
        SensorReading.Problem kind = "faulted".equals(p.kind()) ? SensorReading.Problem.FAULTED
                : SensorReading.Problem.OUT_OF_RANGE;
        String id = id(p, t);
        Alert a = alerts.get(id);
        if (st.currently(kind)) {
            String msg = kind == SensorReading.Problem.FAULTED
                    ? "The probe of " + t.sensor() + " reports a fault (status bits) since " + clock(st.problemSinceMs())
                    + ": check the probe and its wiring."
                    : t.sensor() + " reads " + fmt(st.problemValue()) + " " + units.getOrDefault(t.sensor(), "")
                    + ", outside its valid range, since " + clock(st.problemSinceMs()) + ": check the sensor.";
            hold(p, id, t, Double.isFinite(st.problemValue()) ? st.problemValue() : null, null, msg, st.problemSinceMs(),
                    o.now(), out);
        } else if (a != null && st.lastValidMs() > st.lastProblemMs()) {
            resolve(a, null, t.sensor() + " reads valid values again (" + clock(st.lastValidMs()) + ").",
                    Math.max(st.lastValidMs(), a.since()), out);
        }
    }

    private void pipeline(Rule.Pipeline r, Observations o, Out out) {
        Observations.Pipeline p = o.pipeline();
        long now = o.now();
        Rule.Target none = new Rule.Target(null, null, null, null);
        Alert a = alerts.get(r.name());
        switch (r.check()) {
            case REDIS_UNREACHABLE -> {
                if (!p.redisUp()) {
                    hold(r, r.name(), none, null, null, "cea-automation cannot reach Redis since "
                            + clock(p.redisDownSinceMs()) + ": live values, the dashboard and the worker are affected;"
                            + " check redis-server.", p.redisDownSinceMs(), now, out);
                } else if (a != null) {
                    resolve(a, null, "Redis answers again.", now, out);
                }
            }
            case WORKER_DOWN -> {
                if (!p.redisUp()) {
                    return;
                }
                Long updated = parseLong(p.workerStatus().get("updated_at"));
                long last = updated == null ? startMs : updated;
                if (now - last > r.maxAge().toMillis()) {
                    hold(r, r.name(), none, null, (double) r.maxAge().toSeconds(), "can-worker has not reported "
                            + (updated == null ? "since cea-automation started" : "since " + clock(updated))
                            + ": readings are not stored; check systemctl status can-worker.",
                            last + r.maxAge().toMillis(), now, out);
                } else if (a != null) {
                    resolve(a, null, "can-worker reports again.", now, out);
                }
            }
            case DB_DOWN -> dbDown(r, p, now, a, none, out);
            case WORKER_LAG -> lag(r, p, now, a, none, out);
            case DEAD_LETTERS -> deadLetters(r, p, now, a, none, out);
            case STREAM_NEAR_CAP -> {
                if (p.rawLength() < 0) {
                    return;
                }
                double limit = r.fraction() * r.cap();
                if (p.rawLength() >= limit) {
                    hold(r, r.name(), none, (double) p.rawLength(), limit, "can:raw holds " + p.rawLength()
                            + " entries, near its cap of " + r.cap() + ": beyond it frames are lost; is can-worker keeping up?",
                            now, now, out);
                } else if (a != null) {
                    resolve(a, (double) p.rawLength(), "can:raw is back at " + p.rawLength() + " entries.", now, out);
                }
            }
        }
    }

    private void dbDown(Rule.Pipeline r, Observations.Pipeline p, long now, Alert a, Rule.Target none, Out out) {
        if (!p.redisUp() || workerDown(p, now)) {
            return;
        }
        if ("down".equalsIgnoreCase(p.workerStatus().get("db"))) {
            dbDownSince = dbDownSince == 0 ? (a != null ? a.since() : now) : dbDownSince;
            String err = p.workerStatus().getOrDefault("last_error", "");
            hold(r, r.name(), none, null, null, "can-worker cannot write to the database since " + clock(dbDownSince)
                    + (err.isBlank() ? "" : " (" + err + ")") + ": readings wait in Redis; check PostgreSQL.",
                    dbDownSince, now, out);
        } else {
            dbDownSince = 0;
            if (a != null) {
                resolve(a, null, "can-worker writes to the database again.", now, out);
            }
        }
    }

    private void lag(Rule.Pipeline r, Observations.Pipeline p, long now, Alert a, Rule.Target none, Out out) {
        if (!p.redisUp() || p.lagEntries() < 0) {
            return;
        }
        long ageMs = p.oldestUnprocessedMs() > 0 ? Math.max(0, now - p.oldestUnprocessedMs()) : 0;
        boolean entries = r.maxEntries() > 0 && p.lagEntries() > r.maxEntries();
        boolean age = !r.maxAge().isZero() && ageMs > r.maxAge().toMillis();
        if (entries || age) {
            String msg = "can-worker is behind: " + p.lagEntries() + " entries not yet stored, the oldest "
                    + ageMs / 1000 + " s old (limits " + (r.maxEntries() > 0 ? r.maxEntries() + " entries" : "")
                    + (r.maxEntries() > 0 && !r.maxAge().isZero() ? ", " : "")
                    + (r.maxAge().isZero() ? "" : r.maxAge().toSeconds() + " s") + ").";
            hold(r, r.name(), none, entries ? (double) p.lagEntries() : ageMs / 1000.0,
                    entries ? (double) r.maxEntries() : (double) r.maxAge().toSeconds(), msg, now, now, out);
        } else if (a != null) {
            resolve(a, (double) p.lagEntries(), "can-worker has caught up (" + p.lagEntries() + " entries behind).", now, out);
        }
    }

    private void deadLetters(Rule.Pipeline r, Observations.Pipeline p, long now, Alert a, Rule.Target none, Out out) {
        if (!p.redisUp() || p.deadLetters() < 0) {
            return;
        }
        if (deadBaseline < 0 || p.deadLetters() < deadBaseline && deadLastIncrease == 0) {
            deadBaseline = p.deadLetters();
        }
        if (p.deadLetters() > deadBaseline) {
            if (deadLastIncrease == 0 || now - deadLastIncrease > r.maxAge().toMillis()) {
                deadRunStart = now;
            }
            deadLastIncrease = now;
            deadBaseline = p.deadLetters();
        }
        if (deadLastIncrease > 0 && now - deadLastIncrease <= r.maxAge().toMillis()) {
            hold(r, r.name(), none, (double) p.deadLetters(), null, "Entries were dead-lettered to can:dead (now "
                    + p.deadLetters() + ", last at " + clock(deadLastIncrease) + "): bad input from a node or a bug;"
                    + " see monitor_redis_backend.sh.", deadRunStart, now, out);
        } else if (a != null) {
            resolve(a, (double) p.deadLetters(), "No new dead letters for " + r.maxAge().toSeconds() + " s.", now, out);
        }
    }

    private boolean workerDown(Observations.Pipeline p, long now) {
        Long updated = parseLong(p.workerStatus().get("updated_at"));
        return updated == null || now - updated > WORKER_STALE_MS;
    }

    private boolean nodeSilent(Integer node, long afterMs, Observations o) {
        if (node == null) {
            return false;
        }
        Long last = o.lastFrames().get(node);
        return last == null ? o.now() - startMs > afterMs : o.now() - last > afterMs;
    }

    /** Some sensor of the target's node had an invalid reading after the target's newest valid one. */
    private boolean nodeInvalid(Rule.Target t, Observations o) {
        if (t.room() == null) {
            return false;
        }
        LiveValue v = latest.get(t.sensor());
        long lastValid = v == null ? 0 : v.tsMillis();
        for (Map.Entry<String, FrameWatch.SensorState> e : o.sensors().entrySet()) {
            String room = roomOf(e.getKey());
            if (t.room().equals(room) && e.getValue().lastProblemMs() > lastValid
                    && e.getValue().lastProblemMs() >= e.getValue().lastValidMs()) {
                return true;
            }
        }
        return false;
    }

    private String roomOf(String sensor) {
        for (Rule r : config.rules()) {
            List<Rule.Target> ts = r instanceof Rule.Stale s ? s.targets() : r instanceof Rule.Problem p ? p.targets()
                    : r instanceof Rule.Band b ? b.targets() : List.of();
            for (Rule.Target t : ts) {
                if (sensor.equals(t.sensor())) {
                    return t.room();
                }
            }
        }
        return null;
    }

    private void reminders(long now, Out out) {
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

    // ---- lifecycle ----

    /**
     * The condition holds: a new alert (pending, or firing at once), or a pending one that fires now.
     *
     * @param sinceMs when the condition began
     * @param ts      the time of this observation (reading time or evaluation time)
     */
    private void hold(Rule r, String id, Rule.Target t, Double value, Double threshold, String message, long sinceMs,
                      long ts, Out out) {
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

    private void fire(Alert a, Double value, String message, long ts, Out out) {
        Alert f = a.withObservation(value, message, ts).withState("firing", ts, ts);
        alerts.put(f.id(), f);
        out.events.add(new AlertEvents.Event(null, "firing", ts, f, Set.of()));
        Rule r = config.rule(f.rule());
        if (r instanceof Rule.Band b && b.action() != null) {
            out.intents.add(new CommandIntent(b.action().actuator(), b.action().onFire(), b.action().value(), b.name(),
                    f.message(), List.of(f.sensor()), ts));
        }
    }

    private void resolve(Alert a, Double value, String message, long ts, Out out) {
        alerts.remove(a.id());
        Alert r = a.withObservation(value, message, ts).withState("resolved", a.firedAt(), ts);
        out.events.add(new AlertEvents.Event(null, "resolved", ts, r, Set.of()));
        Rule rule = config.rule(a.rule());
        if (a.firing() && rule instanceof Rule.Band b && b.action() != null && b.action().onResolve() != null) {
            out.intents.add(new CommandIntent(b.action().actuator(), b.action().onResolve(), b.action().value(), b.name(),
                    message, List.of(a.sensor()), ts));
        }
    }

    private static String id(Rule r, Rule.Target t) {
        return r.name() + ":" + t.subject();
    }

    private String clock(long ms) {
        return CLOCK.format(Instant.ofEpochMilli(ms).atZone(zone()));
    }

    private ZoneId zone() {
        return config.zone();
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static Long parseLong(String s) {
        try {
            return s == null ? null : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final class Out {
        final List<AlertEvents.Event> events = new ArrayList<>();
        final List<CommandIntent> intents = new ArrayList<>();

        Result result() {
            return new Result(events, intents);
        }
    }
}
