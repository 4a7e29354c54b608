package org.cea.tools.worker;

import java.util.List;
import org.cea.tsdb.JobHealth;
import org.cea.tsdb.MessageRow;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.Store;
import org.cea.tsdb.StoreUnavailableException;
import org.cea.tsdb.TsdbException;
import org.cea.tsdb.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database side of the worker: opens the store at start-up ({@link #check()}, before the
 * worker joins the consumer group) and reopens it after a failure. Not thread-safe.
 */
final class DbSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DbSink.class);

    private final String url;
    private final String maskedUrl;
    private Store store;
    private boolean closed;

    DbSink(String url, String maskedUrl) {
        this.url = url;
        this.maskedUrl = maskedUrl;
    }

    /**
     * Writes one batch in one transaction (idempotent by source id and (sensor, time)).
     *
     * @throws StoreUnavailableException nothing was committed; retry later
     * @throws TsdbException the batch was refused as bad data (write it entry by entry)
     * @throws IllegalStateException the database URL or schema is unusable (fatal)
     */
    WriteResult write(List<MessageRow> messages, List<ReadingRow> readings) {
        if (closed) {
            throw new IllegalStateException("DbSink is closed");
        }
        try {
            if (store == null) {
                store = open();
            }
            return store.writeBatch(messages, readings);
        } catch (StoreUnavailableException e) {
            closeStore();
            throw e;
        }
    }

    /**
     * The health of the database's scheduled jobs (one catalog query).
     *
     * @throws StoreUnavailableException the database cannot be reached now
     */
    JobHealth.Report jobHealth() {
        if (closed) {
            throw new IllegalStateException("DbSink is closed");
        }
        try {
            if (store == null) {
                store = open();
            }
            return store.jobHealth();
        } catch (StoreUnavailableException e) {
            closeStore();
            throw e;
        }
    }

    /**
     * Opens the store now (start-up check), so that an unusable database stops the worker before
     * it takes any entry; the store stays open for the first batch.
     *
     * @return the backend, for the start-up log line
     * @throws StoreUnavailableException the database cannot be reached now; retry later
     * @throws IllegalStateException the database URL or schema is unusable (fatal)
     */
    String check() {
        if (store == null) {
            store = open();
        }
        return store.backend().toString();
    }

    private Store open() {
        Store s;
        try {
            s = Store.open(url);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (TsdbException e) {
            // a malformed URL or a schema that cannot be applied is configuration, not data: stop
            throw new IllegalStateException("cannot open the database " + maskedUrl + ": " + e.getMessage()
                    + " (fix --db-url / DB_URL)", e);
        }
        LOG.info("database open: {} ({})", maskedUrl, s.backend());
        return s;
    }

    private void closeStore() {
        Store s = store;
        store = null;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the failed store", e);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeStore();
        }
    }
}
