package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.cea.testsupport.PostgresCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Store#jobHealth()} against TimescaleDB's real job runner (a job whose procedure raises, the
 * schema's own policies run by the scheduler, a job no longer started), against plain PostgreSQL and
 * SQLite (not applicable, never an error).
 */
class JobHealthIT {
    private static PostgresCluster ts;

    private static synchronized PostgresCluster timescale() {
        assumeTrue(PostgresCluster.timescaleSelected(), "TimescaleDB-only tests skipped: test clusters run "
                + PostgresCluster.describeBackend(false));
        if (ts == null) {
            ts = PostgresCluster.start();
        }
        return ts;
    }

    @AfterAll
    static void stop() {
        if (ts != null) {
            ts.close();
        }
    }

    private static JobHealth.Verdict verdict(JobHealth.Report r, String name) {
        return r.jobs().stream().filter(v -> v.job().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no job " + name + " in " + r));
    }

    @Test
    void aJobWhoseProcedureRaisesIsReportedFailingWithItsNameAndLastError() throws Exception {
        PostgresCluster pg = timescale();
        pg.createDatabase("jobs_fail");
        String url = pg.url("jobs_fail");
        assertEquals(Backend.TIMESCALEDB, Store.applySchema(url));
        pg.psql("jobs_fail", "CREATE PROCEDURE cea_check_source(job_id int, config jsonb) LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'source table cea_gone does not exist'; END $$");
        String id = pg.psql("jobs_fail", "SELECT add_job('cea_check_source', INTERVAL '1 second')").trim();
        try (Store store = Store.open(url)) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            JobHealth.Report r = store.jobHealth();
            while (verdict(r, "cea_check_source").status() != JobHealth.Status.FAILING && System.nanoTime() < deadline) {
                Thread.sleep(500);
                r = store.jobHealth();
            }
            JobHealth.Verdict v = verdict(r, "cea_check_source");
            assertEquals(JobHealth.Status.FAILING, v.status(), r.toString());
            assertEquals(Integer.parseInt(id), v.job().id());
            assertEquals("source table cea_gone does not exist", v.job().lastError());
            assertTrue(v.job().consecutiveFailures() >= JobHealth.FAILURES_IN_A_ROW, v.toString());
            assertEquals(JobHealth.State.DEGRADED, r.state());
            assertTrue(r.reason().contains("failed runs in a row"), r.reason());
            // TimescaleDB's own jobs (telemetry, job-history retention) are not the project's
            assertTrue(r.jobs().stream().noneMatch(j -> j.job().name().startsWith("policy_")), r.toString());
        }
    }

    /**
     * The schema's four policies, run by TimescaleDB's own scheduler (no record written by the test):
     * every run recorded a success, the work is done (a compressed chunk, the minute aggregate's
     * watermark near now) and the report is ok. Fails where the runner records its runs as failed, as
     * TimescaleDB 2.28.3 does on PostgreSQL 15.20 (issue 18; DESIGN.md "Job health"): that is a broken
     * deployment, not a test to skip.
     */
    @Test
    void theSchemasPoliciesRunByTheSchedulerSucceedAndAreOk() throws Exception {
        PostgresCluster pg = timescale();
        pg.createDatabase("jobs_ok");
        String url = pg.url("jobs_ok");
        assertEquals(Backend.TIMESCALEDB, Store.applySchema(url));
        // 20 days ago (a chunk the compression policy compresses) and the last half hour (the minute refresh)
        pg.psql("jobs_ok", "INSERT INTO sensor_readings SELECT now() - INTERVAL '20 days' - i * INTERVAL '1 minute', 'co2', i"
                + " FROM generate_series(1, 120) i UNION ALL SELECT now() - i * INTERVAL '10 seconds', 'co2', i"
                + " FROM generate_series(1, 180) i");
        // runs that start after the rows are in (a policy may have run once when it was added)
        String t0 = pg.psql("jobs_ok", "SELECT now()").trim();
        pg.psql("jobs_ok", "SELECT alter_job(job_id, next_start => now()) FROM timescaledb_information.jobs"
                + " WHERE hypertable_schema = 'public'");
        String pendingRuns = "SELECT count(*) FROM timescaledb_information.jobs j LEFT JOIN timescaledb_information.job_stats s"
                + " USING (job_id) WHERE j.hypertable_schema = 'public' AND (s.job_status IS DISTINCT FROM 'Scheduled'"
                + " OR s.last_run_started_at IS NULL OR s.last_run_started_at < '" + t0 + "'"
                + " OR s.last_run_status IS NULL)";
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!"0".equals(pg.psql("jobs_ok", pendingRuns).trim()) && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        try (Store store = Store.open(url)) {
            JobHealth.Report r = store.jobHealth();
            assertEquals(List.of("compression sensor_readings", "compression can_messages", "refresh sensor_readings_1m",
                    "refresh sensor_readings_1h"), r.jobs().stream().map(v -> v.job().name()).collect(Collectors.toList()));
            for (JobHealth.Verdict v : r.jobs()) {
                assertEquals(JobHealth.Status.OK, v.status(), "the runner's record of " + v.job().name() + ": " + v);
                assertEquals("Success", v.job().lastStatus(), v.toString());
                assertEquals(0, v.job().consecutiveFailures(), v.toString());
                assertNotNull(v.job().lastSuccess(), v.toString());
            }
            assertEquals(JobHealth.State.OK, r.state(), r.toString());
            assertEquals(1800, verdict(r, "refresh sensor_readings_1h").job().schedule().toSeconds());
        }
        assertEquals("1", pg.psql("jobs_ok", "SELECT count(*) FROM timescaledb_information.chunks"
                + " WHERE hypertable_name = 'sensor_readings' AND is_compressed").trim());
        assertEquals("t", pg.psql("jobs_ok", "SELECT _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark("
                + "mat_hypertable_id)) > now() - INTERVAL '5 minutes' FROM _timescaledb_catalog.continuous_agg"
                + " WHERE user_view_name = 'sensor_readings_1m'").trim());
    }

