package org.cea.tsdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link AlertEventLog} on PostgreSQL ({@code TIMESTAMPTZ} times, {@code JSONB} detail) or SQLite
 * (integer Unix ms times, text detail): the same statements but for the time expressions.
 */
final class JdbcAlertEventLog implements AlertEventLog {
    private static final String COLUMNS = "event_id, ts, alert_id, rule, kind, severity, transition, state, room, sensor,"
            + " value, threshold, message, since, fired_at, acked_by, ack_note, detail";
    private final StoreUrl url;
    private final boolean sqlite;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Connection conn;

    private JdbcAlertEventLog(StoreUrl url) {
        this.url = url;
        this.sqlite = url.isSqlite();
    }

    static JdbcAlertEventLog open(StoreUrl url) {
        JdbcAlertEventLog log = new JdbcAlertEventLog(url);
        try {
            log.connection();
        } catch (SQLException e) {
            log.close();
            throw SqlErrors.wrap("opening the alert history", url, e);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    private String time(String param) {
        return sqlite ? param : "TIMESTAMPTZ 'epoch' + " + param + " * INTERVAL '1 millisecond'";
    }

    private String millis(String column) {
        return sqlite ? column : "(extract(epoch FROM " + column + ") * 1000)::bigint";
    }

    private synchronized Connection connection() throws SQLException {
        if (closed.get()) {
            throw new IllegalStateException("alert history " + url + " is closed");
        }
        if (conn != null) {
            return conn;
        }
        Properties p = url.properties();
        if (!sqlite) {
            p.setProperty("connectTimeout", "5");
            p.setProperty("socketTimeout", "60");
            p.setProperty("ApplicationName", "cea-alerts");
        }
        Connection c = DriverManager.getConnection(url.jdbcUrl(), p);
        try {
            c = withSchema(c, p);
            c.setAutoCommit(false);
        } catch (SQLException | RuntimeException e) {
            SqlErrors.closeAfter(c, e);
            throw e;
        }
        conn = c;
        return c;
    }

    /**
     * {@code c} once the alert table is there: SQLite applies its script on every connection;
     * PostgreSQL applies the setup script when the table is missing, on a connection of its own,
     * and then a fresh connection is returned ({@code c} is closed).
     */
    private Connection withSchema(Connection c, Properties p) throws SQLException {
        if (sqlite) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 5000");
                for (String sql : SqlScript.statements(SqlScript.load("sqlite_alerts.sql"))) {
                    st.execute(sql);
                }
            }
            return c;
        }
        if (tableExists(c)) {
            return c;
        }
        c.close();
        try {
            PostgresStore.applySchema(url);
        } catch (TsdbException e) {
            throw new TsdbException("table alert_events is missing in " + url + " and cannot be created ("
                    + e.getMessage() + "): run bin/cea-db-setup (sql/timescaledb_setup.sql) as the database owner", e);
        }
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }

    private static boolean tableExists(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT to_regclass('alert_events') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Override
    public synchronized int append(List<AlertEventRow> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        String sql = "INSERT INTO alert_events (" + COLUMNS + ") VALUES (?, " + time("?") + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + time("?") + ", " + time("?") + ", ?, ?, " + (sqlite ? "?" : "?::jsonb") + ") ON CONFLICT (event_id) DO NOTHING";
        try {
            Connection c = connection();
            int written = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (AlertEventRow r : rows) {
                    bind(ps, r);
                    written += ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
            return written;
        } catch (SQLException e) {
            throw fail("appending " + rows.size() + " alert events", e);
        }
    }

    private static void bind(PreparedStatement ps, AlertEventRow r) throws SQLException {
        ps.setString(1, r.eventId());
        ps.setLong(2, r.tsMillis());
        ps.setString(3, r.alertId());
        ps.setString(4, r.rule());
        ps.setString(5, r.kind());
        ps.setString(6, r.severity());
        ps.setString(7, r.transition());
        ps.setString(8, r.state());
        ps.setString(9, r.room());
        ps.setString(10, r.sensor());
        ps.setObject(11, r.value(), Types.DOUBLE);
        ps.setObject(12, r.threshold(), Types.DOUBLE);
        ps.setString(13, r.message());
        ps.setObject(14, r.sinceMillis(), Types.BIGINT);
        ps.setObject(15, r.firedAtMillis(), Types.BIGINT);
        ps.setString(16, r.ackedBy());
        ps.setString(17, r.ackNote());
        ps.setString(18, r.detailJson());
    }

    @Override
    public synchronized List<AlertEventRow> recent(AlertEventQuery q) {
        List<Object> args = new ArrayList<>();
        String sql = recentSql(q, args);
        try {
            Connection c = connection();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<AlertEventRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                c.commit();
                return out;
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw fail("reading the alert history", e);
        }
    }

    /** The query for {@code q}; its parameters are added to {@code args}. */
    private String recentSql(AlertEventQuery q, List<Object> args) {
        StringBuilder sql = new StringBuilder("SELECT event_id, " + millis("ts") + ", alert_id, rule, kind, severity,"
                + " transition, state, room, sensor, value, threshold, message, " + millis("since") + ", "
                + millis("fired_at") + ", acked_by, ack_note, " + (sqlite ? "detail" : "detail::text")
                + " FROM alert_events WHERE 1 = 1");
        if (q.from() != null) {
            sql.append(" AND ts >= ").append(time("?"));
            args.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            sql.append(" AND ts < ").append(time("?"));
            args.add(q.to().toEpochMilli());
        }
        for (String[] f : new String[][] {{"alert_id", q.alertId()}, {"rule", q.rule()}, {"room", q.room()}}) {
            if (f[1] != null) {
                sql.append(" AND ").append(f[0]).append(" = ?");
                args.add(f[1]);
            }
        }
        return sql.append(" ORDER BY ts DESC, id DESC LIMIT ").append(q.limit()).toString();
    }

    private static AlertEventRow row(ResultSet rs) throws SQLException {
        return new AlertEventRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                nullableDouble(rs, 11), nullableDouble(rs, 12), rs.getString(13),
                nullableLong(rs, 14), nullableLong(rs, 15), rs.getString(16), rs.getString(17), rs.getString(18));
    }

    private static Double nullableDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private TsdbException fail(String op, SQLException e) {
        TsdbException t = SqlErrors.wrap(op, url, e);
        if (t instanceof StoreUnavailableException) {
            dropConnection();
        }
        return t;
    }

    private void dropConnection() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // already broken
            }
            conn = null;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the next call reconnects
        }
    }

    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            dropConnection();
        }
    }

    @Override
    public String toString() {
        return "AlertEventLog[" + url + "]";
    }
}
