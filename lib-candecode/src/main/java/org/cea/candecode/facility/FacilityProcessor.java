package org.cea.candecode.facility;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cea.candecode.DecodedMessage;

/**
 * Turns decoded facility messages into sensor readings: sensor map, calibration, range check,
 * status fault bits, derived {@code rh} and {@code vpd} (FAO-56, using the room's latest valid
 * pressure or the profile's default), and counts sequence-counter gaps as lost frames.
 * Stateful and not thread-safe: one per consumer thread, messages in arrival order.
 *
 * <p>A gap counts as lost frames only when the time since the previous frame of that node and
 * message agrees with it: n missing frames of a message sent every P take about (n + 1) × P, where
 * P is the interval observed between that message's consecutive frames (the firmware's real rate,
 * or the simulator's), else its GenMsgCycleTime. A counter that jumps without the time to match
 * restarted (the node rebooted after a power cut) or wrapped during a silence longer than 256
 * cycles; reporting such a jump as up to 255 lost frames would be a false alarm, so it is counted
 * as a {@linkplain #sequenceResets() reset} instead. With neither an observed interval nor a cycle
 * time every gap counts.
 */
public final class FacilityProcessor {
    /** Name of the rolling sequence counter signal (byte 7 of every facility message). */
    public static final String SEQ_SIGNAL = "seq";
    private static final int SEQ_MODULO = 256;

    private final FacilityProfile profile;
    private final Map<Integer, Double> pressureKpaByNode = new HashMap<>();
    /** Per node and message type: the newest frame's counter and time, and the observed interval. */
    private final Map<Integer, Counter> counters = new HashMap<>();
    private final Map<Integer, Long> lostByNode = new TreeMap<>();
    /** Cycle time by message type, ms; 0 when the DBC gives none. */
    private final Map<String, Integer> cycleMs = new HashMap<>();
    private long resets;
    private long invalid;

    /** A processor for one profile, with no pressure readings and no sequence history yet. */
    public FacilityProcessor(FacilityProfile profile) {
        if (profile == null) {
            throw new IllegalArgumentException("profile must not be null");
        }
        this.profile = profile;
    }

    /**
     * The readings one message yields: measured sensors in sensor-map order, then derived rh/vpd
     * after a dry/wet bulb message. Invalid readings are included with {@code valid=false} and
     * counted. A message from a node without a room, or without mapped signals (HEARTBEAT), yields
     * none.
     *
     * @param message a message decoded by {@link org.cea.candecode.FrameDecoder#forFacility}
     * @return the readings, timestamped with the frame's time
     */
    public List<SensorReading> process(DecodedMessage message) {
        Integer node = message.nodeId();
        if (node == null) {
            return List.of();
        }
        boolean replay = !trackSequence(node, message);
        List<FacilityProfile.Binding> bindings = profile.bindings(node, message.messageType());
        if (bindings.isEmpty()) {
            return List.of();
        }
        long ts = message.frame().timestampMicros();
        List<SensorReading> out = new ArrayList<>(bindings.size() + 2);
        for (FacilityProfile.Binding b : bindings) {
            Number decoded = message.signals().get(b.signal());
            if (decoded != null) {
                out.add(measured(b, decoded.doubleValue(), message, ts));
            }
        }
        FacilityProfile.Derived d = profile.derived(node);
        if (d != null) {
            rememberPressure(node, d, out);
            derive(node, d, out, ts);
        }
        if (!replay) {
            out.forEach(this::count);
        }
        return out;
    }

    private SensorReading measured(FacilityProfile.Binding b, double decoded, DecodedMessage message, long ts) {
        SensorSpec spec = b.spec();
        double value = spec.calibrate(decoded);
        for (FacilityProfile.FaultBit f : profile.faultBits(message.messageType())) {
            Number status = message.signals().get(f.statusSignal());
            if (f.faultedSignal().equals(b.signal()) && status != null && (status.longValue() >>> f.bit() & 1) == 1) {
                return invalid(spec, value, ts, message.messageType() + "." + f.statusSignal() + " bit " + f.bit()
                        + " reports a fault of " + b.signal(), SensorReading.Problem.FAULTED);
            }
        }
        return ranged(spec, value, ts);
    }

    private static SensorReading ranged(SensorSpec spec, double value, long ts) {
        if (!spec.inRange(value)) {
            return invalid(spec, value, ts, spec.name() + " " + value + " " + spec.unit() + " outside the valid range "
                    + spec.min() + ".." + spec.max(), SensorReading.Problem.OUT_OF_RANGE);
        }
        return new SensorReading(spec.name(), value, spec.unit(), ts, true, null);
    }

    private static SensorReading invalid(SensorSpec spec, double value, long ts, String problem) {
        return invalid(spec, value, ts, problem, SensorReading.Problem.IMPOSSIBLE);
    }

    private static SensorReading invalid(SensorSpec spec, double value, long ts, String problem,
                                         SensorReading.Problem kind) {
        return new SensorReading(spec.name(), value, spec.unit(), ts, false, problem, kind);
    }

    private void rememberPressure(int node, FacilityProfile.Derived d, List<SensorReading> readings) {
        if (d.pressureHpa() == null) {
            return;
        }
        for (SensorReading r : readings) {
            if (r.valid() && r.sensor().equals(d.pressureHpa().name())) {
                pressureKpaByNode.put(node, r.value() * FacilityJson.pressureScale(d.pressureHpa()));
            }
        }
    }