    /**
     * Failing and not run told apart on the real runner: a job whose procedure raises is failing; a
     * job that succeeded and is no longer started (the database's schedulers stopped) becomes late,
     * "not run", and is not called failing. On a cluster of its own: stopping the schedulers is
     * cluster-wide.
     */
    @Test
    void aJobNoLongerStartedIsLateNotRunWhileARaisingOneIsFailing() throws Exception {
        assumeTrue(PostgresCluster.timescaleSelected(), "TimescaleDB-only tests skipped: test clusters run "
                + PostgresCluster.describeBackend(false));
        try (PostgresCluster pg = PostgresCluster.start()) {
            pg.createDatabase("jobs_stop");
            String url = pg.url("jobs_stop");
            assertEquals(Backend.TIMESCALEDB, Store.applySchema(url));
            pg.psql("jobs_stop", "CREATE PROCEDURE cea_tick(job_id int, config jsonb) LANGUAGE plpgsql AS"
                    + " $$ BEGIN PERFORM 1; END $$");
            pg.psql("jobs_stop", "CREATE PROCEDURE cea_check_source(job_id int, config jsonb) LANGUAGE plpgsql AS"
                    + " $$ BEGIN RAISE EXCEPTION 'source table cea_gone does not exist'; END $$");
            String tick = pg.psql("jobs_stop", "SELECT add_job('cea_tick', INTERVAL '1 second')").trim();
            String raising = pg.psql("jobs_stop", "SELECT add_job('cea_check_source', INTERVAL '1 second')").trim();
            try (Store store = Store.open(url)) {
                JobHealth.Report r = awaitReport(store, 60_000, rep -> verdict(rep, "cea_tick").status() == JobHealth.Status.OK
                        && verdict(rep, "cea_check_source").status() == JobHealth.Status.FAILING);
                assertEquals(JobHealth.Status.OK, verdict(r, "cea_tick").status(), r.toString());
                assertEquals(JobHealth.Status.FAILING, verdict(r, "cea_check_source").status(), r.toString());

                pg.psql("jobs_stop", "SELECT _timescaledb_functions.stop_background_workers()");
                long runs = Long.parseLong(pg.psql("jobs_stop", "SELECT total_runs FROM timescaledb_information.job_stats"
                        + " WHERE job_id = " + tick).trim());
                r = awaitReport(store, 30_000, rep -> verdict(rep, "cea_tick").status() == JobHealth.Status.LATE);
                JobHealth.Verdict late = verdict(r, "cea_tick");
                assertEquals(JobHealth.Status.LATE, late.status(), r.toString());
                assertTrue(late.why().startsWith("not run since "), late.why());
                assertEquals(0, late.job().consecutiveFailures(), late.toString());
                assertEquals(Integer.parseInt(tick), late.job().id());
                assertEquals(runs, late.job().runs(), "the stopped scheduler started it again: " + late);
                assertEquals(JobHealth.Status.FAILING, verdict(r, "cea_check_source").status(), r.toString());
                assertEquals(Integer.parseInt(raising), verdict(r, "cea_check_source").job().id());
                assertEquals(JobHealth.State.DEGRADED, r.state());
            }
        }
    }

    private static JobHealth.Report awaitReport(Store store, long millis, java.util.function.Predicate<JobHealth.Report> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        JobHealth.Report r = store.jobHealth();
        while (!done.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = store.jobHealth();
        }
        return r;
    }

    @Test
    void plainPostgresqlHasNoJobsToReport() {
        try (PostgresCluster plain = PostgresCluster.startPlain()) {
            plain.createDatabase("jobs_plain");
            try (Store store = Store.open(plain.url("jobs_plain"))) {
                assertEquals(Backend.POSTGRES, store.backend());
                JobHealth.Report r = store.jobHealth();
                assertEquals(JobHealth.State.NOT_APPLICABLE, r.state());
                assertTrue(r.jobs().isEmpty());
                assertTrue(r.reason().contains("plain PostgreSQL"), r.reason());
            }
        }
    }

    @Test
    void sqliteHasNoJobsToReport() throws Exception {
        Path dir = Files.createTempDirectory("cea-jobs-");
        try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("jobs.db"))) {
            JobHealth.Report r = store.jobHealth();
            assertEquals(JobHealth.State.NOT_APPLICABLE, r.state());
            assertTrue(r.reason().startsWith("SQLITE"), r.reason());
        }
    }
}
