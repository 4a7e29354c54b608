package org.cea.tools.migrate;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.cea.tsdb.BulkLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target side of a verification: range checksums, per-day counts and quarantined ids computed
 * by PostgreSQL on two connections and threads of their own, each over half of the id ranges (so
 * the checksum expressions use both cores, and so the scan can run while the main connection
 * finishes the migration: index builds take a SHARE lock, these queries ACCESS SHARE); and the
 * target rows the verifier compares field by field.
 */
final class TargetScan {
    private static final Logger LOG = LoggerFactory.getLogger(TargetScan.class);
    private static final String TARGET_COLUMNS = "id, " + RowDigest.micros("\"timestamp\"") + ", can_id, node_id,"
            + " message_type, dlc, raw_data, decoded_data::text, " + RowDigest.micros("created_at");
    /** t computed once per row below two fences; ranges and UTC days from one scan (grouping sets). */
    private static final String RANGES = "SELECT b, d, count(*), min(id), max(id), min(t), max(t), bit_xor(h) FROM"
            + " (SELECT id / ? AS b, floor(t / 86400000000.0)::bigint AS d, id, t, " + RowDigest.SQL_HASH_OF_T
            + " AS h FROM (SELECT *, " + RowDigest.micros("\"timestamp\"") + " AS t FROM can_messages"
            + " WHERE id >= ? AND id <= ? OFFSET 0) x OFFSET 0) r GROUP BY GROUPING SETS ((b), (d))";
    private static final String QUARANTINE = "SELECT count(*), md5(string_agg(id::text, ',' ORDER BY id))"
            + " FROM migration_quarantine WHERE id >= ? AND id <= ?";

    private final Thread[] threads = new Thread[2];
    private final VerifySide[] parts = new VerifySide[2];
    private final RuntimeException[] errors = new RuntimeException[2];

    private TargetScan() {
    }

    /**
     * Starts the scan of ids {@code fromId..toId}.
     *
     * @param db      the target (each thread opens a connection of its own from it)
     * @param options the range size
     * @return the running scan; {@link #side()} joins it
     */
    static TargetScan start(BulkLoader db, VerifyOptions options, long fromId, long toId) {
        long size = options.rangeSize();
        long mid = Math.max(fromId - 1, ((fromId + toId) / 2 / size) * size - 1);
        TargetScan scan = new TargetScan();
        scan.start(0, () -> side(db, size, fromId, mid, fromId, toId));
        scan.start(1, () -> side(db, size, mid + 1, toId, -1, -1));
        return scan;
    }

    private void start(int i, Supplier<VerifySide> work) {
        threads[i] = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                parts[i] = work.get();
                LOG.info("target checksums part {} in {} ms", i + 1, (System.nanoTime() - t0) / 1_000_000);
            } catch (RuntimeException e) {
                errors[i] = e;
            }
        }, "can-migrate-verify-target-" + (i + 1));
        threads[i].start();
    }

    /** Waits for both threads; an interrupt is kept for the caller. */
    void join() {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return both halves merged; rethrows a failure of either */
    VerifySide side() {
        join();
        for (RuntimeException e : errors) {
            if (e != null) {
                throw e;
            }
        }
        VerifySide all = parts[0];
        all.ranges.addAll(parts[1].ranges);
        all.ranges.sort(Comparator.comparingLong(VerifySide.RangeSum::bucket));
        parts[1].days.forEach((day, n) -> all.days.merge(day, n, Long::sum));
        return all;
    }

    /**
     * Checksums and per-day counts of the ranges in {@code [fromId, toId]} on a connection of its
     * own; with {@code countFrom >= 1} also the quarantined ids of {@code [countFrom, countTo]}. The
     * checksum expression is computed below an optimisation fence ({@code OFFSET 0}) so that only
     * narrow rows reach a hash aggregate, instead of whole rows sorted (and spilled to disk) by range.
     */
    private static VerifySide side(BulkLoader main, long rangeSize, long fromId, long toId, long countFrom,
                                   long countTo) {
        try (BulkLoader db = main.openAnother()) {
            VerifySide side = new VerifySide();
            db.transaction("verification queries", c -> {
                ranges(c, side, rangeSize, fromId, toId);
                return null;
            });
            if (countFrom >= 1 && new MigrationLedger(db).hasTables()) {
                db.transaction("verification of the quarantine", c -> {
                    quarantine(c, side, countFrom, countTo);
                    return null;
                });
            }
            return side;
        }
    }

    private static void ranges(Connection c, VerifySide side, long rangeSize, long fromId, long toId)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SET LOCAL enable_sort = off")) {
            st.execute();
        }
        try (PreparedStatement ps = c.prepareStatement(RANGES)) {
            ps.setLong(1, rangeSize);
            ps.setLong(2, fromId);
            ps.setLong(3, toId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long b = rs.getLong(1);
                    if (rs.wasNull()) {
                        side.days.merge(rs.getLong(2), rs.getLong(3), Long::sum);
                    } else {
                        side.ranges.add(new VerifySide.RangeSum(b, rs.getLong(3), rs.getLong(4), rs.getLong(5),
                                rs.getLong(6), rs.getLong(7), rs.getLong(8)));
                    }
                }
            }
        }
    }

    private static void quarantine(Connection c, VerifySide side, long countFrom, long countTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(QUARANTINE)) {
            ps.setLong(1, countFrom);
            ps.setLong(2, countTo);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                side.quarantined = rs.getLong(1);
                side.quarantineMd5 = rs.getString(2);
            }
        }
    }

    /**
     * Target rows with ids in {@code [lo, hi]}.
     *
     * @return the rows by id
     */
    static Map<Long, MessageRecord> rows(BulkLoader db, long lo, long hi) {
        return db.transaction("reading target rows (id " + lo + ".." + hi + ")", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TARGET_COLUMNS
                    + " FROM can_messages WHERE id >= ? AND id <= ?")) {
                ps.setLong(1, lo);
                ps.setLong(2, hi);
                return read(ps);
            }
        });
    }

    /**
     * Target rows with the given ids.
     *
     * @return the rows found, by id
     */
    static Map<Long, MessageRecord> rows(BulkLoader db, Long[] ids) {
        return db.transaction("reading target rows (a sample of " + ids.length + ")", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TARGET_COLUMNS
                    + " FROM can_messages WHERE id = ANY(?)")) {
                Array array = c.createArrayOf("bigint", ids);
                try {
                    ps.setArray(1, array);
                    return read(ps);
                } finally {
                    array.free();
                }
            }
        });
    }

    private static Map<Long, MessageRecord> read(PreparedStatement ps) throws SQLException {
        Map<Long, MessageRecord> out = new TreeMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                MessageRecord m = targetRow(rs);
                out.put(m.id(), m);
            }
        }
        return out;
    }

    private static MessageRecord targetRow(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        long ts = rs.getLong(2);
        int canId = rs.getInt(3);
        Integer node = (Integer) rs.getObject(4);
        String type = rs.getString(5);
        int dlc = rs.getInt(6);
        String raw = rs.getString(7);
        String json = rs.getString(8);
        long created = rs.getLong(9);
        Long createdAt = rs.wasNull() ? null : created;
        LOG.debug("target row {}", id);
        return new MessageRecord(id, ts, canId, node, type, dlc, raw == null ? "<NULL>" : raw, json, json, createdAt);
    }
}
