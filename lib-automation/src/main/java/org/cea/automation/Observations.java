package org.cea.automation;

import java.util.Map;
import org.cea.redisio.LiveValue;

/**
 * Everything one evaluation looks at, collected by the owner (the engine reads nothing itself).
 *
 * @param now         wall clock, Unix ms
 * @param live        live values as read from Redis ({@code MGET}), empty when Redis is down
 * @param lastFrames  newest frame per node ({@link FrameWatch#lastFrames()})
 * @param sensors     per-sensor frame state ({@link FrameWatch#sensors()})
 * @param pipeline    the pipeline's state
 * @param resumedAt   per node, its first frame after its latest silence ({@link FrameWatch#resumedAt()})
 */
public record Observations(long now, Map<String, LiveValue> live, Map<Integer, Long> lastFrames,
                           Map<String, FrameWatch.SensorState> sensors, Pipeline pipeline, Map<Integer, Long> resumedAt) {
    /** Observations without node resumptions. */
    public Observations(long now, Map<String, LiveValue> live, Map<Integer, Long> lastFrames,
                        Map<String, FrameWatch.SensorState> sensors, Pipeline pipeline) {
        this(now, live, lastFrames, sensors, pipeline, Map.of());
    }

    /** Copies. */
    public Observations {
        resumedAt = Map.copyOf(resumedAt);
        live = Map.copyOf(live);
        lastFrames = Map.copyOf(lastFrames);
        sensors = Map.copyOf(sensors);
    }

    /**
     * The pipeline as this service sees it.
     *
     * @param redisUp           whether Redis answered this evaluation
     * @param redisDownSinceMs  Unix ms of the first failure of the current outage, or 0
     * @param workerStatus      the {@code worker:status} hash (empty when missing or Redis is down)
     * @param rawLength         {@code XLEN can:raw}, -1 when unknown
     * @param deadLetters       {@code XLEN can:dead}, -1 when unknown
     * @param lagEntries        entries of {@code can:raw} the worker has not processed (pending + undelivered), -1 when unknown
     * @param oldestUnprocessedMs Unix ms of the oldest of them, 0 when none or unknown
     */
    public record Pipeline(boolean redisUp, long redisDownSinceMs, Map<String, String> workerStatus, long rawLength,
                           long deadLetters, long lagEntries, long oldestUnprocessedMs) {
        /** Copies. */
        public Pipeline {
            workerStatus = Map.copyOf(workerStatus);
        }

        /** Redis down: nothing else is known. */
        public static Pipeline redisDown(long sinceMs) {
            return new Pipeline(false, sinceMs, Map.of(), -1, -1, -1, 0);
        }
    }
}
