package org.cea.tools.migrate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legacy SQLite database, opened read-only ({@code SQLITE_OPEN_READONLY}: the file is never
 * written, not even by a checkpoint). Rows are read in id order one page at a time, each page a
 * short read transaction of its own, so a scanner still writing in WAL mode is neither blocked nor
 * holding back its WAL checkpoints; rows it adds later are picked up by a rerun.
 */
public final class SqliteSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteSource.class);
    /** The columns of the legacy table, in the order {@link LegacyRow} takes them. */
    static final List<String> COLUMNS = List.of("id", "timestamp", "can_id", "node_id", "message_type", "dlc",
            "raw_data", "decoded_data", "created_at");
    private static final String SELECT = "SELECT id, timestamp, can_id, node_id, message_type, dlc, raw_data,"
            + " decoded_data, created_at FROM can_messages";

    private final Path path;
    private final Connection conn;
    private final PreparedStatement page;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteSource(Path path, Connection conn, PreparedStatement page) {
        this.path = path;
        this.conn = conn;
        this.page = page;
    }

    /**
     * Opens {@code path} read-only and checks that it has the legacy {@code can_messages} table.
     *
     * @param path an existing SQLite file
     * @return the open source
     * @throws MigrationException when the file is missing, not SQLite, or lacks the table or a column
     */
    public static SqliteSource open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new MigrationException("SQLite file not found: " + path);
        }
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(true);
        cfg.setBusyTimeout(10_000);
        Connection conn = null;
        try {
            conn = cfg.createConnection("jdbc:sqlite:" + path.toAbsolutePath());
            checkColumns(conn, path);
            PreparedStatement ps = conn.prepareStatement(SELECT + " WHERE id > ? AND id <= ? ORDER BY id LIMIT ?");
            LOG.info("opened {} read-only", path);
            return new SqliteSource(path, conn, ps);
        } catch (SQLException | RuntimeException e) {
            MigrationException fail = e instanceof MigrationException m ? m
                    : new MigrationException("cannot read SQLite file " + path + ": " + e.getMessage(), e);
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException suppressed) {
                    fail.addSuppressed(suppressed);
                }
            }
            throw fail;
        }
    }

    private static void checkColumns(Connection conn, Path path) throws SQLException {
        Set<String> have = new HashSet<>();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA table_info(can_messages)")) {
            while (rs.next()) {
                have.add(rs.getString("name").toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (have.isEmpty()) {
            throw new MigrationException(path + " has no table can_messages (is it the scanner's database?)");
        }
        List<String> missing = new ArrayList<>();
        for (String c : COLUMNS) {
            if (!have.contains(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            throw new MigrationException(path + ": table can_messages lacks column(s) " + missing);
        }
    }

    /** The file this source reads. */
    public Path path() {
        return path;
    }

    /** Largest id in the table, 0 when empty. */
    public long maxId() {
        return scalar("SELECT coalesce(max(id), 0) FROM can_messages");
    }

    /** Smallest id in the table, 0 when empty. */
    public long minId() {
        return scalar("SELECT coalesce(min(id), 0) FROM can_messages");
    }

    /** Number of rows with {@code afterId < id <= upToId}. */
    public long count(long afterId, long upToId) {
        try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM can_messages WHERE id > ? AND id <= ?")) {
            ps.setLong(1, afterId);
            ps.setLong(2, upToId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new MigrationException("SQLite count failed on " + path + ": " + e.getMessage(), e);
        }
    }

    private long scalar(String sql) {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new MigrationException("SQLite query failed on " + path + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads up to {@code limit} rows with {@code afterId < id <= upToId} in id order.
     *
     * @param afterId exclusive lower bound
     * @param upToId  inclusive upper bound
     * @param limit   page size, &gt;= 1
     * @param sink    receives each row
     * @return the number of rows read (less than {@code limit} only at the end of the range)
     */
    public int readPage(long afterId, long upToId, int limit, Consumer<LegacyRow> sink) {
        try {
            page.setLong(1, afterId);
            page.setLong(2, upToId);
            page.setInt(3, limit);
            int n = 0;
            try (ResultSet rs = page.executeQuery()) {
                while (rs.next()) {
                    sink.accept(new LegacyRow(rs.getLong(1), value(rs, 2), value(rs, 3), value(rs, 4), value(rs, 5),
                            value(rs, 6), value(rs, 7), value(rs, 8), value(rs, 9)));
                    n++;
                }
            }
            return n;
        } catch (SQLException e) {
            throw new MigrationException("SQLite read failed on " + path + " after id " + afterId + ": " + e.getMessage(), e);
        }
    }

    /** Visits every row with {@code afterId < id <= upToId} in id order, page by page. */
    public void forEach(long afterId, long upToId, int pageSize, Consumer<LegacyRow> sink) {
        long[] last = {afterId};
        while (true) {
            int n = readPage(last[0], upToId, pageSize, r -> {
                last[0] = r.id();
                sink.accept(r);
            });
            if (n < pageSize) {
                return;
            }
        }
    }

    private static Object value(ResultSet rs, int col) throws SQLException {
        Object v = rs.getObject(col);
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        return v;
    }

    /** Closes the connection; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            page.close();
            conn.close();
        } catch (SQLException e) {
            LOG.warn("closing {} failed", path, e);
        }
    }

    @Override
    public String toString() {
        return "SqliteSource[" + path + ", read-only]";
    }
}
