package org.cea.tools.migrate;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cea.tsdb.BulkLoader;

/**
 * This tool's own tables on the target, {@code migration_checkpoint} and {@code
 * migration_quarantine} ({@link MigrationTables}), written through lib-tsdb's {@link BulkLoader}: the
 * checkpoint row moves in the same transaction as each batch, index drop and policy pause, so a run
 * killed at any point leaves the target at a batch boundary and a rerun continues from it.
 */
final class MigrationLedger {
    /** Name of the checkpoint row for the legacy table. */
    static final String CHECKPOINT_NAME = "sqlite:can_messages";

    private final BulkLoader db;

    /** @param db the target */
    MigrationLedger(BulkLoader db) {
        this.db = db;
    }

    /** Creates the pipeline schema (lib-tsdb) when it is missing, then this tool's tables. */
    void ensureTables() {
        db.ensureSchema();
        db.transaction("creating the migration tables", c -> {
            try (Statement st = c.createStatement()) {
                st.execute(MigrationTables.DDL);
            }
            return null;
        });
    }

    /** True when this tool's tables exist (a migration has been started). */
    boolean hasTables() {
        return db.hasTable("migration_checkpoint") && db.hasTable("migration_quarantine");
    }

    /**
     * The stored checkpoint, or null when no migration has written a batch yet.
     *
     * @return the checkpoint row
     */
    Checkpoint checkpoint() {
        if (!db.hasTable("migration_checkpoint")) {
            return null;
        }
        String sql = "SELECT source_path, from_id, last_id, rows_copied, rows_quarantined, finished_at IS NOT NULL"
                + " FROM migration_checkpoint WHERE name = ?";
        return db.transaction("reading the checkpoint", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, CHECKPOINT_NAME);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Checkpoint(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getBoolean(6)) : null;
                }
            }
        });
    }

    /** The batch's part of its transaction: its quarantined rows and the advanced checkpoint. */
    BulkLoader.Hook batch(List<QuarantinedRow> quarantine, Checkpoint checkpoint) {
        return c -> {
            if (!quarantine.isEmpty()) {
                insertQuarantine(c, quarantine, checkpoint.sourcePath());
            }
            save(c, checkpoint);
        };
    }

    private static void insertQuarantine(Connection c, List<QuarantinedRow> rows, String sourcePath)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MigrationTables.INSERT_QUARANTINE)) {
            for (QuarantinedRow q : rows) {
                LegacyRow r = q.row();
                ps.setLong(1, r.id());
                ps.setString(2, q.reason());
                Object[] values = {r.timestamp(), r.canId(), r.nodeId(), r.messageType(), r.dlc(), r.rawData(),
                    r.decodedData(), r.createdAt()};
                StringBuilder classes = new StringBuilder();
                for (int i = 0; i < values.length; i++) {
                    ps.setString(3 + i, LegacyRow.render(values[i]));
                    classes.append(i == 0 ? "" : ",").append(LegacyRow.storageClass(values[i]));
                }
                ps.setString(11, classes.toString());
                ps.setString(12, sourcePath);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Upserts the checkpoint row (inside the caller's transaction). */
    static void save(Connection c, Checkpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MigrationTables.UPSERT_CHECKPOINT)) {
            ps.setString(1, CHECKPOINT_NAME);
            ps.setString(2, cp.sourcePath());
            ps.setLong(3, cp.fromId());
            ps.setLong(4, cp.lastId());
            ps.setLong(5, cp.rowsCopied());
            ps.setLong(6, cp.rowsQuarantined());
            ps.setBoolean(7, cp.finished());
            ps.executeUpdate();
        }
    }

    /** Records the dropped indexes' definitions with the checkpoint, for {@link BulkLoader#finish}. */
    BulkLoader.RecordingHook<String> deferredIndexes(Checkpoint start) {
        return (c, defs) -> {
            save(c, start);
            update(c, "UPDATE migration_checkpoint SET deferred_indexes = ? WHERE name = ?",
                    c.createArrayOf("text", defs.toArray()));
        };
    }

    /** Records the paused policy jobs with the checkpoint (added to any a killed run paused). */
    BulkLoader.RecordingHook<Integer> pausedJobs(Checkpoint cp) {
        return (c, jobs) -> {
            save(c, cp);
            update(c, "UPDATE migration_checkpoint SET paused_jobs = paused_jobs || ?::integer[] WHERE name = ?",
                    c.createArrayOf("integer", jobs.toArray()));
        };
    }

    private static void update(Connection c, String sql, Array value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, value);
            ps.setString(2, CHECKPOINT_NAME);
            ps.executeUpdate();
        }
    }

    /**
     * Ends the migration: rebuilds the deferred indexes, resumes the paused policies, moves the id
     * sequence above every legacy id (quarantined ones included: a live insert must never take an
     * id the legacy file has, or a later --verify would find it "in the target but not in the
     * source") and stores the finished checkpoint, in one transaction.
     *
     * @param done the final checkpoint
     */
    void finish(Checkpoint done) {
        Undo undo = db.transaction("reading the deferred indexes and paused jobs", MigrationLedger::undo);
        db.finish(undo.indexDefinitions(), undo.pausedJobs(), undo.maxQuarantinedId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE migration_checkpoint SET deferred_indexes = '{}', paused_jobs = '{}' WHERE name = ?")) {
                ps.setString(1, CHECKPOINT_NAME);
                ps.executeUpdate();
            }
            save(c, done);
        });
    }

    /** What {@link #finish} undoes, as the checkpoint row recorded it (empty lists without a row). */
    private record Undo(List<String> indexDefinitions, List<Integer> pausedJobs, long maxQuarantinedId) {
    }

    private static Undo undo(Connection c) throws SQLException {
        String sql = "SELECT (SELECT deferred_indexes FROM migration_checkpoint WHERE name = ?),"
                + " (SELECT paused_jobs FROM migration_checkpoint WHERE name = ?),"
                + " (SELECT coalesce(max(id), 1) FROM migration_quarantine)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, CHECKPOINT_NAME);
            ps.setString(2, CHECKPOINT_NAME);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Undo(strings(rs.getArray(1)), ints(rs.getArray(2)), rs.getLong(3));
            }
        }
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : new ArrayList<>(Arrays.asList((String[]) a.getArray()));
    }

    private static List<Integer> ints(Array a) throws SQLException {
        return a == null ? List.of() : new ArrayList<>(Arrays.asList((Integer[]) a.getArray()));
    }

    /**
     * The quarantined rows for the report: the count and the first {@code limit} in id order.
     *
     * @param limit rows to list, &gt;= 0
     * @return the listing
     */
    QuarantineListing quarantineListing(int limit) {
        String sql = "SELECT id, reason, storage_classes, timestamp_value, decoded_data, count(*) OVER ()"
                + " FROM migration_quarantine ORDER BY id LIMIT ?";
        return db.transaction("listing the quarantine", c -> {
            List<String> lines = new ArrayList<>();
            long total = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, Math.max(1, limit));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        total = rs.getLong(6);
                        if (lines.size() < limit) {
                            lines.add("id " + rs.getLong(1) + ": " + rs.getString(2) + " [timestamp=" + rs.getString(4)
                                    + ", decoded_data=" + abbreviate(rs.getString(5)) + ", storage " + rs.getString(3)
                                    + "]");
                        }
                    }
                }
            }
            return new QuarantineListing(total, lines);
        });
    }

    private static String abbreviate(String s) {
        return s == null ? "NULL" : s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
