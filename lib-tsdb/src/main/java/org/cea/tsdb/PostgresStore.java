package org.cea.tsdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL or TimescaleDB ({@code cea_sensors}). A batch is COPYed straight into each table;
 * when that meets an existing key (a replayed batch) it is COPYed into a session-local staging
 * table instead and moved with {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}, so a replayed
 * batch writes nothing twice. Rows the database refuses are then isolated one by one. One connection, re-opened after the server restarts: a call
 * that fails on a connection that had been working is retried once on a fresh one (every call is
 * idempotent), and otherwise reported as {@link StoreUnavailableException}.
 */
final class PostgresStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    /** Databases already warned about (missing TimescaleDB): one warning per database and JVM, not per reconnect. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static final String TS = "TIMESTAMPTZ 'epoch' + %s * INTERVAL '1 microsecond'";
    private static final String MICROS = "(extract(epoch FROM %s) * 1000000)::bigint";
    private static final String STAGE_TABLES = "CREATE TEMP TABLE IF NOT EXISTS cea_stage_messages (n integer, source_id text,"
            + " ts_us bigint, can_id integer, extended boolean, node_id integer, message_type text, dlc integer,"
            + " raw_data text, decoded_data text) ON COMMIT DELETE ROWS;"
            + " CREATE TEMP TABLE IF NOT EXISTS cea_stage_readings (ts_us bigint, sensor text, value double precision)"
            + " ON COMMIT DELETE ROWS";
    private static final String INSERT_COLUMNS = "INSERT INTO can_messages (source_id, timestamp, can_id, extended,"
            + " node_id, message_type, dlc, raw_data, decoded_data) ";
    private static final String FROM_STAGE_MESSAGES = INSERT_COLUMNS + "SELECT source_id, " + String.format(TS, "ts_us")
            + ", can_id, extended, node_id, message_type, dlc, raw_data, decoded_data::jsonb FROM cea_stage_messages"
            + " ORDER BY n ON CONFLICT (source_id, timestamp) DO NOTHING";
    private static final String FROM_STAGE_READINGS = "INSERT INTO sensor_readings (time, sensor, value) SELECT "
            + String.format(TS, "ts_us") + ", sensor, value FROM cea_stage_readings ON CONFLICT (sensor, time) DO NOTHING";
    private static final String DIRECT_MESSAGES = "COPY can_messages (source_id, timestamp, can_id, extended, node_id,"
            + " message_type, dlc, raw_data, decoded_data) FROM STDIN";
    private static final String DIRECT_READINGS = "COPY sensor_readings (time, sensor, value) FROM STDIN";
    private static final String UNIQUE_VIOLATION = "23505";
    /** Advisory lock key taken by sql/timescaledb_setup.sql. */
    private static final long SETUP_LOCK = 7_263_550_114L;
    private static final String ONE_MESSAGE = INSERT_COLUMNS + "VALUES (?, " + String.format(TS, "?")
            + ", ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (source_id, timestamp) DO NOTHING";
    private static final String ONE_READING = "INSERT INTO sensor_readings (time, sensor, value) VALUES ("
            + String.format(TS, "?") + ", ?, ?) ON CONFLICT (sensor, time) DO NOTHING";

    /** Work done in one transaction on the store's connection. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final StoreUrl url;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CopyText copy = new CopyText();
    private Connection conn;
    private volatile Backend backend;
    private PostgresHistory history;
    private SQLException lastProblem;

    private PostgresStore(StoreUrl url) {
        this.url = url;
    }

    static PostgresStore open(StoreUrl url) {
        PostgresStore s = new PostgresStore(url);
        try {
            s.run("opening", c -> {
                if (!tableExists(c, "can_messages")) {
                    LOG.info("{}: can_messages is missing, applying sql/timescaledb_setup.sql", url);
                    applyScript(c);
                }
                s.detect(c);
                return null;
            });
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        LOG.info("opened {} store {}", s.backend, url);
        return s;
    }

    static Backend applySchema(StoreUrl url) {
        try (PostgresStore s = new PostgresStore(url)) {
            s.run("applying the schema", c -> {
                applyScript(c);
                s.detect(c);
                return null;
            });
            return s.backend;
        }
    }

    /** Runs the setup script and commits; the script takes a session advisory lock, released after the commit. */
    private static void applyScript(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(SqlScript.load("timescaledb_setup.sql"));
            c.commit();
            st.execute("SELECT pg_advisory_unlock(" + SETUP_LOCK + ")");
        }
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

    private void detect(Connection c) throws SQLException {
        boolean tsdb;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')")) {
            rs.next();
            tsdb = rs.getBoolean(1);
        }
        Backend found = tsdb ? Backend.TIMESCALEDB : Backend.POSTGRES;
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
        // plain PostgreSQL's rollup tables (created by the setup script; a database set up before
        // them gets them when bin/cea-db-setup runs again, and summarises raw rows until then)
        boolean rollup = !tsdb && readable(c, PostgresSummaries.Aggregates.ROLLUP_TABLES.hour())
                && readable(c, PostgresSummaries.Aggregates.ROLLUP_TABLES.minute());
        if (first && !tsdb && !rollup) {
            LOG.warn("{}: sensor_readings_rollup_1m/_1h missing (set up before they existed) or not readable by this"
                    + " role: history and summaries read raw rows until bin/cea-db-setup runs again", url);
        }
        backend = found;
        history = new PostgresHistory(tsdb, m1, h1, rollup);
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
                c.setAutoCommit(false);
                // created once per session and committed, so a rolled-back batch cannot drop them
                try (Statement st = c.createStatement()) {
                    // JIT compilation costs seconds on the history query's plan and saves nothing here
                    st.execute("SET jit = off");
                    st.execute(STAGE_TABLES);
                }
                c.commit();
            } catch (SQLException e) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            conn = c;
        }
        return conn;
    }

    /** Runs {@code work} in one transaction, retrying once on a fresh connection when a used one was lost. */
    private synchronized <T> T run(String op, Work<T> work) {
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

    @Override
    public WriteResult writeBatch(List<MessageRow> messages, List<ReadingRow> readings) {
        BatchRows rows = new BatchRows(messages, readings);
        int[] counts = run("writing a batch of " + rows.messages.size() + " messages and " + rows.readings.size()
                + " readings", c -> writeRows(c, rows));
        if (!rows.rejected.isEmpty()) {
            LOG.warn("batch on {}: {} rows rejected, first: {}", url, rows.rejected.size(), rows.rejected.get(0).describe());
        }
        return new WriteResult(counts[0], counts[1], counts[2], counts[3], rows.rejected);
    }

    /**
     * Optimistic path first: COPY straight into both tables, as fast as {@code psql \copy}, with no
     * savepoint round trips. When that meets an existing key (a replayed batch, SQLSTATE 23505)
     * the transaction is rolled back and the batch goes through the staging tables and ON CONFLICT
     * DO NOTHING; when the database refuses a row, through single-row inserts that isolate it.
     */
    private int[] writeRows(Connection c, BatchRows rows) throws SQLException {
        rows.clearDatabaseRejections();
        try {
            return direct(c, rows);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !SqlErrors.isBadData(e)) {
                throw e;
            }
            c.rollback();
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                try {
                    return staged(c, rows);
                } catch (SQLException again) {
                    if (!SqlErrors.isBadData(again)) {
                        throw again;
                    }
                    c.rollback();
                    e = again;
                }
            }
            LOG.warn("batch on {} refused ({}); writing row by row to isolate the bad rows", url, SqlErrors.describe(e));
            return rowByRow(c, rows);
        }
    }

    private int[] direct(Connection c, BatchRows rows) throws SQLException {
        if (!rows.messages.isEmpty()) {
            copy.reset();
            rows.messages.forEach(copy::messageRow);
            copyIn(c, DIRECT_MESSAGES);
        }
        if (!rows.readings.isEmpty()) {
            copy.reset();
            rows.readings.forEach(copy::readingRow);
            copyIn(c, DIRECT_READINGS);
        }
        return new int[] {rows.messages.size(), 0, rows.readings.size(), 0};
    }

    private int[] staged(Connection c, BatchRows rows) throws SQLException {
        int[] counts = new int[4];
        try (Statement st = c.createStatement()) {
            if (!rows.messages.isEmpty()) {
                copy.reset();
                for (int k = 0; k < rows.messages.size(); k++) {
                    copy.message(k, rows.messages.get(k));
                }
                copyIn(c, "COPY cea_stage_messages FROM STDIN");
                counts[0] = st.executeUpdate(FROM_STAGE_MESSAGES);
                counts[1] = rows.messages.size() - counts[0];
            }
            if (!rows.readings.isEmpty()) {
                copy.reset();
                rows.readings.forEach(copy::reading);
                copyIn(c, "COPY cea_stage_readings FROM STDIN");
                counts[2] = st.executeUpdate(FROM_STAGE_READINGS);
                counts[3] = rows.readings.size() - counts[2];
            }
        }
        return counts;
    }

    private void copyIn(Connection c, String sql) throws SQLException {
        byte[] data = copy.bytes();
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            in.writeToCopy(data, 0, data.length);
            in.endCopy();
        } catch (SQLException e) {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private int[] rowByRow(Connection c, BatchRows rows) throws SQLException {
        int[] counts = new int[4];
        try (PreparedStatement ps = c.prepareStatement(ONE_MESSAGE)) {
            for (int k = 0; k < rows.messages.size(); k++) {
                MessageRow m = rows.messages.get(k);
                ps.setString(1, m.sourceId());
                ps.setLong(2, m.timestampMicros());
                ps.setInt(3, m.canId());
                ps.setBoolean(4, m.extended());
                ps.setObject(5, m.nodeId(), Types.INTEGER);
                ps.setString(6, m.messageType());
                ps.setInt(7, m.dlc());
                ps.setString(8, m.rawData());
                ps.setString(9, m.decodedJson());
                Integer n = isolated(c, ps);
                if (n == null) {
                    rows.rejectMessage(k, lastProblem);
                } else {
                    counts[n == 1 ? 0 : 1]++;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(ONE_READING)) {
            for (int k = 0; k < rows.readings.size(); k++) {
                ReadingRow r = rows.readings.get(k);
                ps.setLong(1, r.timeMicros());
                ps.setString(2, r.sensor());
                ps.setDouble(3, r.value());
                Integer n = isolated(c, ps);
                if (n == null) {
                    rows.rejectReading(k, lastProblem);
                } else {
                    counts[n == 1 ? 2 : 3]++;
                }
            }
        }
        return counts;
    }

    /** Executes one row under a savepoint; null (and {@link #lastProblem} set) when the database refuses the data. */
    private Integer isolated(Connection c, PreparedStatement ps) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try {
            int n = ps.executeUpdate();
            c.releaseSavepoint(sp);
            return n;
        } catch (SQLException e) {
            if (!SqlErrors.isBadData(e)) {
                throw e;
            }
            c.rollback(sp);
            lastProblem = e;
            return null;
        }
    }

    @Override
    public List<HistoryPoint> history(String sensor, Instant from, Instant to, int maxPoints) {
        Times.checkHistoryArgs(sensor, maxPoints);
        long[] w = Times.window(from, to);
        long width = Buckets.width(w[0], w[1], maxPoints);
        return run("history of " + sensor + " " + from + ".." + to, c -> {
            List<HistoryPoint> out = new ArrayList<>();
            try (PreparedStatement ps = history.prepare(c, sensor, w[0], w[1], width); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new HistoryPoint(Times.instant(rs.getLong(1)), rs.getDouble(2), rs.getDouble(3),
                            rs.getDouble(4), rs.getLong(5)));
                }
            }
            return out;
        });
    }

    @Override
    public List<StoredMessage> recentMessages(MessageQuery q) {
        return run("recent messages " + q, c -> MessageQuerySql.recent(c, q, MessageColumns.POSTGRES));
    }

    @Override
    public boolean holdsStreamRows() {
        // served by the unique (source_id, timestamp) index: no scan of the legacy rows
        return run("looking for rows written from the stream", c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT EXISTS (SELECT 1 FROM can_messages WHERE source_id IS NOT NULL)")) {
                return rs.next() && rs.getBoolean(1);
            }
        });
    }

    @Override
    public Map<String, Long> countsByType(Instant from, Instant to) {
        Times.window(from, to);
        return run("counts by type " + from + ".." + to, c -> {
            Map<String, Long> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT message_type, count(*) FROM can_messages"
                    + " WHERE timestamp >= ? AND timestamp < ? GROUP BY message_type")) {
                ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
                ps.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String type = rs.getString(1);
                        out.merge(type == null ? UNKNOWN_TYPE : type, rs.getLong(2), Long::sum);
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Map<String, ReadingRow> latestPerSensor() {
        // skip scan over the (sensor, time) index: one index probe per sensor instead of a full scan
        String sql = "WITH RECURSIVE s(sensor) AS (SELECT min(sensor) FROM sensor_readings"
                + " UNION ALL SELECT (SELECT min(r.sensor) FROM sensor_readings r WHERE r.sensor > s.sensor)"
                + " FROM s WHERE s.sensor IS NOT NULL)"
                + " SELECT l.sensor, " + String.format(MICROS, "l.time") + ", l.value FROM s CROSS JOIN LATERAL"
                + " (SELECT r.sensor, r.time, r.value FROM sensor_readings r WHERE r.sensor = s.sensor"
                + " ORDER BY r.time DESC LIMIT 1) l WHERE s.sensor IS NOT NULL";
        return run("latest value per sensor", c -> {
            Map<String, ReadingRow> out = new TreeMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    out.put(rs.getString(1), new ReadingRow(rs.getLong(2), rs.getString(1), rs.getDouble(3)));
                }
            }
            return out;
        });
    }

    /** Rows per round trip of an export's cursor. */
    private static final int EXPORT_FETCH = 5_000;

    @Override
    public long exportReadings(List<String> sensors, Instant from, Instant to, java.util.function.Consumer<ReadingRow> sink) {
        long[] w = Times.window(from, to);
        Exports.checkSensors(sensors);
        String sql = "SELECT " + String.format(MICROS, "time") + ", value FROM sensor_readings"
                + " WHERE sensor = ? AND time >= ? AND time < ? ORDER BY time";
        return stream("export of " + sensors.size() + " sensors " + from + ".." + to, c -> {
            long n = 0;
            for (String sensor : sensors) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setFetchSize(EXPORT_FETCH);
                    ps.setString(1, sensor);
                    ps.setObject(2, at(w[0]));
                    ps.setObject(3, at(w[1]));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            sink.accept(new ReadingRow(rs.getLong(1), sensor, rs.getDouble(2)));
                            n++;
                        }
                    }
                }
            }
            return n;
        });
    }

    @Override
    public long exportMessages(Instant from, Instant to, java.util.function.Consumer<StoredMessage> sink) {
        long[] w = Times.window(from, to);
        String sql = MessageColumns.POSTGRES.select + " WHERE timestamp >= ? AND timestamp < ? ORDER BY timestamp, id";
        return stream("export of can_messages " + from + ".." + to, c -> {
            long n = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(EXPORT_FETCH);
                ps.setObject(1, at(w[0]));
                ps.setObject(2, at(w[1]));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(MessageColumns.POSTGRES.row(rs));
                        n++;
                    }
                }
            }
            return n;
        });
    }

    @Override
    public List<Summary> summarize(String sensor, List<SummaryWindow> windows) {
        Times.checkHistoryArgs(sensor, 1);
        return run("summary of " + sensor + " over " + windows.size() + " windows", c -> {
            PostgresSummaries.Aggregates aggs = history.summaryAggregates();
            if (aggs != null) {
                return PostgresSummaries.summarize(c, sensor, windows, aggs);
            }
            List<Summary> out = new ArrayList<>(windows.size());
            try (PreparedStatement ps = c.prepareStatement(Exports.SUMMARY)) {
                for (SummaryWindow w : windows) {
                    ps.setDouble(1, w.bandMin() == null ? Exports.NO_MIN : w.bandMin());
                    ps.setDouble(2, w.bandMax() == null ? Exports.NO_MAX : w.bandMax());
                    ps.setString(3, sensor);
                    ps.setObject(4, at(Times.micros(w.from(), "from")));
                    ps.setObject(5, at(Times.micros(w.to(), "to")));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        out.add(Exports.summary(w, rs));
                    }
                }
            }
            return out;
        });
    }

    private static OffsetDateTime at(long micros) {
        return OffsetDateTime.ofInstant(Times.instant(micros), ZoneOffset.UTC);
    }

    /** Like {@link #run} without the retry: rows already handed over must not be handed over twice. */
    private synchronized long stream(String op, Work<Long> work) {
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

    @Override
    public JobHealth.Report jobHealth() {
        if (backend != Backend.TIMESCALEDB) {
            return JobHealth.notApplicable("plain PostgreSQL (no TimescaleDB extension): no scheduled jobs", Instant.now());
        }
        return run("reading the TimescaleDB job stats", Jobs::read);
    }

    @Override
    public Backend backend() {
        return backend;
    }

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

    @Override
    public String toString() {
        return "PostgresStore[" + url + ", " + backend + "]";
    }
}
