package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job-health rule on hand-made records: 3 failures in a row, 2 x the schedule without a success. */
class JobHealthTest {
    private static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static JobHealth.Job job(long runs, int failures, Instant lastSuccess, Instant nextStart, boolean scheduled) {
        return new JobHealth.Job(1002, "refresh sensor_readings_1m", MINUTE, scheduled, runs, failures,
                failures > 0 ? "Failed" : runs > 0 ? "Success" : null, lastSuccess, lastSuccess, nextStart,
                failures > 0 ? "boom" : null);
    }

    @Test
    void aRecentSuccessIsOk() {
        JobHealth.Verdict v = JobHealth.classify(job(10, 0, NOW.minusSeconds(30), NOW.plusSeconds(30), true), NOW);
        assertEquals(JobHealth.Status.OK, v.status());
    }

    @Test
    void oneOrTwoFailuresRetryThreeInARowFail() {
        Instant ok = NOW.minusSeconds(90); // 1.5 schedules: not late yet
        assertEquals(JobHealth.Status.RETRYING, JobHealth.classify(job(10, 1, ok, NOW, true), NOW).status());
        assertEquals(JobHealth.Status.RETRYING, JobHealth.classify(job(10, 2, ok, NOW, true), NOW).status());
        JobHealth.Verdict v = JobHealth.classify(job(10, 3, ok, NOW, true), NOW);
        assertEquals(JobHealth.Status.FAILING, v.status());
        assertEquals("3 failed runs in a row (limit 3), last error: boom", v.why());
    }

    @Test
    void noSuccessForMoreThanTwoSchedulesIsLate() {
        assertEquals(JobHealth.Status.OK, JobHealth.classify(job(10, 0, NOW.minusSeconds(120), NOW, true), NOW).status());
        JobHealth.Verdict v = JobHealth.classify(job(10, 0, NOW.minusSeconds(121), NOW, true), NOW);
        assertEquals(JobHealth.Status.LATE, v.status());
        assertEquals("not run since its last success at 2026-12-02T05:57:59Z, 121 s ago (limit 2 x 60 s)", v.why());
    }

    @Test
    void aJobNeverRunIsPendingUntilItsFirstStartIsOverdue() {
        assertEquals(JobHealth.Status.PENDING, JobHealth.classify(job(0, 0, null, NOW.plusSeconds(600), true), NOW).status());
        assertEquals(JobHealth.Status.PENDING, JobHealth.classify(job(0, 0, null, NOW.minusSeconds(60), true), NOW).status());
        assertEquals(JobHealth.Status.LATE, JobHealth.classify(job(0, 0, null, NOW.minusSeconds(121), true), NOW).status());
    }

    @Test
    void aFailureSinceASuccessOlderThanTwoSchedulesIsFailingNotLate() {
        // the runner backs off after each failure, so the third failure may come after the limit
        JobHealth.Verdict v = JobHealth.classify(job(10, 1, NOW.minusSeconds(121), NOW.plusSeconds(60), true), NOW);
        assertEquals(JobHealth.Status.FAILING, v.status());
        assertTrue(v.why().startsWith("1 failed run(s) since the last success, no success since 2026-12-02T05:57:59Z, 121 s ago"),
                v.why());
        assertTrue(v.why().endsWith("(limit 2 x 60 s), last error: boom"), v.why());
    }

    @Test
    void aJobWhoseNextStartIsLongOverdueIsNotRunWhateverItsLastRuns() {
        // a stopped scheduler: the record stays as the last run left it, next start in the past
        JobHealth.Verdict fresh = JobHealth.classify(job(10, 0, NOW.minusSeconds(30), NOW.minusSeconds(121), true), NOW);
        assertEquals(JobHealth.Status.LATE, fresh.status());
        assertEquals("not run since due at 2026-12-02T05:57:59Z, 121 s ago (limit 2 x 60 s)", fresh.why());
        // two failures and never a success: not retrying for ever once nobody starts it
        JobHealth.Verdict failed = JobHealth.classify(job(2, 2, null, NOW.minusSeconds(121), true), NOW);
        assertEquals(JobHealth.Status.LATE, failed.status());
        assertTrue(failed.why().endsWith(", last error: boom"), failed.why());
        // while a run is under way the runner's next start is -infinity (null): not overdue
        assertEquals(JobHealth.Status.OK, JobHealth.classify(job(10, 0, NOW.minusSeconds(30), null, true), NOW).status());
        assertEquals(JobHealth.Status.RETRYING, JobHealth.classify(job(2, 2, null, NOW.plusSeconds(60), true), NOW).status());
    }

    @Test
    void anUnscheduledJobIsPaused() {
        assertEquals(JobHealth.Status.PAUSED, JobHealth.classify(job(10, 0, NOW, NOW, false), NOW).status());
    }

    @Test
    void theReportIsDegradedByTheFirstFailingJobAndNamesIt() {
        JobHealth.Report r = JobHealth.of(List.of(job(10, 0, NOW, NOW, true),
                new JobHealth.Job(1005, "cea_check", MINUTE, true, 5, 5, "Failed", NOW, null, NOW, "disk full")), NOW);
        assertEquals(JobHealth.State.DEGRADED, r.state());
        assertEquals("cea_check: 5 failed runs in a row (limit 3), last error: disk full", r.reason());
        assertEquals(JobHealth.State.OK, JobHealth.of(List.of(job(10, 1, NOW, NOW, true)), NOW).state());
    }

    @Test
    void namesSayWhatAJobDoesAndOnWhat() {
        assertEquals("refresh sensor_readings_1h", Jobs.name("_timescaledb_functions", "policy_refresh_continuous_aggregate",
                "sensor_readings_1h"));
        assertEquals("compression can_messages", Jobs.name("_timescaledb_functions", "policy_compression", "can_messages"));
        assertEquals("cea_check", Jobs.name("public", "cea_check", null));
    }
}
