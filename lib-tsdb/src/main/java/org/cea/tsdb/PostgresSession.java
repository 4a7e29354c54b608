package org.cea.tsdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection of a {@link PostgresStore}, opened on first use and re-opened after the
 * server restarts. Every call runs in one transaction and is serialized on this object; a call
 * that fails on a connection that had been working is retried once on a fresh one (see
 * {@link #run}), and otherwise reported as {@link StoreUnavailableException} or another
 * {@link TsdbException}.
 */
final class PostgresSession implements AutoCloseable {
    /** The store's logger: these lines were the store's before the split, and log filters name it. */
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);

    /** Work done in one transaction on the session's connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final StoreUrl url;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Connection conn;

    PostgresSession(StoreUrl url) {
        this.url = url;
    }

    /** Runs {@code work} in one transaction, retrying once on a fresh connection when a used one was lost. */
    synchronized <T> T run(String op, Work<T> work) {
        for (int attempt = 0; ; attempt++) {
            boolean reused = conn != null;
            try {
                Connection c = connection();
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly();
                boolean unavailable = SqlErrors.isUnavailable(e);
                if (unavailable) {
                    dropConnection();
                    if (reused && attempt == 0) {
                        LOG.info("{}: connection lost during {} ({}); reconnecting", url, op, SqlErrors.describe(e));
                        continue;
                    }
                }
                throw SqlErrors.wrap(op, url, e);
            }
        }
    }

    /** Like {@link #run} without the retry: rows already handed over must not be handed over twice. */
    synchronized long stream(String op, Work<Long> work) {
        try {
            Connection c = connection();
            long n = work.run(c);
            c.commit();
            return n;
        } catch (SQLException e) {
            rollbackQuietly();
            if (SqlErrors.isUnavailable(e)) {
                dropConnection();
            }
            throw SqlErrors.wrap(op, url, e);
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (closed.get()) {
            throw new IllegalStateException("store " + url + " is closed");
        }
        if (conn == null) {
            Properties p = url.properties();
            p.setProperty("connectTimeout", "5");
            p.setProperty("loginTimeout", "10");
            p.setProperty("tcpKeepAlive", "true");
            // bounds every call (and so close(), which waits for a running call) when the server hangs
            p.setProperty("socketTimeout", "120");
            p.setProperty("ApplicationName", "cea-tsdb");
            Connection c = DriverManager.getConnection(url.jdbcUrl(), p);
            try {
                prepareSession(c);
            } catch (SQLException e) {
                SqlErrors.closeAfter(c, e);
                throw e;
            }
            conn = c;
        }
        return conn;
    }

    private static void prepareSession(Connection c) throws SQLException {
        c.setAutoCommit(false);
        // created once per session and committed, so a rolled-back batch cannot drop them
        try (Statement st = c.createStatement()) {
            // JIT compilation costs seconds on the history query's plan and saves nothing here
            st.execute("SET jit = off");
            st.execute(PostgresBatchWriter.STAGE_TABLES);
        }
        c.commit();
    }

    /** Closes the connection; idempotent. Waits for a running call, which the socket timeout bounds. */
    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            dropConnection();
            LOG.info("closed store {}", url);
        }
    }

    private void dropConnection() {
        Connection c = conn;
        conn = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the connection to {} failed", url, e);
            }
        }
    }

    private void rollbackQuietly() {
        try {
            if (conn != null && !conn.isClosed()) {
                conn.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("rollback on {} failed", url, e);
        }
    }
}
