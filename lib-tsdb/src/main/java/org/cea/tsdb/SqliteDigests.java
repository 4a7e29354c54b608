package org.cea.tsdb;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * {@link MinuteDigests} of a SQLite file, opened read-only. SQLite has no hash function, so rows
 * are read ({@code timestamp, can_id, dlc, raw_data} over the timestamp index) and hashed here;
 * the range is widened by a microsecond on both sides in SQL and cut exactly on the rounded time.
 */
final class SqliteDigests implements MinuteDigests {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDigests.class);
    private static final int BUSY_TIMEOUT_MS = 10_000;
    private static final String RANGE = "SELECT timestamp, can_id, dlc, raw_data FROM can_messages"
            + " WHERE timestamp >= ? AND timestamp < ?";

    private final StoreUrl url;
    private final Connection conn;
    private final boolean utf8;
    private final DigestRow.Hasher hasher = new DigestRow.Hasher();
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteDigests(StoreUrl url, Connection conn, boolean utf8) {
        this.url = url;
        this.conn = conn;
        this.utf8 = utf8;
    }

    static SqliteDigests open(StoreUrl url) {
        Path file = Path.of(url.jdbcUrl().substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", ""));
        if (!Files.isRegularFile(file)) {
            throw new BadDataException("SQLite file not found: " + file + " (a comparison never creates one)");
        }
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(true);
        cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
        Connection c = null;
        try {
            c = cfg.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            checkTable(c, url);
            boolean utf8 = encodingIsUtf8(c);
            if (!hasTimestampIndex(c)) {
                LOG.warn("{}: can_messages has no index on timestamp: every range reads the whole table"
                        + " (the scanner creates idx_can_messages_timestamp when it opens the file)", url);
            }
            LOG.info("opened {} read-only for minute digests", url);
            return new SqliteDigests(url, c, utf8);
        } catch (SQLException | RuntimeException e) {
            throw Digests.openFailed("opening read-only", url, e, c);
        }
    }

    private static void checkTable(Connection c, StoreUrl url) throws SQLException {
        Set<String> have = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(can_messages)")) {
            while (rs.next()) {
                have.add(rs.getString("name").toLowerCase(Locale.ROOT));
            }
        }
        if (have.isEmpty()) {
            throw new BadDataException(url + " has no table can_messages (is it the scanner's database?)");
        }
        List<String> missing = new ArrayList<>();
        for (String col : List.of("timestamp", "can_id", "dlc", "raw_data")) {
            if (!have.contains(col)) {
                missing.add(col);
            }
        }
        if (!missing.isEmpty()) {
            throw new BadDataException(url + ": table can_messages lacks column(s) " + missing);
        }
    }

    private static boolean encodingIsUtf8(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA encoding")) {
            return rs.next() && "UTF-8".equalsIgnoreCase(rs.getString(1));
        }
    }

    private static boolean hasTimestampIndex(Connection c) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA index_list(can_messages)")) {
            while (rs.next()) {
                indexes.add(rs.getString("name"));
            }
        }
        for (String index : indexes) {
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_index_info(?) WHERE seqno = 0")) {
                ps.setString(1, index);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && "timestamp".equalsIgnoreCase(rs.getString(1))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    public String target() {
        return url.toString();
    }

    @Override
    public Backend backend() {
        return Backend.SQLITE;
    }

    @Override
    public List<MinuteDigest> digests(long fromMicros, long toMicros) {
        Times.checkMinuteRange(fromMicros, toMicros);
        Map<Long, long[]> acc = new HashMap<>();
        try (PreparedStatement ps = statement(RANGE, fromMicros, toMicros); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long us = micros(rs);
                if (us < fromMicros || us >= toMicros) {
                    continue;
                }
                int canId = rs.getInt(2);
                long h = hasher.hash(us, canId, rs.getInt(3), raw(rs));
                long minute = us - us % MinuteDigest.MINUTE_MICROS;
                long[] a = acc.computeIfAbsent(minute / MinuteDigest.MINUTE_MICROS << 32 | (canId & 0xFFFFFFFFL),
                        k -> new long[2]);
                a[0]++;
                a[1] += h;
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("minute digests " + fromMicros + ".." + toMicros + " µs", url, e);
        }
        List<MinuteDigest> out = new ArrayList<>(acc.size());
        acc.forEach((k, a) -> out.add(new MinuteDigest((k >>> 32) * MinuteDigest.MINUTE_MICROS, (int) (long) k, a[0], a[1])));
        out.sort(Digests.ORDER);
        return out;
    }

    @Override
    public List<DigestRow> rows(long fromMicros, long toMicros, int canId, int limit) {
        Times.checkMicrosRange(fromMicros, toMicros);
        Digests.checkLimit(limit);
        List<DigestRow> out = new ArrayList<>();
        try (PreparedStatement ps = statement(RANGE + " AND can_id = ? ORDER BY timestamp LIMIT ?", fromMicros,
                toMicros)) {
            ps.setInt(3, canId);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long us = micros(rs);
                    if (us >= fromMicros && us < toMicros) {
                        String raw = rs.getString(4);
                        out.add(new DigestRow(us, rs.getInt(2), rs.getInt(3), raw == null ? "" : raw));
                    }
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("rows of CAN id " + canId + " " + fromMicros + ".." + toMicros + " µs", url, e);
        }
        out.sort(DigestRow.ORDER);
        return out;
    }

    /** The range statement, widened by a microsecond each side (the exact cut is on the rounded time). */
    private PreparedStatement statement(String sql, long fromMicros, long toMicros) throws SQLException {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
        PreparedStatement ps = conn.prepareStatement(sql);
        ps.setDouble(1, (fromMicros - 1) / 1e6);
        ps.setDouble(2, (toMicros + 1) / 1e6);
        return ps;
    }

    private static long micros(ResultSet rs) throws SQLException {
        return Times.secondsToMicros(rs.getDouble(1));
    }

    /** raw_data's UTF-8 bytes: as SQLite stores them in a UTF-8 database, without decoding. */
    private byte[] raw(ResultSet rs) throws SQLException {
        if (utf8) {
            byte[] b = rs.getBytes(4);
            return b == null ? new byte[0] : b;
        }
        String s = rs.getString(4);
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                conn.close();
            } catch (SQLException e) {
                LOG.debug("closing {} failed", url, e);
            }
            LOG.info("closed {}", url);
        }
    }

    @Override
    public String toString() {
        return "SqliteDigests[" + url + ", read-only]";
    }
}
