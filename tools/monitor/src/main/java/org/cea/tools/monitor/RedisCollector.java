package org.cea.tools.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.cea.candecode.facility.SensorSpec;
import org.cea.redisio.LiveStateReader;
import org.cea.redisio.LiveValue;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.StreamSchema;
import org.cea.redisio.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Reads one {@link RedisSnapshot} per call: {@code worker:status} (HGETALL), the lengths of
 * {@code can:raw} and {@code can:dead} (XLEN), every profile sensor's live keys in one MGET
 * (lib-redisio's {@link LiveStateReader}) and the newest {@code service:failures} (LRANGE). Never
 * throws for an unreachable Redis: the snapshot carries the error and the pool reconnects on the
 * next call. Thread-safe, but meant for one collecting thread.
 */
final class RedisCollector implements AutoCloseable {
    /** The list written by {@code bin/service_error_handler.sh}, newest first. */
    static final String FAILURES_KEY = "service:failures";
    private static final Logger LOG = LoggerFactory.getLogger(RedisCollector.class);

    private final RedisConfig config;
    private final List<SensorSpec> sensors;
    private final List<String> names = new ArrayList<>();
    private final int failures;
    private final LongSupplier wallMillis;
    private final JedisPooled jedis;
    private final LiveStateReader live;
    private final WorkerStatus status;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param config     where Redis is; its timeouts bound every call
     * @param sensors    the sensors to show (the facility profile's)
     * @param failures   newest {@code service:failures} entries shown, 0..1000
     * @param wallMillis wall clock, Unix ms (ages of readings and of the worker status)
     */
    RedisCollector(RedisConfig config, List<SensorSpec> sensors, int failures, LongSupplier wallMillis) {
        if (failures < 0 || failures > 1000) {
            throw new IllegalArgumentException("failures must be 0..1000, was " + failures);
        }
        this.config = config;
        this.sensors = List.copyOf(sensors);
        this.sensors.forEach(s -> names.add(s.name()));
        this.failures = failures;
        this.wallMillis = wallMillis;
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(2);
        pool.setMaxIdle(2);
        pool.setMinIdle(0);
        pool.setMaxWait(Duration.ofMillis(config.connectTimeoutMs()));
        pool.setJmxEnabled(false);
        this.jedis = new JedisPooled(pool, config.hostAndPort(), config.clientConfig());
        this.live = new LiveStateReader(jedis);
        this.status = new WorkerStatus(jedis);
    }

    /** One snapshot; an outage becomes a {@link RedisSnapshot#down} snapshot. */
    RedisSnapshot collect() {
        if (closed.get()) {
            throw new IllegalStateException("RedisCollector is closed");
        }
        long now = wallMillis.getAsLong();
        try {
            Map<String, String> worker = status.read();
            long raw = jedis.xlen(StreamSchema.STREAM);
            long dead = jedis.xlen(StreamSchema.DEAD_LETTERS);
            Map<String, LiveValue> values = live.read(names);
            List<String> failed = failures == 0 ? List.of() : jedis.lrange(FAILURES_KEY, 0, failures - 1L);
            List<RedisSnapshot.Sensor> rows = new ArrayList<>(sensors.size());
            for (SensorSpec s : sensors) {
                rows.add(new RedisSnapshot.Sensor(s.name(), s.unit(), values.get(s.name())));
            }
            return new RedisSnapshot(config.maskedUrl(), now, null, worker, raw, dead, rows, failed);
        } catch (RedisIoException | JedisException e) {
            LOG.debug("redis {} unavailable", config.maskedUrl(), e);
            return RedisSnapshot.down(config.maskedUrl(), now, Text.describe(e));
        }
    }

    /** Closes the connection pool; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            jedis.close();
        }
    }
}
