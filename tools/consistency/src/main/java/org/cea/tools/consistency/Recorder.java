package org.cea.tools.consistency;

import java.io.PrintStream;
import java.time.ZoneId;
import org.cea.redisio.ConsistencyStatus;
import org.cea.redisio.ConsistencyStatus.Outcome;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.RedisIoException;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Records a run in {@code consistency:status} (lib-redisio {@link ConsistencyStatus}) for the
 * monitors, can-api and the automation rules. A Redis that cannot be reached is a warning on
 * stderr, not a failure of the comparison: its result stands on stdout and in the exit status.
 */
final class Recorder {
    private final RedisConfig config;
    private final PrintStream err;

    /** @param config where Redis is; @param err where a failed recording is reported */
    Recorder(RedisConfig config, PrintStream err) {
        this.config = config;
        this.err = err;
    }

    /** The result of a finished comparison. */
    static ConsistencyStatus.Result result(Report.Header h, Comparison.Totals t, long checkedAtMillis,
                                           long elapsedNanos, ZoneId zone) {
        Difference d = t.newestDifference;
        return new ConsistencyStatus.Result(t.equal() ? Outcome.EQUAL : Outcome.DIFFER, checkedAtMillis,
                h.fromMicros() / 1000, h.toMicros() / 1000, t.minutesCompared, t.minutesDiffer, t.minutesOpen,
                t.legacyRows, t.databaseRows, t.newestMinute < 0 ? null : t.newestMinute / 1000,
                t.newestMinuteLegacyRows, t.newestMinuteDatabaseRows, d == null ? "" : Format.oneLine(d, zone),
                d == null ? null : d.minuteMicros() / 1000, "", h.legacy(), h.database(), elapsedNanos / 1_000_000);
    }

    /** The result of a comparison that could not run. */
    static ConsistencyStatus.Result failed(ConsistencyConfig c, String error, String legacy, String database,
                                           long checkedAtMillis, long elapsedNanos) {
        return new ConsistencyStatus.Result(Outcome.ERROR, checkedAtMillis, c.fromMicros() / 1000, c.toMicros() / 1000,
                0, 0, 0, 0, 0, null, 0, 0, "", null, error, legacy, database, elapsedNanos / 1_000_000);
    }

    /** Publishes {@code r}; true when it was recorded. */
    boolean record(ConsistencyStatus.Result r) {
        try (JedisPooled jedis = config.openClient()) {
            new ConsistencyStatus(jedis).publish(r);
            return true;
        } catch (RedisIoException | JedisException e) {
            err.println("can-consistency: warning: result not recorded in " + ConsistencyStatus.KEY + " at "
                    + config.maskedUrl() + ": " + e.getMessage() + " (the monitors keep showing the previous run)");
            return false;
        }
    }
}
