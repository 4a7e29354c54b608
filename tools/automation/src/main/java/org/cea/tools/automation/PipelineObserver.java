package org.cea.tools.automation;

import java.util.List;
import java.util.Map;
import org.cea.automation.FrameWatch;
import org.cea.automation.Observations;
import org.cea.redisio.ConsumerConfig;
import org.cea.redisio.LiveStateReader;
import org.cea.redisio.LiveValue;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.RedisUnavailableException;
import org.cea.redisio.StreamSchema;
import org.cea.redisio.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Reads what one evaluation judges ({@link Observations}: live values, the worker's status, the
 * streams' lengths and backlog, the frame watch) and tracks since when Redis is unreachable.
 */
final class PipelineObserver {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineObserver.class);
    private final JedisPooled jedis;
    private final LiveStateReader liveReader;
    private final List<String> sensorNames;
    private final FrameWatch frames;
    private final OfflineEvents offline;
    private final AutomationMetrics metrics;
    private long redisDownSince;

    PipelineObserver(JedisPooled jedis, LiveStateReader liveReader, List<String> sensorNames, FrameWatch frames,
                     OfflineEvents offline, AutomationMetrics metrics) {
        this.jedis = jedis;
        this.liveReader = liveReader;
        this.sensorNames = sensorNames;
        this.frames = frames;
        this.offline = offline;
        this.metrics = metrics;
    }

    /** Redis was unreachable at the latest observation. */
    boolean redisDown() {
        return redisDownSince != 0;
    }

    /**
     * Observes now.
     *
     * @param onAnswer run once Redis answered all reads, before the frame watch is read (the start-up
     *                 take-over, which seeds the frame watch)
     */
    Observations observe(Runnable onAnswer) {
        long now = System.currentTimeMillis();
        try {
            Map<String, LiveValue> live = liveReader.read(sensorNames);
            Map<String, String> worker = new WorkerStatus(jedis).read();
            long raw = jedis.xlen(StreamSchema.STREAM);
            long dead = jedis.xlen(StreamSchema.DEAD_LETTERS);
            long[] lag = Backlog.of(jedis, StreamSchema.STREAM, ConsumerConfig.DEFAULT_GROUP);
            if (redisDownSince != 0) {
                LOG.info("Redis answers again after {} s", (now - redisDownSince) / 1000);
            }
            redisDownSince = 0;
            offline.redisDown(false);
            metrics.redisUp(true);
            onAnswer.run();
            return new Observations(now, live, frames.lastFrames(), frames.sensors(),
                    new Observations.Pipeline(true, 0, worker, raw, dead, lag[0], lag[1]), frames.resumedAt());
        } catch (RedisUnavailableException | JedisConnectionException e) {
            if (redisDownSince == 0) {
                redisDownSince = now;
                LOG.warn("Redis unreachable: {}", e.getMessage());
            }
            offline.redisDown(true);
            metrics.redisUp(false);
            return new Observations(now, Map.of(), frames.lastFrames(), frames.sensors(),
                    Observations.Pipeline.redisDown(redisDownSince));
        } catch (RedisIoException | JedisException e) {
            // Redis answered, but refused a read (a key of the wrong type, say): judge nothing this time
            LOG.warn("Redis refused a read for this evaluation: {}", e.getMessage());
            return new Observations(now, Map.of(), frames.lastFrames(), frames.sensors(),
                    new Observations.Pipeline(true, 0, Map.of("updated_at", Long.toString(now)), -1, -1, -1, 0));
        }
    }
}
