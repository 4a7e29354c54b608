package org.cea.tools.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.cea.redisio.ActiveAlerts;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertAcks;
import org.cea.redisio.AutomationStatus;
import org.cea.redisio.LiveStateReader;
import org.cea.redisio.LiveValue;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.RedisUnavailableException;
import org.cea.redisio.StreamSchema;
import org.cea.redisio.WorkerStatus;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The API's view of Redis (DESIGN.md, "Live state"): every sensor's live value in one {@code MGET}
 * (through lib-redisio's {@link LiveStateReader}), the {@code worker:status} hash, the length of
 * {@code can:raw}, and a {@code PING}. Owns a small connection pool; failures become
 * {@link RedisIoException} (mostly {@link RedisUnavailableException}) and are counted in {@link Metrics}.
 */
final class LiveState implements AutoCloseable {
    private final RedisConfig config;
    private final JedisPooled jedis;
    private final LiveStateReader reader;
    private final WorkerStatus workerStatus;
    private final ActiveAlerts activeAlerts;
    private final AlertAcks acks;
    private final AutomationStatus automationStatus;
    private final Metrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param config  where Redis is; its timeouts bound every call
     * @param metrics where failures are counted
     */
    LiveState(RedisConfig config, Metrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.jedis = config.openPool(16, config.connectTimeoutMs());
        this.reader = new LiveStateReader(jedis);
        this.workerStatus = new WorkerStatus(jedis);
        this.activeAlerts = new ActiveAlerts(jedis);
        this.acks = new AlertAcks(jedis);
        this.automationStatus = new AutomationStatus(jedis);
    }

    /** The {@code alerts:active} hash, critical first. */
    List<Alert> activeAlerts() {
        return call(activeAlerts::read);
    }

    /** The {@code automation:status} hash (empty when cea-automation never ran). */
    Map<String, String> automationStatus() {
        return call(automationStatus::read);
    }

    /** Appends an acknowledgement request to {@code alerts:acks}; returns its entry id. */
    String requestAck(AlertAcks.Ack ack) {
        return call(() -> acks.request(ack));
    }

    /** The connection settings (for the subscriber's own connection). */
    RedisConfig config() {
        return config;
    }

    /**
     * Every named sensor's live value in one round trip; sensors without a live key are
     * {@link LiveReading#absent}.
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    Map<String, LiveReading> readAll(List<String> names) {
        Map<String, LiveValue> values = call(() -> reader.read(names));
        Map<String, LiveReading> out = new LinkedHashMap<>(names.size() * 2);
        for (String name : names) {
            LiveValue v = values.get(name);
            out.put(name, v == null ? LiveReading.absent(name) : new LiveReading(name, v.value(), v.tsMillis()));
        }
        return out;
    }

    /** The {@code worker:status} hash (empty when the worker never wrote it). */
    Map<String, String> workerStatus() {
        return call(workerStatus::read);
    }

    /** {@code XLEN can:raw}. */
    long streamLength() {
        return call(() -> wrap("XLEN " + StreamSchema.STREAM, () -> jedis.xlen(StreamSchema.STREAM)));
    }

    /** Round trip time of a {@code PING}, nanoseconds. */
    long ping() {
        long t0 = System.nanoTime();
        call(() -> wrap("PING", jedis::ping));
        return System.nanoTime() - t0;
    }

    private <T> T wrap(String what, Supplier<T> op) {
        try {
            return op.get();
        } catch (JedisException e) {
            throw new RedisUnavailableException(what + " on " + config.maskedUrl() + " failed: " + e.getMessage(), e);
        }
    }

    private <T> T call(Supplier<T> op) {
        if (closed.get()) {
            throw new IllegalStateException("LiveState is closed");
        }
        try {
            return op.get();
        } catch (RedisIoException e) {
            metrics.redisError();
            throw e;
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
