package org.cea.tsdb;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The health of the database's scheduled TimescaleDB jobs that act on this schema (refresh
 * policies of the continuous aggregates, compression and retention policies, and jobs whose
 * procedure lives in the schema), as {@code timescaledb_information.jobs} / {@code job_stats}
 * record them. A store without the extension has no jobs: {@link State#NOT_APPLICABLE}.
 *
 * <p>The rule ({@link #classify}) tells a job that runs and fails from one that is not run:
 * <ul>
 * <li>{@link Status#FAILING}: {@value #FAILURES_IN_A_ROW} failed runs in a row, or at least one failed run
 *     since its last success and that success more than {@value #LATE_FACTOR} × its schedule interval ago;</li>
 * <li>{@link Status#LATE} (not run): its next start is overdue by more than {@value #LATE_FACTOR} × the interval
 *     (the scheduler is stopped or has no free background worker), or its last success is that old with no
 *     failure since (a run that does not end);</li>
 * <li>{@link Status#PAUSED}: unscheduled;</li>
 * <li>{@link Status#RETRYING}: one or two failures in a row within the limit (a lock timeout, a restart: the
 *     next run usually succeeds); {@link Status#PENDING}: never run, not yet overdue.</li>
 * </ul>
 * The report is {@link State#DEGRADED} when any job is failing, late or paused. The job runner's
 * record is trusted, not the data: TimescaleDB 2.28.3 on PostgreSQL 15.20 records every scheduled
 * run as failed ({@code cannot drop portal "" while it is being set up}: a check added to
 * PostgreSQL's PortalDrop after 15.18, tripped by the runner's own portal after the work is done;
 * on 15.18 the same runs are successes), and that is reported as failing.
 */
public final class JobHealth {
    /** Failed runs in a row after which a job is {@link Status#FAILING}. */
    public static final int FAILURES_IN_A_ROW = 3;
    /** A job is {@link Status#LATE} without a success for longer than this many schedule intervals. */
    public static final int LATE_FACTOR = 2;

    private JobHealth() {
    }

    /** The whole report's state. */
    public enum State {
        /** Every job is ok, pending or retrying. */
        OK,
        /** At least one job is failing, late or paused. */
        DEGRADED,
        /** The database has no TimescaleDB job runner (SQLite, plain PostgreSQL). */
        NOT_APPLICABLE;

        /** {@code ok}, {@code degraded}, {@code not_applicable}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One job's health. */
    public enum Status {
        /** The last run succeeded, within the limit. */
        OK,
        /** Never run yet, not yet overdue. */
        PENDING,
        /** The last run failed, fewer than {@value #FAILURES_IN_A_ROW} in a row. */
        RETRYING,
        /** It runs and fails: {@value #FAILURES_IN_A_ROW} or more failed runs in a row, or failed since a success
         *  more than {@value #LATE_FACTOR} × the schedule interval ago. */
        FAILING,
        /** Not run: its next start overdue, or no run ending, for more than {@value #LATE_FACTOR} × the interval. */
        LATE,
        /** Unscheduled: it never runs. */
        PAUSED;

        /** Whether this status makes the report {@link State#DEGRADED}. */
        public boolean degrades() {
            return this == FAILING || this == LATE || this == PAUSED;
        }

        /** Lower-case name. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What the job runner recorded for one job.
     *
     * @param id                  TimescaleDB's job id
     * @param name                what the job does and on what, e.g. {@code refresh sensor_readings_1m},
     *                            {@code compression sensor_readings}, or the procedure's name
     * @param schedule            schedule interval, positive
     * @param scheduled           false when the job is paused
     * @param runs                runs recorded, &gt;= 0
     * @param consecutiveFailures failed runs since the last success, &gt;= 0
     * @param lastStatus          {@code Success} / {@code Failed} as TimescaleDB says, null before the first run
     * @param lastRun             start of the last run, null before the first
     * @param lastSuccess         end of the last successful run, null when none
     * @param nextStart           next scheduled start, null when unknown
     * @param lastError           the last failed run's message, null when none or not visible to this role
     *                            ({@code job_history} shows errors to the job's owner and the database owner only)
     */
    public record Job(int id, String name, Duration schedule, boolean scheduled, long runs, int consecutiveFailures,
                      String lastStatus, Instant lastRun, Instant lastSuccess, Instant nextStart, String lastError) {
        /** Validates. */
        public Job {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schedule, "schedule");
            if (runs < 0 || consecutiveFailures < 0) {
                throw new IllegalArgumentException("job " + id + ": runs and consecutiveFailures must be >= 0, were "
                        + runs + ", " + consecutiveFailures);
            }
        }
    }

    /**
     * A job with its health at the time of the report.
     *
     * @param job    as recorded
     * @param status the rule's verdict
     * @param why    one line saying why (for monitors and {@code /health})
     */
    public record Verdict(Job job, Status status, String why) {
    }

    /**
     * The report.
     *
     * @param state     the whole state
     * @param reason    why not applicable, or the first degraded job's line; empty when ok
     * @param jobs      every job of the schema, by id
     * @param checkedAt the database's time of the reading
     */
    public record Report(State state, String reason, List<Verdict> jobs, Instant checkedAt) {
        /** Copies. */
        public Report {
            Objects.requireNonNull(state, "state");
            reason = reason == null ? "" : reason;
            jobs = List.copyOf(jobs);
        }
    }

    /** A report for a database without a job runner. */
    public static Report notApplicable(String reason, Instant now) {
        return new Report(State.NOT_APPLICABLE, reason, List.of(), now);
    }

    /** The report for these jobs at {@code now}, by {@link #classify}. */
    public static Report of(List<Job> jobs, Instant now) {
        List<Verdict> out = new java.util.ArrayList<>(jobs.size());
        String reason = "";
        for (Job j : jobs) {
            Verdict v = classify(j, now);
            out.add(v);
            if (v.status().degrades() && reason.isEmpty()) {
                reason = j.name() + ": " + v.why();
            }
        }
        return new Report(reason.isEmpty() ? State.OK : State.DEGRADED, reason, out, now);
    }

    /** The rule of the class comment, for one job at {@code now}. */
    public static Verdict classify(Job j, Instant now) {
        Duration limit = j.schedule().multipliedBy(LATE_FACTOR);
        String error = j.lastError() == null ? "" : ", last error: " + j.lastError();
        String within = " (limit " + LATE_FACTOR + " x " + j.schedule().toSeconds() + " s)";
        if (!j.scheduled()) {
            return new Verdict(j, Status.PAUSED, "paused (scheduled = false): it never runs");
        }
        if (j.consecutiveFailures() >= FAILURES_IN_A_ROW) {
            return new Verdict(j, Status.FAILING, j.consecutiveFailures() + " failed runs in a row (limit "
                    + FAILURES_IN_A_ROW + ")" + error);
        }
        // the runner sets next_start at every start and end (-infinity, read as null, while running):
        // one long past due means nobody starts the job (scheduler stopped, no free background worker)
        if (j.nextStart() != null && ago(j.nextStart(), now).compareTo(limit) > 0) {
            return new Verdict(j, Status.LATE, "not run since due at " + j.nextStart() + ", "
                    + ago(j.nextStart(), now).toSeconds() + " s ago" + within + error);
        }
        if (j.lastSuccess() != null && ago(j.lastSuccess(), now).compareTo(limit) > 0) {
            // it runs (or ran) and fails: failing, not late, although fewer than 3 in a row (the runner
            // backs off 1, 2, ... schedules after each failure, so the third may be 3 schedules away)
            String since = j.lastSuccess() + ", " + ago(j.lastSuccess(), now).toSeconds() + " s ago" + within;
            return j.consecutiveFailures() > 0
                    ? new Verdict(j, Status.FAILING, j.consecutiveFailures() + " failed run(s) since the last success, "
                            + "no success since " + since + error)
                    : new Verdict(j, Status.LATE, "not run since its last success at " + since);
        }
        if (j.runs() == 0) {
            return new Verdict(j, Status.PENDING, "not run yet");
        }
        if (j.consecutiveFailures() > 0) {
            return new Verdict(j, Status.RETRYING, j.consecutiveFailures() + " failed run(s) in a row (failing at "
                    + FAILURES_IN_A_ROW + ")" + error);
        }
        return new Verdict(j, Status.OK, "last success " + j.lastSuccess());
    }

    private static Duration ago(Instant t, Instant now) {
        return Duration.between(t, now);
    }
}