    private void derive(int node, FacilityProfile.Derived d, List<SensorReading> out, long ts) {
        SensorReading dry = find(out, d.dryBulb().name());
        SensorReading wet = find(out, d.wetBulb().name());
        if (dry == null || wet == null || !dry.valid() || !wet.valid()) {
            return;
        }
        double p = pressureKpaByNode.getOrDefault(node, profile.defaultPressureKpa());
        double rh = Psychrometrics.rhPct(dry.value(), wet.value(), p, profile.aPsy());
        SensorReading rhReading;
        if (wet.value() > dry.value()) {
            rhReading = invalid(d.rh(), rh, ts, "wet bulb " + wet.value() + " °C above dry bulb " + dry.value() + " °C");
        } else if (!(rh >= 0 && rh <= 100)) {
            rhReading = invalid(d.rh(), rh, ts, "relative humidity " + rh + " % outside 0..100");
        } else {
            rhReading = ranged(d.rh(), rh, ts);
        }
        out.add(rhReading);
        if (d.vpd() != null && rhReading.valid()) {
            out.add(ranged(d.vpd(), Psychrometrics.vpdKpa(dry.value(), rh), ts));
        }
    }

    private static SensorReading find(List<SensorReading> readings, String sensor) {
        for (SensorReading r : readings) {
            if (r.sensor().equals(sensor)) {
                return r;
            }
        }
        return null;
    }

    private void count(SensorReading r) {
        if (!r.valid()) {
            invalid++;
        }
    }

    /**
     * Only the sequence-counter part of {@link #process}: counts the gap a message shows (or a
     * reset), computes no readings. For a judge that sees every frame of the bus while the readings
     * are computed elsewhere.
     *
     * @param message a message decoded by {@link org.cea.candecode.FrameDecoder#forFacility}
     */
    public void trackSequence(DecodedMessage message) {
        if (message.nodeId() != null) {
            trackSequence(message.nodeId(), message);
        }
    }

    /**
     * Counts a sequence gap. An older frame than the newest seen for its counter is a replay (the
     * worker re-reading its pending entries after a database outage, a re-sent spool): it neither
     * counts as a gap nor moves the counter back, so the loss figure operators see stays true.
     *
     * @return false for such a replayed frame
     */
    private boolean trackSequence(int node, DecodedMessage message) {
        Number seq = message.signals().get(SEQ_SIGNAL);
        if (seq == null) {
            return true;
        }
        int key = node << 8 | (message.frame().id() & 0xFF);
        long micros = message.frame().timestampMicros();
        int s = (int) Math.floorMod(seq.longValue(), (long) SEQ_MODULO);
        Counter c = counters.get(key);
        if (c == null) {
            counters.put(key, new Counter(s, micros));
            return true;
        }
        if (micros < c.micros) {
            return false;
        }
        long elapsed = micros - c.micros;
        // a repeated counter is a redelivered frame, not a loss; anything else skipped is lost
        int gap = Math.floorMod(s - c.seq, SEQ_MODULO);
        if (gap == 1 && elapsed > 0) {
            c.periodMicros = c.periodMicros == 0 ? elapsed : 0.8 * c.periodMicros + 0.2 * elapsed;
        } else if (gap > 1) {
            double period = c.periodMicros > 0 ? c.periodMicros : cycleMs(message.messageType()) * 1000.0;
            if (timingAgrees(gap, elapsed, period)) {
                lostByNode.merge(node, (long) gap - 1, Long::sum);
            } else {
                resets++;
            }
        }
        c.seq = s;
        c.micros = micros;
        return true;
    }

    /** The newest frame of one node and message type, and the interval observed between its frames. */
    private static final class Counter {
        int seq;
        long micros;
        /** Moving average of the time between frames whose counters are consecutive, µs; 0 = none yet. */
        double periodMicros;

        Counter(int seq, long micros) {
            this.seq = seq;
            this.micros = micros;
        }
    }

    /**
     * Whether {@code gap} counter steps fit {@code elapsedMicros} at one frame per
     * {@code periodMicros}: between half and one and a half times the expected steps, with one
     * step of slack for jitter. Always true without a period (&lt;= 0).
     */
    static boolean timingAgrees(int gap, long elapsedMicros, double periodMicros) {
        if (periodMicros <= 0) {
            return true;
        }
        double expected = elapsedMicros / periodMicros;
        return gap <= expected * 1.5 + 1 && gap >= expected * 0.5 - 1;
    }

    private int cycleMs(String messageType) {
        return cycleMs.computeIfAbsent(messageType, t -> profile.dbc().messageByName(t)
                .map(m -> m.cycleTimeMs() == null ? 0 : m.cycleTimeMs()).orElse(0));
    }

    /**
     * Sequence counters that jumped without the elapsed time to match (node restarts, silences
     * longer than 256 cycles) since start: not counted as lost frames.
     */
    public long sequenceResets() {
        return resets;
    }

    /**
     * Number of invalid readings produced so far (out of range, faulted, impossible psychrometrics);
     * a replayed frame (older than the newest of its counter) is not counted again.
     */
    public long invalidReadings() {
        return invalid;
    }

    /** Frames lost so far according to sequence-counter gaps, by node address (nodes with losses only). */
    public Map<Integer, Long> lostFramesByNode() {
        return Collections.unmodifiableMap(new TreeMap<>(lostByNode));
    }

    /** Total frames lost so far according to sequence-counter gaps. */
    public long lostFrames() {
        long sum = 0;
        for (long v : lostByNode.values()) {
            sum += v;
        }
        return sum;
    }
}
