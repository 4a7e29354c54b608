package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;

import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * The {@link AlertKeys#STATUS} hash (additive contract), written by cea-automation every few
 * seconds: {@code updated_at} (Unix ms), {@code rules}, {@code evaluated_at}, {@code consumer}, and
 * one field {@code notifier:<name>} per notifier holding JSON
 * {@code {"ok":bool,"sent":n,"failures":n,"pending":n,"last_error":"...","last_ok_at":ms}}.
 * Readers treat it as stale when {@code updated_at} is more than 30 s old.
 */
public final class AutomationStatus {
    /** Prefix of the per-notifier fields. */
    public static final String NOTIFIER_PREFIX = "notifier:";
    /** A status older than this, ms, means cea-automation is not running. */
    public static final long STALE_MS = 30_000;
    private final UnifiedJedis jedis;

    /** The caller owns the connection. */
    public AutomationStatus(UnifiedJedis jedis) {
        this.jedis = jedis;
    }

    /**
     * Writes fields (HSET, one command).
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public void publish(Map<String, String> fields) {
        if (!fields.isEmpty()) {
            call("HSET " + AlertKeys.STATUS, () -> jedis.hset(AlertKeys.STATUS, fields));
        }
    }

    /**
     * The hash (empty when cea-automation never ran).
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public Map<String, String> read() {
        return call("HGETALL " + AlertKeys.STATUS, () -> jedis.hgetAll(AlertKeys.STATUS));
    }
}
