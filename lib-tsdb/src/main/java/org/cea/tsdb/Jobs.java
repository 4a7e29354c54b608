package org.cea.tsdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link JobHealth} from TimescaleDB's job views: the jobs acting on a table or aggregate of
 * the current schema, or running a procedure of it (TimescaleDB's own jobs, such as its telemetry
 * and job-history retention, are not the project's). {@code consecutive_failures} comes from
 * {@code _timescaledb_internal.bgw_job_stat} (readable by every role, as {@code job_stats} is);
 * the last error from {@code job_history}, which shows rows only to the job's owner and the
 * database owner (null for other roles, and on releases before 2.15 that have no job history).
 */
final class Jobs {
    private static final String MS = "CASE WHEN isfinite(%1$s) THEN (extract(epoch FROM %1$s) * 1000)::bigint END";
    private static final String JOBS = "SELECT j.job_id, j.proc_schema, j.proc_name, j.hypertable_name,"
            + " (extract(epoch FROM j.schedule_interval) * 1000)::bigint, j.scheduled, coalesce(s.total_runs, 0),"
            + " coalesce(b.consecutive_failures, 0), s.last_run_status, "
            + String.format(MS, "s.last_run_started_at") + ", " + String.format(MS, "s.last_successful_finish")
            + ", " + String.format(MS, "s.next_start") + ", (extract(epoch FROM now()) * 1000)::bigint"
            + " FROM timescaledb_information.jobs j"
            + " LEFT JOIN timescaledb_information.job_stats s ON s.job_id = j.job_id"
            + " LEFT JOIN _timescaledb_internal.bgw_job_stat b ON b.job_id = j.job_id"
            + " WHERE j.hypertable_schema = current_schema() OR j.proc_schema = current_schema()"
            + " ORDER BY j.job_id";
    private static final String ERRORS = "SELECT DISTINCT ON (job_id) job_id, err_message"
            + " FROM timescaledb_information.job_history WHERE succeeded IS NOT TRUE AND err_message IS NOT NULL"
            + " ORDER BY job_id, id DESC";

    private Jobs() {
    }

    static JobHealth.Report read(Connection c) throws SQLException {
        Map<Integer, String> errors = lastErrors(c);
        List<JobHealth.Job> jobs = new ArrayList<>();
        Instant now = Instant.now();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(JOBS)) {
            while (rs.next()) {
                int id = rs.getInt(1);
                now = Instant.ofEpochMilli(rs.getLong(13));
                jobs.add(new JobHealth.Job(id, name(rs.getString(2), rs.getString(3), rs.getString(4)),
                        Duration.ofMillis(rs.getLong(5)), rs.getBoolean(6), rs.getLong(7), rs.getInt(8),
                        rs.getString(9), instant(rs, 10), instant(rs, 11), instant(rs, 12), errors.get(id)));
            }
        }
        return JobHealth.of(jobs, now);
    }

    /** Newest error message per job, where this role may see them; none when the view is missing. */
    private static Map<Integer, String> lastErrors(Connection c) throws SQLException {
        Map<Integer, String> out = new HashMap<>();
        Savepoint sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(ERRORS); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getString(2));
            }
            c.releaseSavepoint(sp);
        } catch (SQLException e) {
            if (SqlErrors.isUnavailable(e)) {
                throw e;
            }
            c.rollback(sp);
        }
        return out;
    }

    /** What the job does and on what: {@code refresh sensor_readings_1m}, or the procedure's name. */
    static String name(String procSchema, String proc, String target) {
        String kind = switch (proc) {
            case "policy_refresh_continuous_aggregate" -> "refresh";
            case "policy_compression" -> "compression";
            case "policy_retention" -> "retention";
            case "policy_reorder" -> "reorder";
            default -> null;
        };
        if (kind != null && procSchema != null && procSchema.startsWith("_timescaledb")) {
            return target == null ? kind : kind + " " + target;
        }
        return target == null ? proc : proc + " on " + target;
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
