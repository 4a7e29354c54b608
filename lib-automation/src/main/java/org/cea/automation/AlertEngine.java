package org.cea.automation;

import java.time.Instant;
import java.time.LocalTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    private final AutomationConfig config;
    private final Map<String, String> units;
    private final long startMs;
    private final Map<String, LiveValue> latest = new HashMap<>();
    private final AlertBook book;
    private final AlertText text;
    private final PipelineChecks pipelines;

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
        this.book = new AlertBook(config);
        this.text = new AlertText(config.zone());
        this.pipelines = new PipelineChecks(book, text, startMs);
    }

    /** Takes over the alerts recorded before a restart ({@code alerts:active}): they are not announced again. */
    public void restore(Collection<Alert> active) {
        book.restore(active);
    }

    /** The active alerts (pending and firing). */
    public Collection<Alert> active() {
        return book.active();
    }

    /** One live reading (from {@code sensor:updates} or a poll); older or repeated readings are ignored. */
    public Result onReading(LiveValue v) {
        LiveValue old = latest.get(v.sensor());
        if (old != null && old.tsMillis() >= v.tsMillis()) {
            return new Result(List.of(), List.of());
        }
        latest.put(v.sensor(), v);
        EngineOutput out = new EngineOutput();
        for (Rule r : config.rules()) {
            if (r instanceof Rule.Band b) {
                for (Rule.Target t : b.targets()) {
                    if (t.sensor().equals(v.sensor())) {
                        band(b, t, v, v.tsMillis(), out);
                    }
                }
            } else if (r instanceof Rule.Stale s) {
                for (Rule.Target t : s.targets()) {
                    Alert a = book.get(id(s, t));
                    if (t.sensor().equals(v.sensor()) && a != null) {
                        book.resolve(a, v.value(), "A reading of " + v.sensor() + " arrived again at " + text.clock(v.tsMillis()) + ".",
                                v.tsMillis(), out);
                    }
                }
            }
        }
        return out.result();
    }

    /** Evaluates every rule at {@code o.now()}: time-based transitions, stale, silent, faulted, pipeline, reminders. */
    public Result evaluate(Observations o) {
        EngineOutput out = new EngineOutput();
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
                pipelines.check(p, o, out);
            }
        }
        book.reminders(o.now(), out);
        return out.result();
    }

    /**
     * Applies an acknowledgement request.
     *
     * @return the acknowledged event, or null when no such alert is active (or the request predates it)
     */
    public AlertEvents.Event acknowledge(AlertAcks.Ack ack, long now) {
        return book.acknowledge(ack, now);
    }

    // ---- rules ----

    private void band(Rule.Band b, Rule.Target t, LiveValue v, long ts, EngineOutput out) {
        String id = id(b, t);
        Alert a = book.get(id);
        if (!scheduled(b, t, v.tsMillis())) {
            if (a != null) {
                book.resolve(a, v.value(), b.schedule().name().toLowerCase(Locale.ROOT) + " band of " + t.sensor()
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
            String msg = t.sensor() + (t.room() == null ? "" : " in " + t.room()) + " is " + AlertText.fmt(v.value()) + " " + unit
                    + ", " + (high ? "above " : "below ") + AlertText.fmt(limit) + " " + unit
                    + (b.schedule() == Rule.Schedule.ALWAYS ? "" : " (" + b.schedule().name().toLowerCase(Locale.ROOT) + ")")
                    + (b.holdFor().isZero() ? "" : " for " + b.holdFor().toSeconds() + " s") + ".";
            book.hold(b, id, t, v.value(), limit, msg, v.tsMillis(), ts, out);
        } else if (a != null) {
            book.resolve(a, v.value(), t.sensor() + (t.room() == null ? "" : " in " + t.room()) + " is back at " + AlertText.fmt(v.value())
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

    private void stale(Rule.Stale s, Rule.Target t, Observations o, EngineOutput out) {
        Observations.Pipeline p = o.pipeline();
        if (!p.redisUp() || PipelineChecks.workerDown(p, o.now()) || nodeSilent(t.node(), NODE_QUIET_MS, o)
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
                + (v == null ? " since cea-automation started at " + text.clock(startMs) : " since " + text.clock(last))
                + ": check the sensor and its cable.";
        book.hold(s, id(s, t), t, v == null ? null : v.value(), (double) s.after().toSeconds(), msg, last + after, o.now(), out);
    }

    private void silent(Rule.SilentNode n, Rule.Target t, Observations o, EngineOutput out) {
        String id = id(n, t);
        Alert a = book.get(id);
        Long last = o.lastFrames().get(t.node());
        long after = n.after().toMillis();
        long lastOrStart = last == null ? startMs : last;
        if (o.now() - lastOrStart > after) {
            String msg = "Node " + t.node() + " (" + t.room() + ") sent no frame at all "
                    + (last == null ? "since cea-automation started at " + text.clock(startMs) : "since " + text.clock(last))
                    + ": check its power and CAN cable.";
            book.hold(n, id, t, null, (double) n.after().toSeconds(), msg, lastOrStart + after, o.now(), out);
        } else if (a != null && last != null) {
            book.resolve(a, null, "Node " + t.node() + " (" + t.room() + ") is sending again (" + text.clock(last) + ").",
                    Math.max(last, a.since()), out);
        }
    }

    private void problem(Rule.Problem p, Rule.Target t, Observations o, EngineOutput out) {
        FrameWatch.SensorState st = o.sensors().get(t.sensor());
        if (st == null || nodeSilent(t.node(), 60_000, o)) {
            return;
        }
        SensorReading.Problem kind = "faulted".equals(p.kind()) ? SensorReading.Problem.FAULTED
                : SensorReading.Problem.OUT_OF_RANGE;
        String id = id(p, t);
        Alert a = book.get(id);
        if (st.currently(kind)) {
            String msg = kind == SensorReading.Problem.FAULTED
                    ? "The probe of " + t.sensor() + " reports a fault (status bits) since " + text.clock(st.problemSinceMs())
                    + ": check the probe and its wiring."
                    : t.sensor() + " reads " + AlertText.fmt(st.problemValue()) + " " + units.getOrDefault(t.sensor(), "")
                    + ", outside its valid range, since " + text.clock(st.problemSinceMs()) + ": check the sensor.";
            book.hold(p, id, t, Double.isFinite(st.problemValue()) ? st.problemValue() : null, null, msg, st.problemSinceMs(),
                    o.now(), out);
        } else if (a != null && st.lastValidMs() > st.lastProblemMs()) {
            book.resolve(a, null, t.sensor() + " reads valid values again (" + text.clock(st.lastValidMs()) + ").",
                    Math.max(st.lastValidMs(), a.since()), out);
        }
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

    private static String id(Rule r, Rule.Target t) {
        return r.name() + ":" + t.subject();
    }
}
