package org.cea.tools.worker;

import java.nio.file.Path;
import org.cea.redisio.ConsumerConfig;
import org.cea.redisio.RedisConfig;

/**
 * Everything the worker is configured with, validated at construction.
 *
 * @param redis            Redis connection (socket timeout above the read block time)
 * @param consumer         consumer group settings
 * @param dbUrl            database URL as for {@code Store.open}; password masked in {@link #toString()}
 * @param facilityJson     {@code facility.json}
 * @param dbcFile          {@code cea.dbc}
 * @param statusIntervalMs status log line and {@code worker:status} hash period, ms &gt; 0
 * @param janitorIntervalMs claim/dead-letter pass period, ms &gt; 0
 * @param trimIntervalMs   stream trimming period, ms &gt; 0
 * @param retryInitialMs   first retry delay after the database or Redis failed, ms &gt; 0
 * @param retryMaxMs       retry delay cap, ms &gt;= retryInitialMs
 * @param commitIntervalMs commit window, ms 0 .. {@value #MAX_COMMIT_INTERVAL_MS}: after a read that did not fill a batch,
 *                         new entries are read (their live state written at once) for up to this long and
 *                         committed with it in one transaction; 0 commits every read on its own
 */
record WorkerSettings(RedisConfig redis, ConsumerConfig consumer, String dbUrl, Path facilityJson, Path dbcFile,
                      long statusIntervalMs, long janitorIntervalMs, long trimIntervalMs, long retryInitialMs,
                      long retryMaxMs, long commitIntervalMs) {
    /** Longest commit window: entries wait this long for their commit and acknowledgement. */
    static final long MAX_COMMIT_INTERVAL_MS = 10_000;

    WorkerSettings {
        if (redis == null || consumer == null || facilityJson == null || dbcFile == null) {
            throw new IllegalArgumentException("redis, consumer, facilityJson and dbcFile are required");
        }
        if (dbUrl == null || dbUrl.isBlank()) {
            throw new IllegalArgumentException("a database URL is required (--db-url or DB_URL)");
        }
        if (redis.socketTimeoutMs() <= consumer.blockMs()) {
            throw new IllegalArgumentException("redis socket timeout " + redis.socketTimeoutMs()
                    + " ms must be above the block time " + consumer.blockMs() + " ms");
        }
        if (statusIntervalMs <= 0 || janitorIntervalMs <= 0 || trimIntervalMs <= 0) {
            throw new IllegalArgumentException("intervals must be > 0 ms, were status=" + statusIntervalMs
                    + " janitor=" + janitorIntervalMs + " trim=" + trimIntervalMs);
        }
        if (commitIntervalMs < 0 || commitIntervalMs > MAX_COMMIT_INTERVAL_MS) {
            throw new IllegalArgumentException("--commit-interval-ms must be 0.." + MAX_COMMIT_INTERVAL_MS
                    + ", was " + commitIntervalMs);
        }
        if (retryInitialMs <= 0 || retryMaxMs < retryInitialMs) {
            throw new IllegalArgumentException("retry delays must satisfy 0 < initial <= max, were "
                    + retryInitialMs + ".." + retryMaxMs);
        }
    }

    /** The database URL with any password replaced by {@code ***}. */
    String maskedDbUrl() {
        return org.cea.tsdb.Store.maskPasswords(dbUrl);
    }

    @Override
    public String toString() {
        return "WorkerSettings[redis=" + redis.maskedUrl() + ", " + consumer + ", db=" + maskedDbUrl()
                + ", facility=" + facilityJson + ", dbc=" + dbcFile + ", status=" + statusIntervalMs + "ms, janitor="
                + janitorIntervalMs + "ms, trim=" + trimIntervalMs + "ms, retry=" + retryInitialMs + ".." + retryMaxMs
                + "ms, commit_interval=" + commitIntervalMs + "ms]";
    }
}
