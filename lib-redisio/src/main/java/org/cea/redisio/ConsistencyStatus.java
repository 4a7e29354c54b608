package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * The {@code consistency:status} hash: the result of the newest comparison of the legacy SQLite
 * path with the worker's database ({@code bin/can-consistency}), read by the monitors, can-api and
 * the automation rules (docs/DESIGN.md, "Parallel run"). Each run replaces every field in one HSET,
 * so a reader never sees two runs mixed; fields without a value are empty strings.
 */
public final class ConsistencyStatus {
    /** The hash key. */
    public static final String KEY = "consistency:status";

    /** What the comparison found; {@link #wire()} is the hash's {@code result} field. */
    public enum Outcome {
        /** Every closed minute held the same rows on both paths. */
        EQUAL("equal"),
        /** At least one closed minute differed. */
        DIFFER("differ"),
        /** The comparison could not run (a database unreachable or unreadable); see {@code error}. */
        ERROR("error");

        private final String wire;

        Outcome(String wire) {
            this.wire = wire;
        }

        /** The value stored in the hash. */
        public String wire() {
            return wire;
        }

        static Outcome fromWire(String s) {
            for (Outcome o : values()) {
                if (o.wire.equals(s)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("result must be equal, differ or error, was '" + s + "'");
        }
    }

    /**
     * One comparison's result.
     *
     * @param outcome                  equal, differ or error
     * @param checkedAtMillis          Unix ms the comparison ended
     * @param fromMillis               start of the compared range, Unix ms (a minute boundary)
     * @param toMillis                 end of the range, exclusive, Unix ms, &gt;= {@code fromMillis}
     * @param minutesCompared          closed minutes compared, &gt;= 0
     * @param minutesDiffer            of those, the minutes in which any CAN id differed, 0..minutesCompared
     * @param minutesOpen              minutes still being written at the time (not compared), &gt;= 0
     * @param legacyRows               rows of the compared minutes in the legacy SQLite file, &gt;= 0
     * @param databaseRows             rows of the compared minutes in the worker's database, &gt;= 0
     * @param newestMinuteMillis       start of the newest compared minute, Unix ms, or null when none was compared
     * @param newestMinuteLegacyRows   that minute's rows in the legacy file, &gt;= 0
     * @param newestMinuteDatabaseRows that minute's rows in the worker's database, &gt;= 0
     * @param newestDifference         one line naming the newest differing minute, CAN id, counts and first
     *                                 rows, or empty when none differed
     * @param newestDifferenceMillis   start of that minute, Unix ms, or null when none differed
     * @param error                    why the comparison could not run ({@link Outcome#ERROR}), else empty
     * @param legacy                   the legacy store compared, password masked
     * @param database                 the worker's database compared, password masked
     * @param durationMillis           how long the comparison took, &gt;= 0
     */
    public record Result(Outcome outcome, long checkedAtMillis, long fromMillis, long toMillis, long minutesCompared,
                         long minutesDiffer, long minutesOpen, long legacyRows, long databaseRows,
                         Long newestMinuteMillis, long newestMinuteLegacyRows, long newestMinuteDatabaseRows,
                         String newestDifference, Long newestDifferenceMillis, String error, String legacy,
                         String database, long durationMillis) {
        /** Checks the invariants; null texts become empty. */
        public Result {
            Objects.requireNonNull(outcome, "outcome");
            if (toMillis < fromMillis) {
                throw new IllegalArgumentException("to must be >= from, were from=" + fromMillis + " to=" + toMillis);
            }
            if (minutesCompared < 0 || minutesOpen < 0 || legacyRows < 0 || databaseRows < 0
                    || newestMinuteLegacyRows < 0 || newestMinuteDatabaseRows < 0 || durationMillis < 0) {
                throw new IllegalArgumentException("counts must be >= 0: minutes_compared=" + minutesCompared
                        + " minutes_open=" + minutesOpen + " legacy_rows=" + legacyRows + " database_rows="
                        + databaseRows + " newest minute rows=" + newestMinuteLegacyRows + "/"
                        + newestMinuteDatabaseRows + " duration_ms=" + durationMillis);
            }
            if (minutesDiffer < 0 || minutesDiffer > minutesCompared) {
                throw new IllegalArgumentException("minutes_differ must be 0.." + minutesCompared + ", was "
                        + minutesDiffer);
            }
            if ((outcome == Outcome.DIFFER) != (minutesDiffer > 0)) {
                throw new IllegalArgumentException("result " + outcome.wire() + " with minutes_differ=" + minutesDiffer);
            }
            newestDifference = newestDifference == null ? "" : newestDifference.replaceAll("[\\r\\n]+", " ");
            error = error == null ? "" : error.replaceAll("[\\r\\n]+", " ");
            legacy = legacy == null ? "" : legacy;
            database = database == null ? "" : database;
        }
    }

    private final UnifiedJedis jedis;

    /** The caller owns the connection. */
    public ConsistencyStatus(UnifiedJedis jedis) {
        this.jedis = Objects.requireNonNull(jedis, "jedis");
    }

    /**
     * Replaces the stored result (one HSET of every field).
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public void publish(Result r) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("result", r.outcome().wire());
        h.put("checked_at", Long.toString(r.checkedAtMillis()));
        h.put("from", Long.toString(r.fromMillis()));
        h.put("to", Long.toString(r.toMillis()));
        h.put("minutes_compared", Long.toString(r.minutesCompared()));
        h.put("minutes_differ", Long.toString(r.minutesDiffer()));
        h.put("minutes_open", Long.toString(r.minutesOpen()));
        h.put("legacy_rows", Long.toString(r.legacyRows()));
        h.put("database_rows", Long.toString(r.databaseRows()));
        h.put("newest_minute", r.newestMinuteMillis() == null ? "" : r.newestMinuteMillis().toString());
        h.put("newest_minute_legacy_rows", Long.toString(r.newestMinuteLegacyRows()));
        h.put("newest_minute_database_rows", Long.toString(r.newestMinuteDatabaseRows()));
        h.put("newest_difference", r.newestDifference());
        h.put("newest_difference_minute", r.newestDifferenceMillis() == null ? "" : r.newestDifferenceMillis().toString());
        h.put("error", r.error());
        h.put("legacy", r.legacy());
        h.put("database", r.database());
        h.put("duration_ms", Long.toString(r.durationMillis()));
        call("HSET " + KEY, () -> jedis.hset(KEY, h));
    }

    /**
     * The stored result.
     *
     * @return empty when no comparison has been recorded
     * @throws RedisUnavailableException when Redis cannot be reached
     * @throws RedisIoException          naming the field when the hash holds a value that is not what
     *                                   {@link #publish} writes (or the key is not a hash)
     */
    public Optional<Result> read() {
        Map<String, String> h = call("HGETALL " + KEY, () -> jedis.hgetAll(KEY));
        if (h.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Result(Outcome.fromWire(h.get("result")), number(h, "checked_at"),
                    number(h, "from"), number(h, "to"), number(h, "minutes_compared"), number(h, "minutes_differ"),
                    number(h, "minutes_open"), number(h, "legacy_rows"), number(h, "database_rows"),
                    optional(h, "newest_minute"), number(h, "newest_minute_legacy_rows"),
                    number(h, "newest_minute_database_rows"), h.get("newest_difference"),
                    optional(h, "newest_difference_minute"), h.get("error"), h.get("legacy"), h.get("database"),
                    number(h, "duration_ms")));
        } catch (IllegalArgumentException e) {
            throw new RedisIoException(KEY + ": " + e.getMessage(), e);
        }
    }

    private static long number(Map<String, String> h, String field) {
        Long v = optional(h, field);
        if (v == null) {
            throw new IllegalArgumentException("field " + field + " is missing");
        }
        return v;
    }

    private static Long optional(Map<String, String> h, String field) {
        String s = h.get(field);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "field %s is not an integer: '%s'", field, s), e);
        }
    }
}
