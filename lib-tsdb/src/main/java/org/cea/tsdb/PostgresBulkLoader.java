package org.cea.tsdb;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link BulkLoader} on one pgjdbc connection; the load's housekeeping is in {@link LoadMaintenance}. */
final class PostgresBulkLoader implements BulkLoader {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresBulkLoader.class);
    /** COPY data is sent in chunks of about this many characters (bounded memory per batch). */
    private static final int FLUSH_CHARS = 256 * 1024;
    private static final String STAGE_READINGS = "CREATE TEMP TABLE IF NOT EXISTS migrate_readings_stage"
            + " (time timestamptz, sensor text, value double precision) ON COMMIT DELETE ROWS";

    private final StoreUrl url;
    private final String applicationName;
    private final Connection conn;
    private final LoadMaintenance maintenance;
    private final CopyText copyText = new CopyText();
    private final AtomicBoolean closed = new AtomicBoolean();
    private TimescaleState timescale;

    private PostgresBulkLoader(StoreUrl url, String applicationName, Connection conn) {
        this.url = url;
        this.applicationName = applicationName;
        this.conn = conn;
        this.maintenance = new LoadMaintenance(conn, this::fail, this::timescale, this::hasTable);
    }

    static PostgresBulkLoader open(String rawUrl, Function<String, String> env, String applicationName) {
        String u = rawUrl == null ? "" : rawUrl.trim();
        if (!u.startsWith("postgresql://") && !u.startsWith("postgres://") && !u.startsWith("jdbc:postgresql:")) {
            throw new BadDataException("bulk load target must be postgresql://user:pass@host:port/db or"
                    + " jdbc:postgresql://host:port/db, was " + (rawUrl == null ? "null" : StoreUrl.maskPasswords(u)));
        }
        StoreUrl parsed = StoreUrl.parse(u);
        return connect(parsed.withPasswordFallback(env.apply("PGPASSWORD")), applicationName);
    }

    private static PostgresBulkLoader connect(StoreUrl url, String applicationName) {
        Properties p = url.properties();
        p.setProperty("ApplicationName", applicationName);
        try {
            Connection c = DriverManager.getConnection(url.jdbcUrl(), p);
            try {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("SET synchronous_commit = off");
                    st.execute("SET TIME ZONE 'UTC'");
                }
                c.commit();
            } catch (SQLException e) {
                SqlErrors.closeAfter(c, e);
                throw e;
            }
            return new PostgresBulkLoader(url, applicationName, c);
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot connect to " + url + " (SQLSTATE " + e.getSQLState() + "): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public BulkLoader openAnother() {
        return connect(url, applicationName);
    }

    @Override
    public TimescaleState timescale() {
        if (timescale == null) {
            timescale = transaction("reading the TimescaleDB state", this::readTimescale);
        }
        return timescale;
    }

    private TimescaleState readTimescale(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            String installed = firstString(st, "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'");
            // pg_settings, not current_setting(): the setting is visible only to superusers and
            // pg_read_all_settings, and the view leaves it out for other roles instead of failing
            String preload = firstString(st, "SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'");
            if (preload == null && installed != null) {
                // hidden from this role: the extension answers only when its library is loaded
                preload = timescaleAnswers(c, st) ? "timescaledb" : "";
            }
            return new TimescaleState(installed, preload);
        }
    }

    private static String firstString(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** True when a TimescaleDB function runs (it refuses to while the library is not preloaded). */
    private static boolean timescaleAnswers(Connection c, Statement st) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM timescaledb_information.hypertables")) {
            c.releaseSavepoint(sp);
            return rs.next();
        } catch (SQLException e) {
            c.rollback(sp);
            return false;
        }
    }

    @Override
    public boolean hasTable(String name) {
        return transaction("looking up table " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    @Override
    public boolean messagesEmpty() {
        return transaction("checking whether can_messages is empty", c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM can_messages)")) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
    }

    @Override
    public IdRangeRows rowsInIdRange(long afterId, long upToId) {
        String sql = "SELECT count(*), coalesce(min(id), 0) FROM can_messages WHERE id > ? AND id <= ?";
        return transaction("checking for rows in the id range to migrate", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, afterId);
                ps.setLong(2, upToId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new IdRangeRows(rs.getLong(1), rs.getLong(2));
                }
            }
        });
    }

    @Override
    public void ensureSchema() {
        if (!hasTable("can_messages")) {
            LOG.info("{} has no can_messages: creating the schema (sql/timescaledb_setup.sql)", url);
            PostgresStore.applySchema(url);
        }
    }

    @Override
    public <T> T transaction(String what, Query<T> q) {
        try {
            T answer = q.run(conn);
            conn.commit();
            return answer;
        } catch (SQLException e) {
            throw fail(what, e);
        }
    }

    @Override
    public void writeBatch(String what, List<? extends Message> messages, List<? extends Reading> readings, Hook hook) {
        try {
            if (!messages.isEmpty()) {
                copyRows(COPY_MESSAGES, messages, CopyText::legacyMessageRow);
            }
            if (!readings.isEmpty()) {
                copyReadings(readings);
            }
            hook.run(conn);
            conn.commit();
        } catch (SQLException | IOException e) {
            rollbackQuietly(e);
            throw new TsdbException("writing " + what + " to " + url + " failed ("
                    + (e instanceof SQLException s ? "SQLSTATE " + s.getSQLState() + ": " : "") + e.getMessage() + ")", e);
        }
    }

    /** COPY text rows, sent in chunks of about {@link #FLUSH_CHARS}; a failed COPY is cancelled. */
    private <T> void copyRows(String copySql, List<T> rows, BiConsumer<CopyText, T> append)
            throws SQLException, IOException {
        CopyIn copy = conn.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            copyText.reset();
            for (T r : rows) {
                append.accept(copyText, r);
                if (copyText.length() >= FLUSH_CHARS) {
                    flush(copy);
                }
            }
            flush(copy);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private void flush(CopyIn copy) throws SQLException {
        if (copyText.isEmpty()) {
            return;
        }
        byte[] b = copyText.bytes();
        copy.writeToCopy(b, 0, b.length);
        copyText.reset();
    }

    private void copyReadings(List<? extends Reading> rows) throws SQLException, IOException {
        try (Statement st = conn.createStatement()) {
            st.execute(STAGE_READINGS);
        }
        copyRows("COPY migrate_readings_stage (time, sensor, value) FROM STDIN", rows, CopyText::readingRow);
        try (Statement st = conn.createStatement()) {
            // a reading the live worker already stored for the same (sensor, time) is kept as it is
            st.execute("INSERT INTO sensor_readings (time, sensor, value) SELECT time, sensor, value"
                    + " FROM migrate_readings_stage ON CONFLICT DO NOTHING");
        }
    }

    @Override
    public List<String> deferIndexes(RecordingHook<String> record) {
        return maintenance.deferIndexes(record);
    }

    @Override
    public List<Integer> pauseCompressionPolicies(RecordingHook<Integer> record) {
        return maintenance.pauseCompressionPolicies(record);
    }

    @Override
    public void finish(List<String> indexDefinitions, List<Integer> pausedJobs, long idFloor, Hook hook) {
        maintenance.finish(indexDefinitions, pausedJobs, idFloor, hook);
    }

    @Override
    public int compressOldChunks(long beforeMicros) {
        return maintenance.compressOldChunks(beforeMicros);
    }

    @Override
    public List<String> refreshAggregates(long fromMicros, long toMicros, long nowMicros) {
        return maintenance.refreshAggregates(fromMicros, toMicros, nowMicros);
    }

    private void rollbackQuietly(Exception cause) {
        try {
            conn.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private TsdbException fail(String what, SQLException e) {
        rollbackQuietly(e);
        String msg = what + " on " + url + " failed (SQLSTATE " + e.getSQLState() + "): " + e.getMessage();
        return SqlErrors.isUnavailable(e) ? new StoreUnavailableException(msg, e) : new TsdbException(msg, e);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!conn.isClosed()) {
                conn.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("rollback on close failed", e);
        }
        try {
            conn.close();
        } catch (SQLException e) {
            LOG.warn("closing the connection to {} failed", url, e);
        }
    }

    @Override
    public String toString() {
        return "BulkLoader[" + url + "]";
    }
}
