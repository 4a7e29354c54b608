package org.cea.tools.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.cea.tsdb.AlertEventLog;
import org.cea.tsdb.AlertEventQuery;
import org.cea.tsdb.AlertEventRow;
import org.cea.tsdb.BadDataException;
import org.cea.tsdb.HistoryPoint;
import org.cea.tsdb.MessageQuery;
import org.cea.tsdb.Store;
import org.cea.tsdb.StoreUnavailableException;
import org.cea.tsdb.StoredMessage;
import org.cea.tsdb.TsdbException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HistorySource} over a lib-tsdb {@link Store}. The store is opened on first use, not at
 * start-up, so the API starts (and serves live values) while the database is down; a failed open is
 * retried at most every {@link #REOPEN_INTERVAL}. Once open, the store reconnects by itself.
 */
final class StoreHistorySource implements HistorySource {
    /** Shortest time between two attempts to open the database. */
    static final Duration REOPEN_INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(StoreHistorySource.class);
    private final String url;
    private final String maskedUrl;
    private final Metrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Store store;
    private long nextOpenNanos;
    private String lastOpenError;
    private AlertEventLog alerts;
    private long nextAlertsOpenNanos;
    private String lastAlertsError;

    /**
     * @param url       database URL as {@link Store#open} takes it
     * @param maskedUrl the URL with its password masked, for messages
     * @param metrics   where failures are counted
     */
    StoreHistorySource(String url, String maskedUrl, Metrics metrics) {
        this.url = url;
        this.maskedUrl = maskedUrl;
        this.metrics = metrics;
    }

    @Override
    public List<Bucket> history(String sensor, Instant from, Instant to, int maxPoints) {
        List<HistoryPoint> points = call("history of " + sensor, s -> s.history(sensor, from, to, maxPoints));
        List<Bucket> out = new ArrayList<>(points.size());
        for (HistoryPoint p : points) {
            out.add(new Bucket(p.bucket(), p.avg(), p.min(), p.max(), p.count()));
        }
        return out;
    }

    @Override
    public List<Message> messages(int limit, String type, Integer node, Long afterId) {
        MessageQuery q = MessageQuery.latest(limit).withType(type).withNode(node).withAfterId(afterId);
        List<StoredMessage> rows = call("recent messages", s -> s.recentMessages(q));
        List<Message> out = new ArrayList<>(rows.size());
        for (StoredMessage m : rows) {
            Instant ts = Instant.ofEpochSecond(Math.floorDiv(m.timestampMicros(), 1_000_000L),
                    Math.floorMod(m.timestampMicros(), 1_000_000L) * 1_000L);
            out.add(new Message(m.id(), ts, m.canId(), m.extended(), m.nodeId(), m.messageType(), m.dlc(), m.rawData(),
                    m.decodedJson()));
        }
        return out;
    }

    @Override
    public Map<String, org.cea.tsdb.ReadingRow> latest() {
        return call("latest readings", Store::latestPerSensor);
    }

    @Override
    public List<org.cea.tsdb.Summary> summarize(String sensor, List<org.cea.tsdb.SummaryWindow> windows) {
        return call("summary of " + sensor, s -> s.summarize(sensor, windows));
    }

    @Override
    public Store openExport() {
        if (closed.get()) {
            throw new IllegalStateException("history source is closed");
        }
        try {
            return Store.open(url);
        } catch (StoreUnavailableException e) {
            metrics.dbError();
            throw ApiException.unavailable("database", "export: database " + maskedUrl + " unavailable: " + e.getMessage());
        } catch (TsdbException e) {
            metrics.dbError();
            throw new ApiException(500, "database_error", "export: cannot open " + maskedUrl + ": " + e.getMessage(), null);
        }
    }

    @Override
    public Map<String, Long> countsByType(Instant from, Instant to) {
        return call("counts by type", s -> s.countsByType(from, to));
    }

    @Override
    public List<AlertEventRow> alertHistory(AlertEventQuery q) {
        AlertEventLog log = alertLog();
        try {
            return log.recent(q);
        } catch (StoreUnavailableException e) {
            metrics.dbError();
            throw ApiException.unavailable("database", "alert history: database unavailable: " + e.getMessage());
        } catch (BadDataException e) {
            throw new ApiException(400, "bad_request", "alert history: " + e.getMessage(), null);
        } catch (TsdbException e) {
            metrics.dbError();
            LOG.warn("alert history failed on {}", maskedUrl, e);
            throw new ApiException(500, "database_error", "alert history: " + e.getMessage(), null);
        }
    }

    /** Opened on first use like the store, retried at most every {@link #REOPEN_INTERVAL}. */
    private synchronized AlertEventLog alertLog() {
        if (closed.get()) {
            throw new IllegalStateException("history source is closed");
        }
        if (alerts != null) {
            return alerts;
        }
        long now = System.nanoTime();
        if (lastAlertsError != null && now - nextAlertsOpenNanos < 0) {
            metrics.dbError();
            throw ApiException.unavailable("database", "alert history on " + maskedUrl + " unavailable: " + lastAlertsError);
        }
        try {
            alerts = AlertEventLog.open(url);
            return alerts;
        } catch (TsdbException e) {
            lastAlertsError = e.getMessage();
            nextAlertsOpenNanos = now + REOPEN_INTERVAL.toNanos();
            metrics.dbError();
            LOG.warn("cannot open the alert history on {}: {}", maskedUrl, e.getMessage());
            throw ApiException.unavailable("database", "alert history on " + maskedUrl + " unavailable: " + e.getMessage());
        }
    }

    @Override
    public String check() {
        Instant now = Instant.now();
        call("health check", s -> s.countsByType(now.minusSeconds(1), now));
        return call("backend", s -> s.backend().name());
    }

    private <T> T call(String what, Function<Store, T> op) {
        Store s = store();
        try {
            return op.apply(s);
        } catch (StoreUnavailableException e) {
            metrics.dbError();
            throw ApiException.unavailable("database", what + ": database unavailable: " + e.getMessage());
        } catch (BadDataException e) {
            throw new ApiException(400, "bad_request", what + ": " + e.getMessage(), null);
        } catch (TsdbException e) {
            metrics.dbError();
            LOG.warn("{} failed on {}", what, maskedUrl, e);
            throw new ApiException(500, "database_error", what + ": " + e.getMessage(), null);
        }
    }

    private synchronized Store store() {
        if (closed.get()) {
            throw new IllegalStateException("history source is closed");
        }
        if (store != null) {
            return store;
        }
        long now = System.nanoTime();
        if (lastOpenError != null && now - nextOpenNanos < 0) {
            metrics.dbError();
            throw ApiException.unavailable("database", "database " + maskedUrl + " unavailable: " + lastOpenError);
        }
        try {
            store = Store.open(url);
            LOG.info("database {} open ({})", maskedUrl, store.backend());
            return store;
        } catch (TsdbException e) {
            lastOpenError = e.getMessage();
            nextOpenNanos = now + REOPEN_INTERVAL.toNanos();
            metrics.dbError();
            LOG.warn("cannot open database {}: {}", maskedUrl, e.getMessage());
            throw ApiException.unavailable("database", "database " + maskedUrl + " unavailable: " + e.getMessage());
        }
    }

    /** Closes the store if it was opened; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (alerts != null) {
            alerts.close();
            alerts = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
