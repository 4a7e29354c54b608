package org.cea.tsdb;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MinuteDigests} of PostgreSQL/TimescaleDB, computed by the server: each row's
 * {@link DigestRow#SQL_HASH} summed per minute and CAN id, so only the digests cross the wire. One
 * connection, read-only transactions, one per call. The microseconds are computed once per row
 * ({@code OFFSET 0} keeps the planner from inlining the subquery and evaluating them twice).
 */
final class PostgresDigests implements MinuteDigests {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDigests.class);
    private static final String RANGE = " FROM can_messages WHERE \"timestamp\" >= TIMESTAMPTZ 'epoch' + ?"
            + " * INTERVAL '1 microsecond' AND \"timestamp\" < TIMESTAMPTZ 'epoch' + ? * INTERVAL '1 microsecond'";
    private static final String MICROS = "(extract(epoch FROM \"timestamp\") * 1000000)::bigint";
    private static final String DIGESTS = "SELECT us / 60000000 * 60000000, can_id, count(*), sum(" + DigestRow.SQL_HASH
            + ") FROM (SELECT " + MICROS + " AS us, can_id, dlc, raw_data" + RANGE + " OFFSET 0) r"
            + " GROUP BY 1, 2 ORDER BY 1, 2";
    private static final String ROWS = "SELECT " + MICROS + ", can_id, dlc, raw_data" + RANGE
            + " AND can_id = ? ORDER BY \"timestamp\" LIMIT ?";

    private final StoreUrl url;
    private final Connection conn;
    private final Backend backend;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PostgresDigests(StoreUrl url, Connection conn, Backend backend) {
        this.url = url;
        this.conn = conn;
        this.backend = backend;
    }

    static PostgresDigests open(StoreUrl url) {
        Properties p = url.properties();
        p.setProperty("connectTimeout", "5");
        p.setProperty("loginTimeout", "10");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("socketTimeout", "600");
        p.setProperty("ApplicationName", "cea-tsdb-digests");
        Connection c = null;
        try {
            c = DriverManager.getConnection(url.jdbcUrl(), p);
            c.setAutoCommit(false);
            c.setReadOnly(true);
            Backend backend;
            try (Statement st = c.createStatement()) {
                st.execute("SET jit = off");
                backend = check(st, url);
            }
            c.commit();
            LOG.info("opened {} ({}) read-only for minute digests", url, backend);
            return new PostgresDigests(url, c, backend);
        } catch (SQLException | RuntimeException e) {
            throw Digests.openFailed("opening for minute digests", url, e, c);
        }
    }

    private static Backend check(Statement st, StoreUrl url) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT to_regclass('can_messages') IS NOT NULL,"
                + " EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'),"
                + " current_setting('server_encoding')")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new BadDataException(url + " has no table can_messages (is it the worker's database?)");
            }
            if (!"UTF8".equals(rs.getString(3))) {
                throw new BadDataException(url + ": server encoding is " + rs.getString(3)
                        + ", the comparison hashes raw_data as UTF-8 (cea_sensors is created UTF8)");
            }
            return rs.getBoolean(2) ? Backend.TIMESCALEDB : Backend.POSTGRES;
        }
    }

    @Override
    public String target() {
        return url.toString();
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public List<MinuteDigest> digests(long fromMicros, long toMicros) {
        Times.checkMinuteRange(fromMicros, toMicros);
        List<MinuteDigest> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(DIGESTS, fromMicros, toMicros)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal sum = rs.getBigDecimal(4);
                    out.add(new MinuteDigest(rs.getLong(1), rs.getInt(2), rs.getLong(3),
                            sum.toBigIntegerExact().longValue()));
                }
            }
            conn.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw SqlErrors.wrap("minute digests " + fromMicros + ".." + toMicros + " µs", url, e);
        }
        return out;
    }

    @Override
    public List<DigestRow> rows(long fromMicros, long toMicros, int canId, int limit) {
        Times.checkMicrosRange(fromMicros, toMicros);
        Digests.checkLimit(limit);
        List<DigestRow> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(ROWS, fromMicros, toMicros)) {
            ps.setInt(3, canId);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DigestRow(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getString(4)));
                }
            }
            conn.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw SqlErrors.wrap("rows of CAN id " + canId + " " + fromMicros + ".." + toMicros + " µs", url, e);
        }
        out.sort(DigestRow.ORDER);
        return out;
    }

    private PreparedStatement prepare(String sql, long fromMicros, long toMicros) throws SQLException {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
        PreparedStatement ps = conn.prepareStatement(sql);
        ps.setLong(1, fromMicros);
        ps.setLong(2, toMicros);
        return ps;
    }

    private void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                conn.close();
            } catch (SQLException e) {
                LOG.debug("close failed", e);
            }
            LOG.info("closed {}", url);
        }
    }

    @Override
    public String toString() {
        return "PostgresDigests[" + url + ", read-only]";
    }
}
