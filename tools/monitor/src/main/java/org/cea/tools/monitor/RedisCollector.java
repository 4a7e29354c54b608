package org.cea.tools.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.cea.candecode.facility.SensorSpec;
import org.cea.redisio.ActiveAlerts;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertKeys;
import org.cea.redisio.LiveStateReader;
import org.cea.redisio.LiveValue;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.ScannerStatus;
import org.cea.redisio.ServiceFailures;
import org.cea.redisio.StreamSchema;
import org.cea.redisio.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisDataException;
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
    private static final Logger LOG = LoggerFactory.getLogger(RedisCollector.class);

    private final RedisConfig config;
    private final List<SensorSpec> sensors;
    private final List<String> names = new ArrayList<>();
    private final int failures;
    private final LongSupplier wallMillis;
    private final JedisPooled jedis;
    private final LiveStateReader live;
    private final WorkerStatus status;
    private final ActiveAlerts alerts;
    private final ScannerStatus scannerStatus;
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
        this.jedis = config.openPool(2, config.connectTimeoutMs());
        this.live = new LiveStateReader(jedis);
        this.status = new WorkerStatus(jedis);
        this.alerts = new ActiveAlerts(jedis);
        this.scannerStatus = new ScannerStatus(jedis);
    }

    /**
     * One snapshot; an outage becomes a {@link RedisSnapshot#down} snapshot. A key that Redis
     * holds the wrong type (written by hand, say) only blanks its own section and is
     * listed in {@link RedisSnapshot#problems()}: Redis is up, and the other sections still help.
     */
    RedisSnapshot collect() {
        if (closed.get()) {
            throw new IllegalStateException("RedisCollector is closed");
        }
        long now = wallMillis.getAsLong();
        List<String> problems = new ArrayList<>();
        try {
            Map<String, String> worker = part(WorkerStatus.KEY, status::read, Map.of(), problems);
            long raw = part(StreamSchema.STREAM, () -> jedis.xlen(StreamSchema.STREAM), 0L, problems);
            long dead = part(StreamSchema.DEAD_LETTERS, () -> jedis.xlen(StreamSchema.DEAD_LETTERS), 0L, problems);
            Map<String, LiveValue> values = part("live keys", () -> live.read(names), Map.of(), problems);
            List<String> failed = failures == 0 ? List.of()
                    : part(ServiceFailures.KEY, () -> jedis.lrange(ServiceFailures.KEY, 0, failures - 1L), List.of(), problems);
            List<RedisSnapshot.Sensor> rows = new ArrayList<>(sensors.size());
            for (SensorSpec s : sensors) {
                rows.add(new RedisSnapshot.Sensor(s.name(), s.unit(), values.get(s.name())));
            }
            List<Alert> active = part(AlertKeys.ACTIVE, alerts::read, List.of(), problems);
            Map<String, String> scanner = part(ScannerStatus.KEY, scannerStatus::read, Map.of(), problems);
            return new RedisSnapshot(config.maskedUrl(), now, null, worker, raw, dead, rows, failed, problems, active,
                    scanner);
        } catch (RedisIoException | JedisException e) {
            LOG.debug("redis {} unavailable", config.maskedUrl(), e);
            return RedisSnapshot.down(config.maskedUrl(), now, Text.describe(e));
        }
    }

    /**
     * Reads one section; a WRONGTYPE reply (the key holds another type) becomes a problem and the
     * fallback. Anything else propagates, so an unreachable, loading or refusing (NOAUTH) Redis
     * still makes the whole snapshot DOWN.
     */
    private static <T> T part(String what, Supplier<T> read, T fallback, List<String> problems) {
        try {
            return read.get();
        } catch (JedisDataException | RedisIoException e) {
            String m = String.valueOf(e.getMessage());
            if (!m.contains("WRONGTYPE")) {
                throw e;
            }
            problems.add(what + ": " + m.substring(m.indexOf("WRONGTYPE")));
        }
        return fallback;
    }

    /** Closes the connection pool; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            jedis.close();
        }
    }
}
