package org.cea.tools.monitor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.cea.tsdb.AlertEventLog;
import org.cea.tsdb.AlertEventQuery;
import org.cea.tsdb.AlertEventRow;
import org.cea.tsdb.MessageQuery;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.Store;
import org.cea.tsdb.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one {@link DbSnapshot} per call through lib-tsdb's {@link Store} (no SQL of its own). Never
 * throws for an unreachable or broken database: the snapshot carries the error, the store is
 * dropped and reopened on the next call. Not thread-safe: one collecting thread.
 */
final class DbCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DbCollector.class);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);
    /** How often the database's scheduled jobs are read. */
    static final Duration JOBS_EVERY = Duration.ofSeconds(30);

    private final String url;
    private final String maskedUrl;
    private final int limit;
    private final LongSupplier wallMillis;
    private final LongSupplier monoNanos;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Store store;
    private AlertEventLog alerts;
    private boolean alertsMissing;
    private long prevNewestId = -1;
    private long prevNanos;
    private org.cea.tsdb.JobHealth.Report jobs;
    private long jobsReadNanos;

    /**
     * @param url        database URL as for {@link Store#open(String)}; checked with {@link #checkUrl}
     * @param limit      newest messages shown, 1..{@value MessageQuery#MAX_LIMIT}
     * @param wallMillis wall clock, Unix ms (the time window of the counts)
     * @param monoNanos  monotonic clock, ns (the rate's interval)
     */
    DbCollector(String url, int limit, LongSupplier wallMillis, LongSupplier monoNanos) {
        checkUrl(url);
        if (limit < 1 || limit > MessageQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MessageQuery.MAX_LIMIT + ", was " + limit);
        }
        this.url = url;
        this.maskedUrl = mask(url);
        this.limit = limit;
        this.wallMillis = wallMillis;
        this.monoNanos = monoNanos;
    }

    /**
     * Rejects what {@link Store#open} would never accept, so that a typo is a bad flag (exit 2)
     * rather than an outage the monitor retries for ever.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    static void checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database URL must not be empty");
        }
        boolean known = url.startsWith("jdbc:sqlite:") || url.startsWith("postgresql://")
                || url.startsWith("postgres://") || url.startsWith("jdbc:postgresql:");
        if (!known && (url.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || url.startsWith("jdbc:"))) {
            throw new IllegalArgumentException("unsupported database URL " + mask(url) + ": use jdbc:sqlite:PATH, "
                    + "a file path, postgresql://user:pass@host:port/db or jdbc:postgresql://host:port/db");
        }
    }

    /** The URL with any password replaced by {@code ***}. */
    static String mask(String url) {
        return org.cea.tsdb.Store.maskPasswords(url);
    }

    /** The masked URL this collector reads. */
    String target() {
        return maskedUrl;
    }

    /** One snapshot; an outage becomes a {@link DbSnapshot#down} snapshot. */
    DbSnapshot collect() {
        if (closed.get()) {
            throw new IllegalStateException("DbCollector is closed");
        }
        long now = wallMillis.getAsLong();
        try {
            return read(open(), now);
        } catch (RuntimeException e) {
            // TsdbException for outages and refused queries; anything else from a driver is treated the same way
            LOG.debug("database {} unavailable", maskedUrl, e);
            drop();
            return DbSnapshot.down(maskedUrl, now, Text.describe(e));
        }
    }

    private DbSnapshot read(Store s, long now) {
        List<StoredMessage> rows = s.recentMessages(MessageQuery.latest(limit));
        Instant to = Instant.ofEpochMilli(now + 1);
        Map<String, Long> minute = s.countsByType(to.minus(MINUTE), to);
        Map<String, Long> hour = s.countsByType(to.minus(HOUR), to);
        Map<String, ReadingRow> latest = s.latestPerSensor();
        List<StoredMessage> newestFirst = new ArrayList<>(rows);
        Collections.reverse(newestFirst);
        long newestId = newestFirst.isEmpty() ? 0 : newestFirst.get(0).id();
        return new DbSnapshot(maskedUrl, now, null, s.backend().name(), newestFirst, minute, hour,
                rate(newestId), latest, alertEvents(), jobs(s));
    }

    /** The scheduled jobs' health, read at most every {@link #JOBS_EVERY} (a catalog query, not per screen). */
    private org.cea.tsdb.JobHealth.Report jobs(Store s) {
        long t = monoNanos.getAsLong();
        if (jobs == null || t - jobsReadNanos >= JOBS_EVERY.toNanos()) {
            jobs = s.jobHealth();
            jobsReadNanos = t;
        }
        return jobs;
    }

    /** The newest alert transitions; none when the database has no alert_events table (an older schema). */
    private List<AlertEventRow> alertEvents() {
        if (alertsMissing) {
            return List.of();
        }
        try {
            if (alerts == null) {
                alerts = AlertEventLog.open(url);
            }
            return alerts.recent(AlertEventQuery.latest(200));
        } catch (org.cea.tsdb.StoreUnavailableException e) {
            throw e;
        } catch (org.cea.tsdb.TsdbException e) {
            LOG.debug("no alert history in {}: {}", maskedUrl, e.getMessage());
            alertsMissing = true;
            return List.of();
        }
    }

    /** Rows per second from the growth of the newest id since the previous call; null when unknown. */
    private Double rate(long newestId) {
        long t = monoNanos.getAsLong();
        Double r = null;
        if (prevNewestId >= 0 && newestId >= prevNewestId && t > prevNanos) {
            r = (newestId - prevNewestId) * 1e9 / (t - prevNanos);
        }
        prevNewestId = newestId;
        prevNanos = t;
        return r;
    }

    private Store open() {
        if (store == null) {
            Path file = sqliteFile(url);
            if (file != null && !Files.isRegularFile(file)) {
                // Store.open would create an empty database: a monitor must not leave files behind
                throw new IllegalStateException("no SQLite database at " + file + " (has the worker run yet?)");
            }
            store = Store.open(url);
            prevNewestId = -1;
            jobs = null;
        }
        return store;
    }

    /** The file of a SQLite URL or plain path, null for PostgreSQL. */
    static Path sqliteFile(String url) {
        if (url.startsWith("jdbc:sqlite:")) {
            return Path.of(url.substring("jdbc:sqlite:".length()));
        }
        return url.contains("://") || url.startsWith("jdbc:") ? null : Path.of(url);
    }

    private void drop() {
        if (alerts != null) {
            alerts.close();
            alerts = null;
        }
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.debug("closing {} failed", maskedUrl, e);
            }
            store = null;
        }
    }

    /** Closes the store; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            drop();
        }
    }
}
