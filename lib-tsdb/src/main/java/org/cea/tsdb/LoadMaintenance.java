package org.cea.tsdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The housekeeping around a bulk load on the loader's connection: secondary indexes of {@code
 * can_messages} dropped and rebuilt, compression policies paused and resumed, the id sequence moved,
 * old chunks compressed, continuous aggregates refreshed over the loaded range.
 */
final class LoadMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(LoadMaintenance.class);
    /** Indexes of can_messages that are not backing a constraint: name and definition. */
    private static final String DROPPABLE_INDEXES = "SELECT quote_ident(n.nspname) || '.' || quote_ident(i.relname),"
            + " pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            + " JOIN pg_namespace n ON n.oid = i.relnamespace"
            + " WHERE x.indrelid = 'can_messages'::regclass"
            + " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY 1";
    private static final String SCHEDULED_COMPRESSION = "SELECT job_id FROM timescaledb_information.jobs"
            + " WHERE proc_name = 'policy_compression' AND hypertable_name IN ('can_messages', 'sensor_readings')"
            + " AND scheduled";
    private static final long HOUR = 3_600_000_000L;
    private static final long MINUTE = 60_000_000L;
    /** The minute aggregate's refresh policy window: older minutes are answered from raw rows. */
    private static final long MINUTE_POLICY_WINDOW = 7 * 24 * HOUR;

    private final Connection conn;
    private final BiFunction<String, SQLException, TsdbException> fail;
    private final Supplier<TimescaleState> timescale;
    private final Predicate<String> exists;
    private String sequence;

    /**
     * @param conn      the loader's connection (autocommit off)
     * @param fail      rolls back and turns a failure of a named step into the exception to throw
     * @param timescale the target's TimescaleDB state
     * @param exists    whether a table or view exists
     */
    LoadMaintenance(Connection conn, BiFunction<String, SQLException, TsdbException> fail,
                    Supplier<TimescaleState> timescale, Predicate<String> exists) {
        this.conn = conn;
        this.fail = fail;
        this.timescale = timescale;
        this.exists = exists;
    }

    List<String> deferIndexes(BulkLoader.RecordingHook<String> record) {
        List<String> names = new ArrayList<>();
        List<String> defs = new ArrayList<>();
        try (Statement st = conn.createStatement()) {
            try (ResultSet rs = st.executeQuery(DROPPABLE_INDEXES)) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    defs.add(rs.getString(2));
                }
            }
            record.record(conn, defs);
            for (String n : names) {
                st.execute("DROP INDEX " + n);
            }
            conn.commit();
            LOG.info("bulk load into an empty can_messages: dropped {} index(es), recreated at the end: {}",
                    names.size(), names);
            return names;
        } catch (SQLException e) {
            throw fail.apply("deferring the indexes of can_messages", e);
        }
    }

    List<Integer> pauseCompressionPolicies(BulkLoader.RecordingHook<Integer> record) {
        if (!timescale.get().loaded()) {
            return List.of();
        }
        List<Integer> jobs = new ArrayList<>();
        try (Statement st = conn.createStatement()) {
            try (ResultSet rs = st.executeQuery(SCHEDULED_COMPRESSION)) {
                while (rs.next()) {
                    jobs.add(rs.getInt(1));
                }
            }
            for (Integer j : jobs) {
                st.execute("SELECT alter_job(" + j + ", scheduled => false)");
            }
            record.record(conn, jobs);
            conn.commit();
            if (!jobs.isEmpty()) {
                LOG.info("compression policy job(s) {} paused for the load", jobs);
            }
            return jobs;
        } catch (SQLException e) {
            throw fail.apply("pausing the compression policies", e);
        }
    }

    void finish(List<String> indexDefinitions, List<Integer> pausedJobs, long idFloor, BulkLoader.Hook hook) {
        try {
            restoreIndexes(indexDefinitions);
            if (!pausedJobs.isEmpty() && timescale.get().loaded()) {
                resumeJobs(pausedJobs);
            }
            hook.run(conn);
            moveSequencePast(idFloor);
            conn.commit();
        } catch (SQLException e) {
            throw fail.apply("finishing the load", e);
        }
    }

    private void restoreIndexes(List<String> defs) throws SQLException {
        if (defs.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        try (Statement st = conn.createStatement()) {
            st.execute("SET LOCAL maintenance_work_mem = '128MB'");
            for (String def : defs) {
                st.execute(def.replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX IF NOT EXISTS "));
            }
        }
        LOG.info("recreated {} index(es) of can_messages in {} ms", defs.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Schedules the jobs again, skipping any dropped meanwhile (a policy removed during the load). */
    private void resumeJobs(List<Integer> jobs) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT alter_job(j, scheduled => true) FROM unnest(?::integer[]) j"
                + " WHERE j IN (SELECT job_id FROM timescaledb_information.jobs)")) {
            ps.setArray(1, conn.createArrayOf("integer", jobs.toArray()));
            ps.execute();
        }
    }

    private void moveSequencePast(long idFloor) throws SQLException {
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
        String sql = "SELECT setval(?::regclass, greatest((SELECT coalesce(max(id), 1) FROM can_messages), ?,"
                + " (SELECT last_value FROM " + sequence + ")))";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, sequence);
            ps.setLong(2, Math.max(1, idFloor));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                LOG.info("sequence {} now at {}", sequence, rs.getLong(1));
            }
        }
    }

    int compressOldChunks(long beforeMicros) {
        if (!timescale.get().loaded()) {
            return 0;
        }
        int n = 0;
        for (String table : List.of("can_messages", "sensor_readings")) {
            n += compress(table, beforeMicros);
        }
        return n;
    }

    private int compress(String table, long beforeMicros) {
        String enabled = "SELECT compression_enabled FROM timescaledb_information.hypertables WHERE hypertable_name = ?";
        String sql = "SELECT count(compress_chunk(c, if_not_compressed => true))"
                + " FROM show_chunks(?::regclass, older_than => ?::timestamptz) c";
        try {
            int n = 0;
            if (firstBoolean(enabled, table)) {
                try (PreparedStatement c = conn.prepareStatement(sql)) {
                    c.setString(1, table);
                    c.setString(2, Times.formatUtc(beforeMicros));
                    try (ResultSet rs = c.executeQuery()) {
                        rs.next();
                        n = rs.getInt(1);
                    }
                }
                LOG.info("compressed {} chunk(s) of {}", n, table);
            }
            conn.commit();
            return n;
        } catch (SQLException e) {
            throw fail.apply("compressing chunks of " + table, e);
        }
    }

    private boolean firstBoolean(String sql, String arg) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * {@code refresh_continuous_aggregate} cannot run in a transaction block, so it runs in
     * autocommit. Without it, old buckets stay unmaterialised until a policy reaches them (the
     * minute policy never does) and history reads raw rows there (correct, slow).
     */
    List<String> refreshAggregates(long fromMicros, long toMicros, long nowMicros) {
        List<String> done = new ArrayList<>();
        if (!timescale.get().loaded()) {
            return done;
        }
        long[][] windows = {
            {Math.floorDiv(fromMicros, HOUR) * HOUR, (Math.floorDiv(toMicros, HOUR) + 1) * HOUR},
            {Math.floorDiv(Math.max(fromMicros, nowMicros - MINUTE_POLICY_WINDOW), MINUTE) * MINUTE,
                (Math.floorDiv(toMicros, MINUTE) + 1) * MINUTE},
        };
        String[] views = {"sensor_readings_1h", "sensor_readings_1m"};
        for (int i = 0; i < views.length; i++) {
            if (windows[i][1] > windows[i][0] && exists.test(views[i])) {
                done.add(refresh(views[i], windows[i][0], windows[i][1]));
            }
        }
        return done;
    }

    private String refresh(String view, long from, long to) {
        long t0 = System.nanoTime();
        try {
            conn.setAutoCommit(true);
            try (PreparedStatement ps = conn.prepareStatement(
                    "CALL refresh_continuous_aggregate(?::regclass, ?::timestamptz, ?::timestamptz)")) {
                ps.setString(1, view);
                ps.setString(2, Times.formatUtc(from));
                ps.setString(3, Times.formatUtc(to));
                ps.execute();
            } finally {
                conn.setAutoCommit(false);
            }
        } catch (SQLException e) {
            throw fail.apply("refreshing " + view + " over the loaded range (rerun the load, or run"
                    + " CALL refresh_continuous_aggregate('" + view + "', NULL, NULL) as the aggregate's owner)", e);
        }
        String line = String.format(Locale.ROOT, "refreshed %s over %s .. %s in %.1f s", view, Times.formatUtc(from),
                Times.formatUtc(to), (System.nanoTime() - t0) / 1e9);
        LOG.info(line);
        return line;
    }
}
