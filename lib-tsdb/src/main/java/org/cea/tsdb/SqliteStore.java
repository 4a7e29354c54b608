package org.cea.tsdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legacy SQLite file: {@code can_messages} unchanged, idempotency through the side table
 * {@code ingested_entries}, {@code sensor_readings} with integer microsecond times. WAL mode.
 */
final class SqliteStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
    private static final int BUSY_TIMEOUT_MS = 5000;

    private final StoreUrl url;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Connection conn;

    private SqliteStore(StoreUrl url) {
        this.url = url;
    }

    static SqliteStore open(StoreUrl url) {
        SqliteStore s = new SqliteStore(url);
        s.connection();
        LOG.info("opened SQLite store {}", url);
        return s;
    }

    private Connection connection() {
        if (closed.get()) {
            throw new IllegalStateException("store " + url + " is closed");
        }
        if (conn != null) {
            return conn;
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection(url.jdbcUrl(), url.properties());
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
                for (String sql : SqlScript.statements(SqlScript.load("sqlite_schema.sql"))) {
                    st.execute(sql);
                }
                st.execute("PRAGMA synchronous = NORMAL");
            }
            c.setAutoCommit(false);
            conn = c;
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw SqlErrors.wrap("opening SQLite store", url, e);
        }
    }

    private TsdbException fail(String op, SQLException e) {
        TsdbException t = SqlErrors.wrap(op, url, e);
        if (t instanceof StoreUnavailableException) {
            closeQuietly(conn);
            conn = null;
        }
        return t;
    }

    @Override
    public synchronized WriteResult writeBatch(List<MessageRow> messages, List<ReadingRow> readings) {
        BatchRows rows = new BatchRows(messages, readings);
        Connection c = connection();
        int[] counts = new int[4];
        try {
            try {
                SqliteBatchWriter.writeAll(c, rows, counts, false);
                c.commit();
            } catch (SQLException e) {
                rollbackQuietly(c);
                if (!SqlErrors.isBadData(e)) {
                    throw e;
                }
                LOG.warn("batch on {} refused ({}); writing row by row to isolate the bad rows", url, SqlErrors.describe(e));
                counts = new int[4];
                SqliteBatchWriter.writeAll(c, rows, counts, true);
                c.commit();
            }
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw fail("writing a batch of " + rows.messages.size() + " messages and " + rows.readings.size() + " readings", e);
        }
        if (!rows.rejected.isEmpty()) {
            LOG.warn("batch on {}: {} rows rejected, first: {}", url, rows.rejected.size(), rows.rejected.get(0).describe());
        }
        return new WriteResult(counts[0], counts[1], counts[2], counts[3], rows.rejected);
    }

    @Override
    public synchronized List<HistoryPoint> history(String sensor, Instant from, Instant to, int maxPoints) {
        Times.checkHistoryArgs(sensor, maxPoints);
        long[] w = Times.window(from, to);
        long width = Buckets.width(w[0], w[1], maxPoints);
        // times are >= 0, so integer division is the epoch-aligned floor
        String sql = "SELECT (time / ?) * ? AS b, avg(value), min(value), max(value), count(*) FROM sensor_readings"
                + " WHERE sensor = ? AND time >= ? AND time < ? GROUP BY b ORDER BY b";
        Connection c = connection();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, width);
            ps.setLong(2, width);
            ps.setString(3, sensor);
            ps.setLong(4, w[0]);
            ps.setLong(5, w[1]);
            List<HistoryPoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new HistoryPoint(Times.instant(rs.getLong(1)), rs.getDouble(2), rs.getDouble(3),
                            rs.getDouble(4), rs.getLong(5)));
                }
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw fail("history of " + sensor + " " + from + ".." + to, e);
        }
    }

    @Override
    public synchronized List<Summary> summarize(String sensor, List<SummaryWindow> windows) {
        Times.checkHistoryArgs(sensor, 1);
        Connection c = connection();
        try (PreparedStatement ps = c.prepareStatement(Exports.SUMMARY)) {
            List<Summary> out = new ArrayList<>(windows.size());
            for (SummaryWindow w : windows) {
                ps.setDouble(1, w.bandMin() == null ? Exports.NO_MIN : w.bandMin());
                ps.setDouble(2, w.bandMax() == null ? Exports.NO_MAX : w.bandMax());
                ps.setString(3, sensor);
                ps.setLong(4, Times.micros(w.from(), "from"));
                ps.setLong(5, Times.micros(w.to(), "to"));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.add(Exports.summary(w, rs));
                }
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw fail("summary of " + sensor + " over " + windows.size() + " windows", e);
        }
    }

    @Override
    public synchronized long exportReadings(List<String> sensors, Instant from, Instant to,
                                            java.util.function.Consumer<ReadingRow> sink) {
        long[] w = Times.window(from, to);
        Exports.checkSensors(sensors);
        String sql = "SELECT time, value FROM sensor_readings WHERE sensor = ? AND time >= ? AND time < ? ORDER BY time";
        Connection c = connection();
        try {
            long n = 0;
            for (String sensor : sensors) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, sensor);
                    ps.setLong(2, w[0]);
                    ps.setLong(3, w[1]);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            sink.accept(new ReadingRow(rs.getLong(1), sensor, rs.getDouble(2)));
                            n++;
                        }
                    }
                }
            }
            c.commit();
            return n;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw fail("export of " + sensors.size() + " sensors " + from + ".." + to, e);
        } catch (RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    @Override
    public synchronized long exportMessages(Instant from, Instant to, java.util.function.Consumer<StoredMessage> sink) {
        long[] w = Times.window(from, to);
        String sql = MessageColumns.SQLITE.select + " WHERE m.timestamp >= ? AND m.timestamp < ? ORDER BY m.timestamp, m.id";
        Connection c = connection();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setDouble(1, w[0] / 1e6);
            ps.setDouble(2, w[1] / 1e6);
            long n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(MessageColumns.SQLITE.row(rs));
                    n++;
                }
            }
            c.commit();
            return n;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw fail("export of can_messages " + from + ".." + to, e);
        } catch (RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    @Override
    public synchronized List<StoredMessage> recentMessages(MessageQuery q) {
        Connection c = connection();
        try {
            List<StoredMessage> out = MessageQuerySql.recent(c, q, MessageColumns.SQLITE);
            c.commit();
            return out;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw fail("recent messages " + q, e);
        } catch (RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    @Override
    public synchronized boolean holdsStreamRows() {
        Connection c = connection();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM ingested_entries)")) {
            boolean found = rs.next() && rs.getBoolean(1);
            c.commit();
            return found;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw fail("looking for rows written from the stream", e);
        }
    }

    @Override
    public synchronized Map<String, Long> countsByType(Instant from, Instant to) {
        long[] w = Times.window(from, to);
        String sql = "SELECT message_type, count(*) FROM can_messages WHERE timestamp >= ? AND timestamp < ?"
                + " GROUP BY message_type";
        Connection c = connection();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setDouble(1, w[0] / 1e6);
            ps.setDouble(2, w[1] / 1e6);
            Map<String, Long> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(1);
                    out.merge(type == null ? UNKNOWN_TYPE : type, rs.getLong(2), Long::sum);
                }
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw fail("counts by type " + from + ".." + to, e);
        }
    }

    @Override
    public synchronized Map<String, ReadingRow> latestPerSensor() {
        // SQLite returns the bare columns of the row holding max(time)
        String sql = "SELECT sensor, max(time), value FROM sensor_readings GROUP BY sensor";
        Connection c = connection();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            Map<String, ReadingRow> out = new TreeMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), new ReadingRow(rs.getLong(2), rs.getString(1), rs.getDouble(3)));
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw fail("latest value per sensor", e);
        }
    }

    @Override
    public Backend backend() {
        return Backend.SQLITE;
    }

    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(conn);
            conn = null;
            LOG.info("closed SQLite store {}", url);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (c != null && !c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("close failed", e);
        }
    }

    @Override
    public String toString() {
        return "SqliteStore[" + url + "]";
    }
}
