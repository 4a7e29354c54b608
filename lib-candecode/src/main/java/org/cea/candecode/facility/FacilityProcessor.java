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
 */
public final class FacilityProcessor {
    /** Name of the rolling sequence counter signal (byte 7 of every facility message). */
    public static final String SEQ_SIGNAL = "seq";
    private static final int SEQ_MODULO = 256;

    private final FacilityProfile profile;
    private final Map<Integer, Double> pressureKpaByNode = new HashMap<>();
    private final Map<Integer, Integer> lastSeq = new HashMap<>();
    /** Frame time (Unix µs) of the newest message per counter key. */
    private final Map<Integer, Long> lastSeqMicros = new HashMap<>();
    private final Map<Integer, Long> lostByNode = new TreeMap<>();
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
                        + " reports a fault of " + b.signal());
            }
        }
        return ranged(spec, value, ts);
    }

    private static SensorReading ranged(SensorSpec spec, double value, long ts) {
        if (!spec.inRange(value)) {
            return invalid(spec, value, ts, spec.name() + " " + value + " " + spec.unit() + " outside the valid range "
                    + spec.min() + ".." + spec.max());
        }
        return new SensorReading(spec.name(), value, spec.unit(), ts, true, null);
    }

    private static SensorReading invalid(SensorSpec spec, double value, long ts, String problem) {
        return new SensorReading(spec.name(), value, spec.unit(), ts, false, problem);
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
        Long newest = lastSeqMicros.get(key);
        if (newest != null && micros < newest) {
            return false;
        }
        lastSeqMicros.put(key, micros);
        int s = (int) Math.floorMod(seq.longValue(), (long) SEQ_MODULO);
        Integer last = lastSeq.put(key, s);
        if (last == null) {
            return true;
        }
        // A repeated counter is a redelivered frame, not a loss; anything else skipped is lost.
        int gap = Math.floorMod(s - last, SEQ_MODULO);
        if (gap > 1) {
            lostByNode.merge(node, (long) gap - 1, Long::sum);
        }
        return true;
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
