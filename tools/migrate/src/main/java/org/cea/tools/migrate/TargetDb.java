package org.cea.tools.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cea.tsdb.Store;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target PostgreSQL/TimescaleDB database: schema check and creation, the checkpoint and
 * quarantine tables, batch loading with COPY, sequence and compression housekeeping.
 *
 * <p>Each batch is one transaction: the COPY of its messages, its quarantined rows, its sensor
 * readings and the checkpoint row move together, so a run killed at any point leaves the target at
 * a batch boundary and a rerun continues from the checkpoint without writing anything twice.
 */
public final class TargetDb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TargetDb.class);
    /** Name of the checkpoint row for the legacy table. */
    static final String CHECKPOINT_NAME = "sqlite:can_messages";
    private static final String COPY_MESSAGES = "COPY can_messages (id, \"timestamp\", can_id, node_id, message_type,"
            + " dlc, raw_data, decoded_data, created_at) FROM STDIN";
    private static final int FLUSH_BYTES = 256 * 1024;

    private final TargetUrl url;
    private final String rawUrl;
    private final Connection conn;
    private final AtomicBoolean closed = new AtomicBoolean();
    private TimescaleState timescale;
    private String sequence;

    private TargetDb(TargetUrl url, String rawUrl, Connection conn) {
        this.url = url;
        this.rawUrl = rawUrl;
        this.conn = conn;
    }

    /**
     * Connects (autocommit off).
     *
     * @param url    parsed target
     * @param rawUrl the URL as given, for lib-tsdb's schema bootstrap
     * @return the open target
     * @throws MigrationException when the server cannot be reached, naming the masked URL
     */
    public static TargetDb connect(TargetUrl url, String rawUrl) {
        try {
            Connection c = DriverManager.getConnection(url.jdbcUrl(), url.properties());
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // safe here: a batch and its checkpoint commit together, so a commit lost in a server
                // crash is redone by the rerun, never half-applied
                st.execute("SET synchronous_commit = off");
                st.execute("SET TIME ZONE 'UTC'");
            }
            c.commit();
            return new TargetDb(url, rawUrl, c);
        } catch (SQLException e) {
            throw new MigrationException("cannot connect to " + url + " (SQLSTATE " + e.getSQLState() + "): "
                    + e.getMessage() + "; check --target and that the server is running", e);
        }
    }

    /** The JDBC connection, for the verifier's queries (autocommit off). */
    Connection connection() {
        return conn;
    }

    /** The parsed target. */
    public TargetUrl url() {
        return url;
    }

    /**
     * What the target says about TimescaleDB, read once.
     *
     * @return the extension state
     */
    public TimescaleState timescale() {
        if (timescale == null) {
            try (Statement st = conn.createStatement()) {
                String installed = null;
                try (ResultSet rs = st.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'")) {
                    if (rs.next()) {
                        installed = rs.getString(1);
                    }
                }
                // pg_settings, not current_setting(): the setting is visible only to superusers and
                // pg_read_all_settings, and the view leaves it out for other roles instead of failing
                String preload = null;
                try (ResultSet rs = st.executeQuery(
                        "SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'")) {
                    if (rs.next()) {
                        preload = rs.getString(1);
                    }
                }
                if (preload == null && installed != null) {
                    // hidden from this role: the extension answers only when its library is loaded
                    preload = timescaleAnswers(st) ? "timescaledb" : "";
                }
                conn.commit();
                timescale = new TimescaleState(installed, preload);
            } catch (SQLException e) {
                throw fail("reading the TimescaleDB state", e);
            }
        }
        return timescale;
    }

    /** True when {@code can_messages} exists. */
    public boolean hasMessagesTable() {
        return exists("can_messages");
    }

    /** True when {@code sensor_readings} exists. */
    public boolean hasReadingsTable() {
        return exists("sensor_readings");
    }

    private boolean exists(String table) {
        try (PreparedStatement ps = conn.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean b = rs.getBoolean(1);
                conn.commit();
                return b;
            }
        } catch (SQLException e) {
            throw fail("looking up table " + table, e);
        }
    }

    /**
     * Creates the pipeline schema with lib-tsdb when {@code can_messages} is missing, then this
     * tool's own tables ({@code migration_checkpoint}, {@code migration_quarantine}).
     */
    public void ensureSchema() {
        if (!hasMessagesTable()) {
            LOG.info("target has no can_messages: creating the schema (lib-tsdb, sql/timescaledb_setup.sql)");
            Store.applySchema(rawUrl);
        }
        execute(MigrationTables.DDL);
    }

    /** True when this tool's tables exist (a migration has been started). */
    public boolean hasMigrationTables() {
        return exists("migration_checkpoint") && exists("migration_quarantine");
    }

    /**
     * The stored checkpoint, or null when no migration has written a batch yet.
     *
     * @return the checkpoint row
     */
    public Checkpoint checkpoint() {
        if (!exists("migration_checkpoint")) {
            return null;
        }
        String sql = "SELECT source_path, from_id, last_id, rows_copied, rows_quarantined, finished_at IS NOT NULL"
                + " FROM migration_checkpoint WHERE name = ?";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, CHECKPOINT_NAME);
            try (ResultSet rs = ps.executeQuery()) {
                Checkpoint c = rs.next() ? new Checkpoint(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getBoolean(6)) : null;
                conn.commit();
                return c;
            }
        } catch (SQLException e) {
            throw fail("reading the checkpoint", e);
        }
    }

    /**
     * Counts target rows in {@code (afterId, upToId]}: rows this migration has not written but would
     * write (another writer used the same ids), which must be zero before copying.
     *
     * @return the count and the smallest such id
     */
    public long[] foreignRows(long afterId, long upToId) {
        String sql = "SELECT count(*), coalesce(min(id), 0) FROM can_messages WHERE id > ? AND id <= ?";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setLong(1, afterId);
            ps.setLong(2, upToId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long[] r = {rs.getLong(1), rs.getLong(2)};
                conn.commit();
                return r;
            }
        } catch (SQLException e) {
            throw fail("checking for rows in the id range to migrate", e);
        }
    }

    /**
     * Writes one batch and advances the checkpoint, in one transaction.
     *
     * @param messages   converted rows in id order
     * @param quarantine rows that do not fit, with their reasons
     * @param readings   sensor readings derived from {@code messages} (may be empty)
     * @param checkpoint the checkpoint after this batch
     */
    public void writeBatch(List<MessageRecord> messages, List<QuarantinedRow> quarantine, List<ReadingRecord> readings,
                           Checkpoint checkpoint) {
        try {
            if (!messages.isEmpty()) {
                copyMessages(messages);
            }
            if (!quarantine.isEmpty()) {
                insertQuarantine(quarantine, checkpoint.sourcePath());
            }
            if (!readings.isEmpty()) {
                copyReadings(readings);
            }
            saveCheckpoint(checkpoint);
            conn.commit();
        } catch (SQLException | IOException e) {
            rollbackQuietly(e);
            throw new MigrationException("writing the batch ending at id " + checkpoint.lastId() + " failed ("
                    + (e instanceof SQLException s ? "SQLSTATE " + s.getSQLState() + ": " : "") + e.getMessage()
                    + "); nothing of it was committed, rerun to continue from id " + checkpoint.fromId(), e);
        }
    }

    private void copyMessages(List<MessageRecord> rows) throws SQLException, IOException {
        copyRows(COPY_MESSAGES, rows, CopyText::appendMessage);
    }

    /** COPY text rows, sent in chunks of about {@link #FLUSH_BYTES}; a failed COPY is cancelled. */
    private <T> void copyRows(String copySql, List<T> rows, java.util.function.BiConsumer<StringBuilder, T> append)
            throws SQLException, IOException {
        CopyIn copy = conn.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            StringBuilder sb = new StringBuilder(FLUSH_BYTES + 4096);
            for (T r : rows) {
                append.accept(sb, r);
                if (sb.length() >= FLUSH_BYTES) {
                    flush(copy, sb);
                }
            }
            flush(copy, sb);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private void copyReadings(List<ReadingRecord> rows) throws SQLException, IOException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS migrate_readings_stage (time timestamptz, sensor text,"
                    + " value double precision) ON COMMIT DELETE ROWS");
        }
        copyRows("COPY migrate_readings_stage (time, sensor, value) FROM STDIN", rows, CopyText::appendReading);
        try (Statement st = conn.createStatement()) {
            // a reading the live worker already stored for the same (sensor, time) is kept as it is
            st.execute("INSERT INTO sensor_readings (time, sensor, value) SELECT time, sensor, value"
                    + " FROM migrate_readings_stage ON CONFLICT DO NOTHING");
        }
    }

    private static void flush(CopyIn copy, StringBuilder sb) throws SQLException {
        if (sb.length() == 0) {
            return;
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(b, 0, b.length);
        sb.setLength(0);
    }

    private void insertQuarantine(List<QuarantinedRow> rows, String sourcePath) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(MigrationTables.INSERT_QUARANTINE)) {
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

    private void saveCheckpoint(Checkpoint c) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(MigrationTables.UPSERT_CHECKPOINT)) {
            ps.setString(1, CHECKPOINT_NAME);
            ps.setString(2, c.sourcePath());
            ps.setLong(3, c.fromId());
            ps.setLong(4, c.lastId());
            ps.setLong(5, c.rowsCopied());
            ps.setLong(6, c.rowsQuarantined());
            ps.setBoolean(7, c.finished());
            ps.executeUpdate();
        }
    }

    /** True when {@code can_messages} has no row at all. */
    public boolean messagesEmpty() {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM can_messages)")) {
            rs.next();
            boolean empty = rs.getBoolean(1);
            conn.commit();
            return empty;
        } catch (SQLException e) {
            throw fail("checking whether can_messages is empty", e);
        }
    }

    /**
     * Drops the indexes of the (empty) {@code can_messages} table for the bulk load, recording their
     * definitions in the checkpoint row in the same transaction, so {@link #finish} of this run or of
     * any rerun after a kill recreates them. Indexes that back a constraint are kept.
     *
     * @param start the checkpoint before the first batch
     * @return the names of the dropped indexes
     */
    public List<String> deferIndexes(Checkpoint start) {
        List<String> names = new java.util.ArrayList<>();
        List<String> defs = new java.util.ArrayList<>();
        try (Statement st = conn.createStatement()) {
            try (ResultSet rs = st.executeQuery(MigrationTables.DROPPABLE_INDEXES)) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    defs.add(rs.getString(2));
                }
            }
            saveCheckpoint(start);
            try (PreparedStatement ps = conn.prepareStatement(
                    "UPDATE migration_checkpoint SET deferred_indexes = ? WHERE name = ?")) {
                ps.setArray(1, conn.createArrayOf("text", defs.toArray()));
                ps.setString(2, CHECKPOINT_NAME);
                ps.executeUpdate();
            }
            for (String n : names) {
                st.execute("DROP INDEX " + n);
            }
            conn.commit();
            LOG.info("bulk load into an empty can_messages: dropped {} index(es), recreated at the end: {}", names.size(), names);
            return names;
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw fail("deferring the indexes of can_messages", e);
        }
    }

    /**
     * With TimescaleDB loaded, unschedules the compression policies of {@code can_messages} and
     * {@code sensor_readings} for the load (old rows land in old chunks, which the policy would
     * otherwise compress under the load), recording the job ids in the checkpoint row so that
     * {@link #finish} of this run or of a rerun schedules them again.
     *
     * @param c the current checkpoint (saved with the job ids)
     * @return the job ids paused now
     */
    public List<Integer> pauseCompressionPolicies(Checkpoint c) {
        if (!timescale().loaded()) {
            return List.of();
        }
        List<Integer> jobs = new java.util.ArrayList<>();
        String find = "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression'"
                + " AND hypertable_name IN ('can_messages', 'sensor_readings') AND scheduled";
        try (Statement st = conn.createStatement()) {
            try (ResultSet rs = st.executeQuery(find)) {
                while (rs.next()) {
                    jobs.add(rs.getInt(1));
                }
            }
            saveCheckpoint(c);
            for (Integer j : jobs) {
                st.execute("SELECT alter_job(" + j + ", scheduled => false)");
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "UPDATE migration_checkpoint SET paused_jobs = paused_jobs || ?::integer[] WHERE name = ?")) {
                ps.setArray(1, conn.createArrayOf("integer", jobs.toArray()));
                ps.setString(2, CHECKPOINT_NAME);
                ps.executeUpdate();
            }
            conn.commit();
            if (!jobs.isEmpty()) {
                LOG.info("compression policy job(s) {} paused for the load", jobs);
            }
            return jobs;
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw fail("pausing the compression policies", e);
        }
    }

    private void resumeCompressionPolicies() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("SELECT alter_job(j, scheduled => true) FROM migration_checkpoint, unnest(paused_jobs) j"
                    + " WHERE name = '" + CHECKPOINT_NAME + "' AND j IN (SELECT job_id FROM timescaledb_information.jobs)");
            st.execute("UPDATE migration_checkpoint SET paused_jobs = '{}' WHERE name = '" + CHECKPOINT_NAME + "'");
        }
    }

    private void restoreIndexes() throws SQLException {
        List<String> defs = new java.util.ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT unnest(deferred_indexes) FROM migration_checkpoint WHERE name = ?")) {
            ps.setString(1, CHECKPOINT_NAME);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    defs.add(rs.getString(1));
                }
            }
        }
        if (defs.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        try (Statement st = conn.createStatement()) {
            st.execute("SET LOCAL maintenance_work_mem = '128MB'");
            for (String def : defs) {
                st.execute(def.replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX IF NOT EXISTS "));
            }
            st.execute("UPDATE migration_checkpoint SET deferred_indexes = '{}' WHERE name = '" + CHECKPOINT_NAME + "'");
        }
        LOG.info("recreated {} index(es) of can_messages in {} ms", defs.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * The quarantined rows for the report: the count and the first {@code limit} in id order.
     *
     * @param limit rows to list, &gt;= 0
     * @return the listing
     */
    public QuarantineListing quarantineListing(int limit) {
        String sql = "SELECT id, reason, storage_classes, timestamp_value, decoded_data, count(*) OVER ()"
                + " FROM migration_quarantine ORDER BY id LIMIT ?";
        List<String> lines = new java.util.ArrayList<>();
        long total = 0;
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setInt(1, Math.max(1, limit));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    total = rs.getLong(6);
                    if (lines.size() < limit) {
                        lines.add("id " + rs.getLong(1) + ": " + rs.getString(2) + " [timestamp=" + rs.getString(4)
                                + ", decoded_data=" + abbreviate(rs.getString(5)) + ", storage " + rs.getString(3) + "]");
                    }
                }
            }
            conn.commit();
            return new QuarantineListing(total, lines);
        } catch (SQLException e) {
            throw fail("listing the quarantine", e);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "NULL" : s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    /**
     * Recreates indexes deferred by {@link #deferIndexes}, records the end of a migration (the
     * checkpoint's finished_at) and moves the id sequence of {@code can_messages} past the largest
     * id, never backwards; one transaction.
     *
     * @param c the final checkpoint
     */
    public void finish(Checkpoint c) {
        try {
            restoreIndexes();
            if (timescale().loaded()) {
                resumeCompressionPolicies();
            }
            saveCheckpoint(c);
            moveSequencePastMaxId();
            conn.commit();
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw fail("finishing the migration", e);
        }
    }

    /** True when a TimescaleDB function runs (it refuses to while the library is not preloaded). */
    private boolean timescaleAnswers(Statement st) throws SQLException {
        Savepoint sp = conn.setSavepoint();
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM timescaledb_information.hypertables")) {
            conn.releaseSavepoint(sp);
            return rs.next();
        } catch (SQLException e) {
            conn.rollback(sp);
            return false;
        }
    }

    private void moveSequencePastMaxId() throws SQLException {
        if (sequence == null) {
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_get_serial_sequence('can_messages', 'id')")) {
                rs.next();
                sequence = rs.getString(1);
            }
        }
        if (sequence == null) {
            LOG.warn("can_messages.id has no sequence (not BIGSERIAL/identity): not moved");
            return;
        }
        // above every legacy id, quarantined ones included: a live insert must never take an id the
        // legacy file has (a later --verify would find it "in the target but not in the source")
        String sql = "SELECT setval(?::regclass, greatest((SELECT coalesce(max(id), 1) FROM can_messages),"
                + " (SELECT coalesce(max(id), 1) FROM migration_quarantine),"
                + " (SELECT last_value FROM " + sequence + ")))";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, sequence);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                LOG.info("sequence {} now at {}", sequence, rs.getLong(1));
            }
        }
    }

    /**
     * With TimescaleDB and compression enabled on a hypertable, compresses its chunks that end
     * before {@code beforeMicros} (the newest migrated time), leaving the chunk the live pipeline
     * writes to alone. Rows are always loaded into uncompressed chunks first.
     *
     * @param beforeMicros epoch microseconds
     * @return number of chunks compressed
     */
    public int compressOldChunks(long beforeMicros) {
        if (!timescale().loaded()) {
            return 0;
        }
        int n = 0;
        for (String table : List.of("can_messages", "sensor_readings")) {
            n += compress(table, beforeMicros);
        }
        return n;
    }

    /**
     * Materialises the continuous aggregates over the migrated time range {@code [fromMicros,
     * toMicros]}: the hourly aggregate over all of it, the minute one over the part inside its
     * refresh policy's window (7 days; older minutes are answered from raw rows). Without this, the
     * old buckets stay unmaterialised until a policy reaches them (the minute policy never does) and
     * history reads raw rows there (correct, slow). {@code refresh_continuous_aggregate} cannot run in
     * a transaction block, so it runs in autocommit.
     *
     * @return one line per refreshed aggregate, for the report (empty when there are none)
     */
    public List<String> refreshAggregates(long fromMicros, long toMicros, long nowMicros) {
        List<String> done = new ArrayList<>();
        if (!timescale().loaded()) {
            return done;
        }
        long hour = 3_600_000_000L;
        long minute = 60_000_000L;
        long[][] windows = {
            {Math.floorDiv(fromMicros, hour) * hour, (Math.floorDiv(toMicros, hour) + 1) * hour},
            {Math.floorDiv(Math.max(fromMicros, nowMicros - 7 * 24 * hour), minute) * minute,
                (Math.floorDiv(toMicros, minute) + 1) * minute},
        };
        String[] views = {"sensor_readings_1h", "sensor_readings_1m"};
        for (int i = 0; i < views.length; i++) {
            String view = views[i];
            long[] w = windows[i];
            try {
                if (w[1] <= w[0] || !exists(view)) {
                    continue;
                }
                long t0 = System.nanoTime();
                conn.setAutoCommit(true);
                try (PreparedStatement ps = conn.prepareStatement(
                        "CALL refresh_continuous_aggregate(?::regclass, ?::timestamptz, ?::timestamptz)")) {
                    ps.setString(1, view);
                    ps.setString(2, Timestamps.formatUtc(w[0]));
                    ps.setString(3, Timestamps.formatUtc(w[1]));
                    ps.execute();
                } finally {
                    conn.setAutoCommit(false);
                }
                String line = String.format(java.util.Locale.ROOT, "refreshed %s over %s .. %s in %.1f s", view,
                        Timestamps.formatUtc(w[0]), Timestamps.formatUtc(w[1]), (System.nanoTime() - t0) / 1e9);
                LOG.info(line);
                done.add(line);
            } catch (SQLException e) {
                rollbackQuietly(e);
                throw fail("refreshing " + view + " over the migrated range (rerun can-migrate, or run"
                        + " CALL refresh_continuous_aggregate('" + view + "', NULL, NULL) as the aggregate's owner)", e);
            }
        }
        return done;
    }

    private int compress(String table, long beforeMicros) {
        String enabled = "SELECT compression_enabled FROM timescaledb_information.hypertables WHERE hypertable_name = ?";
        String sql = "SELECT count(compress_chunk(c, if_not_compressed => true))"
                + " FROM show_chunks(?::regclass, older_than => ?::timestamptz) c";
        try (PreparedStatement ps = conn.prepareStatement(enabled)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    conn.commit();
                    return 0;
                }
            }
            try (PreparedStatement c = conn.prepareStatement(sql)) {
                c.setString(1, table);
                c.setString(2, Timestamps.formatUtc(beforeMicros));
                try (ResultSet rs = c.executeQuery()) {
                    rs.next();
                    int n = rs.getInt(1);
                    conn.commit();
                    LOG.info("compressed {} chunk(s) of {}", n, table);
                    return n;
                }
            }
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw fail("compressing chunks of " + table, e);
        }
    }

    private void execute(String sql) {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
            conn.commit();
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw fail("creating the migration tables", e);
        }
    }

    private void rollbackQuietly(Exception cause) {
        try {
            conn.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private MigrationException fail(String what, SQLException e) {
        return new MigrationException(what + " on " + url + " failed (SQLSTATE " + e.getSQLState() + "): "
                + e.getMessage(), e);
    }

    /** Rolls back anything open and closes the connection; idempotent. */
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
        return "TargetDb[" + url + "]";
    }
}
