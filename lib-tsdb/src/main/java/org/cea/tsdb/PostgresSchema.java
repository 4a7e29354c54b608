package org.cea.tsdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link PostgresStore} finds in its database when it opens: the setup script applied when
 * {@code can_messages} is missing, then the backend (TimescaleDB or plain PostgreSQL) and which
 * aggregates or rollup tables the history and summary queries may read. Warns once per database
 * and JVM about what is missing.
 */
final class PostgresSchema {
    /** The store's logger: these lines were the store's before the split, and log filters name it. */
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    /** Databases already warned about (missing TimescaleDB): one warning per database and JVM, not per reconnect. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    /** Advisory lock key taken by sql/timescaledb_setup.sql. */
    private static final long SETUP_LOCK = 7_263_550_114L;

    /** The backend found and the history queries it supports. */
    record Found(Backend backend, PostgresHistory history) { }

    private PostgresSchema() {
    }

    /** Applies the setup script when {@code can_messages} is missing, then {@link #detect}s. */
    static Found ensure(Connection c, StoreUrl url) throws SQLException {
        if (!tableExists(c, "can_messages")) {
            LOG.info("{}: can_messages is missing, applying sql/timescaledb_setup.sql", url);
            applyScript(c);
        }
        return detect(c, url);
    }

    /** Runs the setup script and commits; the script takes a session advisory lock, released after the commit. */
    static void applyScript(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(SqlScript.load("timescaledb_setup.sql"));
            c.commit();
            st.execute("SELECT pg_advisory_unlock(" + SETUP_LOCK + ")");
        }
    }

    /** Reads the backend and the aggregates the history may use; warns about what is missing, once per database. */
    static Found detect(Connection c, StoreUrl url) throws SQLException {
        boolean tsdb;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')")) {
            rs.next();
            tsdb = rs.getBoolean(1);
        }
        boolean m1 = tsdb && tableExists(c, "sensor_readings_1m");
        boolean h1 = tsdb && tableExists(c, "sensor_readings_1h");
        boolean first = WARNED.add(url.toString());
        if ((m1 || h1) && !Materialised.supported(c, m1 ? "sensor_readings_1m" : "sensor_readings_1h")) {
            // without the watermark and the invalidation logs, old buckets could be missing or stale
            if (first) {
                LOG.warn("{}: this TimescaleDB's catalog does not tell which aggregate buckets are materialised;"
                        + " history uses raw rows", url);
            }
            m1 = false;
            h1 = false;
        }
        if (first && !tsdb) {
            LOG.warn("{}: the TimescaleDB extension is not installed; using plain PostgreSQL tables "
                    + "(no hypertables, compression or continuous aggregates; long history queries scan raw rows)", url);
        } else if (first && !(m1 && h1)) {
            LOG.warn("{}: TimescaleDB without continuous aggregates (apache license?); history uses raw rows", url);
        }
        boolean rollup = !tsdb && rollupTables(c, url, first);
        return new Found(tsdb ? Backend.TIMESCALEDB : Backend.POSTGRES, new PostgresHistory(tsdb, m1, h1, rollup));
    }

    /**
     * Plain PostgreSQL's rollup tables (created by the setup script; a database set up before them
     * gets them when bin/cea-db-setup runs again, and summarises raw rows until then).
     */
    private static boolean rollupTables(Connection c, StoreUrl url, boolean warn) throws SQLException {
        boolean rollup = readable(c, PostgresSummaries.Aggregates.ROLLUP_TABLES.hour())
                && readable(c, PostgresSummaries.Aggregates.ROLLUP_TABLES.minute());
        if (warn && !rollup) {
            LOG.warn("{}: sensor_readings_rollup_1m/_1h missing (set up before they existed) or not readable by this"
                    + " role: history and summaries read raw rows until bin/cea-db-setup runs again", url);
        }
        return rollup;
    }

    /** The table exists and this session's role may SELECT from it. */
    private static boolean readable(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT to_regclass(?) IS NOT NULL AND has_table_privilege(to_regclass(?), 'SELECT')")) {
            ps.setString(1, table);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
