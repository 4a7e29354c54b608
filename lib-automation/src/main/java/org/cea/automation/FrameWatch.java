package org.cea.automation;

import java.util.HashMap;
import java.util.Map;
import org.cea.candecode.CanFrame;
import org.cea.candecode.DecodeResult;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.facility.FacilityProcessor;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.candecode.facility.SensorReading;

/**
 * What the raw frames say that the live state does not: when each node last sent anything, and
 * for each sensor whether its newest reading was invalid and how (fault bits or out of range).
 * Fed with every frame of {@code can:raw} (the owner tails the stream); decodes with the same
 * facility profile and processor as the worker. Thread-safe (synchronized); owns no threads.
 */
public final class FrameWatch {
    private final FrameDecoder decoder;
    private final FacilityProcessor processor;
    private final Map<Integer, Long> lastFrame = new HashMap<>();
    private final Map<Integer, Long> resumed = new HashMap<>();
    private final Map<String, SensorState> sensors = new HashMap<>();

    /**
     * The newest known state of one sensor from the frames.
     *
     * @param lastValidMs     Unix ms of the newest valid reading, or 0
     * @param problem         kind of the newest invalid reading, or null when none was seen
     * @param problemValue    its value
     * @param problemSinceMs  Unix ms of the first invalid reading of the current run of them
     * @param lastProblemMs   Unix ms of the newest invalid reading, or 0
     */
    public record SensorState(long lastValidMs, SensorReading.Problem problem, double problemValue, long problemSinceMs,
                              long lastProblemMs) {
        /** True when the newest reading is invalid with this kind. */
        public boolean currently(SensorReading.Problem kind) {
            return problem == kind && lastProblemMs >= lastValidMs && lastProblemMs > 0;
        }
    }

    /** @param profile the facility profile (nodes, sensors, fault bits, ranges) */
    public FrameWatch(FacilityProfile profile) {
        this.decoder = FrameDecoder.forFacility(profile);
        this.processor = new FacilityProcessor(profile);
    }

    /** One frame, in stream order. */
    public synchronized void onFrame(CanFrame f) {
        long ts = f.timestampMillis();
        if (!f.extended()) {
            Long prev = lastFrame.get(f.id() >> 8);
            if (prev != null && ts - prev > AlertEngine.NODE_QUIET_MS) {
                resumed.put(f.id() >> 8, ts);
            }
            lastFrame.merge(f.id() >> 8, ts, Math::max);
        }
        DecodeResult r = decoder.decode(f);
        if (!(r instanceof DecodedMessage m)) {
            return;
        }
        for (SensorReading x : processor.process(m)) {
            SensorState old = sensors.get(x.sensor());
            sensors.put(x.sensor(), next(old, x, x.timestampMillis()));
        }
    }

    private static SensorState next(SensorState old, SensorReading x, long ts) {
        if (x.valid()) {
            return old == null ? new SensorState(ts, null, 0, 0, 0)
                    : new SensorState(Math.max(ts, old.lastValidMs()), old.problem(), old.problemValue(), old.problemSinceMs(),
                    old.lastProblemMs());
        }
        boolean continues = old != null && old.currently(x.kind());
        long since = continues ? old.problemSinceMs() : ts;
        return new SensorState(old == null ? 0 : old.lastValidMs(), x.kind(), x.value(), since, ts);
    }

    /** Unix ms of the newest frame per node. */
    public synchronized Map<Integer, Long> lastFrames() {
        return Map.copyOf(lastFrame);
    }

    /** Unix ms of each node's first frame after its latest silence (a gap over {@link AlertEngine#NODE_QUIET_MS}). */
    public synchronized Map<Integer, Long> resumedAt() {
        return Map.copyOf(resumed);
    }

    /** Per sensor, what the frames said last. */
    public synchronized Map<String, SensorState> sensors() {
        return Map.copyOf(sensors);
    }
}
