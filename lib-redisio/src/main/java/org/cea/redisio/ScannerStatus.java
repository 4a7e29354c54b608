package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;

import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * The {@code scanner:status} hash (additive, DESIGN.md "Live state"), written by can-scanner every
 * few seconds while Redis is reachable and read by the monitors: {@code frames}, {@code clock_jumps},
 * {@code clock_jump_last} (e.g. {@code 3600.000 s backward}, empty before any), {@code clock_jump_at}
 * (Unix ms just after the newest jump, empty before any), {@code source}, {@code updated_at} (Unix ms).
 */
public final class ScannerStatus {
    /** The hash key. */
    public static final String KEY = "scanner:status";
    /** A reader treats a status older than this as stale, milliseconds. */
    public static final long STALE_MS = 30_000;

    private final UnifiedJedis jedis;

    /** The caller owns the connection. */
    public ScannerStatus(UnifiedJedis jedis) {
        this.jedis = jedis;
    }

    /**
     * One status report.
     *
     * @param source          the scanner's source ({@code socketcan:can0}, {@code sim})
     * @param frames          frames read since start, &gt;= 0
     * @param clockJumps      wall-clock jumps seen since start, &gt;= 0
     * @param lastJump        the newest jump, or null
     * @param updatedAtMillis Unix ms of this report
     */
    public record Snapshot(String source, long frames, long clockJumps, ClockJumpDetector.Jump lastJump,
                           long updatedAtMillis) {
        /** Validates. */
        public Snapshot {
            if (frames < 0 || clockJumps < 0) {
                throw new IllegalArgumentException("counters must be >= 0: frames=" + frames + " clockJumps=" + clockJumps);
            }
            source = source == null ? "" : source;
        }
    }

    /**
     * Writes the snapshot into the hash (HSET of every field, one command).
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public void publish(Snapshot s) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("source", s.source());
        h.put("frames", Long.toString(s.frames()));
        h.put("clock_jumps", Long.toString(s.clockJumps()));
        ClockJumpDetector.Jump j = s.lastJump();
        h.put("clock_jump_last", j == null ? "" : j.describe());
        h.put("clock_jump_at", j == null ? "" : Long.toString(Math.floorDiv(j.wallMicrosAfter(), 1000L)));
        h.put("updated_at", Long.toString(s.updatedAtMillis()));
        call("HSET " + KEY, () -> jedis.hset(KEY, h));
    }

    /**
     * The hash as stored (empty when no scanner has reported).
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public Map<String, String> read() {
        return call("HGETALL " + KEY, () -> jedis.hgetAll(KEY));
    }
}
