package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads the {@link AlertKeys#ACTIVE} hash. Writes happen only together with an event, in
 * {@link AlertEvents#record}. A value that is not an alert is skipped, logged and counted, so one
 * bad entry (written by hand) never hides the others. Thread-safe if the connection is.
 */
public final class ActiveAlerts {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveAlerts.class);
    /** Critical before warning before info, then oldest first. */
    public static final Comparator<Alert> DISPLAY_ORDER = Comparator
            .comparingInt((Alert a) -> "critical".equals(a.severity()) ? 0 : "warning".equals(a.severity()) ? 1 : 2)
            .thenComparing(a -> a.firing() ? 0 : 1).thenComparingLong(Alert::since).thenComparing(Alert::id);
    private final UnifiedJedis jedis;
    private final AtomicLong malformed = new AtomicLong();

    /** The caller owns the connection. */
    public ActiveAlerts(UnifiedJedis jedis) {
        this.jedis = jedis;
    }

    /**
     * Every active alert, critical first (see {@link #DISPLAY_ORDER}).
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public List<Alert> read() {
        Map<String, String> all = call("HGETALL " + AlertKeys.ACTIVE, () -> jedis.hgetAll(AlertKeys.ACTIVE));
        List<Alert> out = new ArrayList<>(all.size());
        for (Map.Entry<String, String> e : all.entrySet()) {
            try {
                out.add(Alert.fromJson(AlertKeys.ACTIVE + " " + e.getKey(), e.getValue()));
            } catch (MalformedEntryException bad) {
                malformed.incrementAndGet();
                LOG.warn("skipping a malformed alert: {}", bad.getMessage());
            }
        }
        out.sort(DISPLAY_ORDER);
        return out;
    }

    /** Hash values skipped as malformed so far. */
    public long malformed() {
        return malformed.get();
    }
}
