package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;

import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * The {@code worker:status} hash read by monitors and {@code /health}: fields {@code processed},
 * {@code rate}, {@code pending}, {@code lag}, {@code dead_lettered}, {@code invalid_readings},
 * {@code lost_frames} (JSON object node → gaps), {@code lost_frames_total}, {@code lost_entries},
 * {@code last_error}, {@code consumer}, {@code db} and {@code updated_at} (Unix ms); additive:
 * {@link #DB_JOBS}, the health of the database's scheduled jobs, written about once a minute.
 */
public final class WorkerStatus {
    /** The hash key. */
    public static final String KEY = "worker:status";

    /**
     * Field: a JSON object {@code {"state", "reason", "checked_at", "jobs": [...]}} with {@code state}
     * {@code ok}, {@code degraded}, {@code not_applicable} (no TimescaleDB) or {@code unknown} (not
     * readable now); each job {@code id}, {@code name}, {@code status}, {@code why}, {@code schedule_s},
     * {@code consecutive_failures}, {@code last_status}, {@code last_run}, {@code last_success},
     * {@code next_start} (Unix ms or null), {@code last_error} (or null). See DESIGN.md "Job health".
     */
    public static final String DB_JOBS = "db_jobs";

    private final UnifiedJedis jedis;

    /** The caller owns the connection. */
    public WorkerStatus(UnifiedJedis jedis) {
        this.jedis = jedis;
    }

    /**
     * One status report.
     *
     * @param consumer         the reporting consumer's name
     * @param processed        entries processed since start, &gt;= 0
     * @param ratePerSec       entries per second over the last interval, &gt;= 0
     * @param pending          entries pending in the group (all consumers), &gt;= 0
     * @param lag              entries not yet delivered to the group, -1 when unknown
     * @param deadLettered     entries dead-lettered since start, &gt;= 0
     * @param invalidReadings  readings out of range or faulted since start, &gt;= 0
     * @param lostFramesByNode sequence gaps per CAN node since start
     * @param lostEntries      stream entries trimmed before they were processed, &gt;= 0
     * @param dbState          {@code ok} or {@code down}
     * @param lastError        the last error message, empty when none
     * @param updatedAtMillis  Unix ms of this report
     */
    public record Snapshot(String consumer, long processed, double ratePerSec, long pending, long lag,
                           long deadLettered, long invalidReadings, Map<Integer, Long> lostFramesByNode,
                           long lostEntries, String dbState, String lastError, long updatedAtMillis) {
        /** Validates and copies. */
        public Snapshot {
            if (processed < 0 || pending < 0 || deadLettered < 0 || invalidReadings < 0 || lostEntries < 0) {
                throw new IllegalArgumentException("counters must be >= 0: processed=" + processed + " pending="
                        + pending + " deadLettered=" + deadLettered + " invalidReadings=" + invalidReadings
                        + " lostEntries=" + lostEntries);
            }
            if (!(ratePerSec >= 0)) {
                throw new IllegalArgumentException("ratePerSec must be >= 0, was " + ratePerSec);
            }
            lostFramesByNode = Map.copyOf(lostFramesByNode);
            lastError = lastError == null ? "" : lastError;
            dbState = dbState == null ? "" : dbState;
        }

        /** Sum of the lost-frame gaps over all nodes. */
        public long lostFramesTotal() {
            return lostFramesByNode.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Writes the snapshot into the hash (HSET of every field, one command).
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public void publish(Snapshot s) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("consumer", s.consumer());
        h.put("processed", Long.toString(s.processed()));
        h.put("rate", String.format(java.util.Locale.ROOT, "%.1f", s.ratePerSec()));
        h.put("pending", Long.toString(s.pending()));
        h.put("lag", Long.toString(s.lag()));
        h.put("dead_lettered", Long.toString(s.deadLettered()));
        h.put("invalid_readings", Long.toString(s.invalidReadings()));
        JsonObject lost = new JsonObject();
        new TreeMap<>(s.lostFramesByNode()).forEach((node, n) -> lost.addProperty(Integer.toString(node), n));
        h.put("lost_frames", lost.toString());
        h.put("lost_frames_total", Long.toString(s.lostFramesTotal()));
        h.put("lost_entries", Long.toString(s.lostEntries()));
        h.put("db", s.dbState());
        h.put("last_error", s.lastError());
        h.put("updated_at", Long.toString(s.updatedAtMillis()));
        call("HSET " + KEY, () -> jedis.hset(KEY, h));
    }

    /**
     * Writes the {@link #DB_JOBS} field alone (the job report is read less often than the counters).
     *
     * @param json the report as described at {@link #DB_JOBS}
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public void publishDbJobs(String json) {
        call("HSET " + KEY + " " + DB_JOBS, () -> jedis.hset(KEY, DB_JOBS, json));
    }

    /**
     * The hash as stored (empty when no worker has reported).
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public Map<String, String> read() {
        return call("HGETALL " + KEY, () -> jedis.hgetAll(KEY));
    }
}
