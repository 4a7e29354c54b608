package org.cea.tools.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.WorkerStatus;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** The worker reports the database's scheduled jobs in {@code worker:status} field {@code db_jobs}. */
class WorkerJobHealthIT {
    private static JedisPooled connect(RedisServer redis) {
        RedisConfig rc = RedisConfig.fromUrl(redis.url());
        return new JedisPooled(rc.hostAndPort(), rc.clientConfig());
    }

    /** The worker's first db_jobs report (written at start, then once a minute). */
    private static JsonObject dbJobs(String dbUrl) {
        try (RedisServer redis = RedisServer.start(false); JedisPooled jedis = connect(redis);
             WorkerProcess w = WorkerProcess.start(redis.url(), dbUrl, "jobs")) {
            Await.until(30_000, () -> jedis.hget(WorkerStatus.KEY, WorkerStatus.DB_JOBS) != null,
                    () -> "no " + WorkerStatus.DB_JOBS + " in " + jedis.hgetAll(WorkerStatus.KEY) + "\n" + w.log());
            JsonObject o = JsonParser.parseString(jedis.hget(WorkerStatus.KEY, WorkerStatus.DB_JOBS)).getAsJsonObject();
            assertEquals(0, w.terminate(), w.log());
            return o;
        }
    }

    @Test
    void aFailingJobIsInWorkerStatusWithItsNameAndLastErrorBesideTheSchemasPolicies() {
        PostgresCluster pg = TestServers.postgres();
        assumeTrue(pg.timescale(), "TimescaleDB-only: test clusters run " + PostgresCluster.describeBackend(false));
        String db = TestServers.newDatabase("worker_jobs");
        Store.applySchema(pg.url(db));
        pg.psql(db, "CREATE PROCEDURE cea_check_source(job_id int, config jsonb) LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'source table cea_gone does not exist'; END $$");
        String id = pg.psql(db, "SELECT add_job('cea_check_source', INTERVAL '1 second')").trim();
        Await.until(60_000, () -> Integer.parseInt(pg.psql(db, "SELECT coalesce((SELECT consecutive_failures FROM"
                + " _timescaledb_internal.bgw_job_stat WHERE job_id = " + id + "), 0)")) >= 3, () -> "job " + id + " never failed 3 times");
        JsonObject o = dbJobs(pg.url(db));
        assertEquals("degraded", o.get("state").getAsString(), o.toString());
        List<String> names = new ArrayList<>();
        JsonObject failing = null;
        for (JsonElement e : o.getAsJsonArray("jobs")) {
            JsonObject j = e.getAsJsonObject();
            names.add(j.get("name").getAsString());
            if (j.get("name").getAsString().equals("cea_check_source")) {
                failing = j;
            }
        }
        assertEquals(List.of("compression sensor_readings", "compression can_messages", "refresh sensor_readings_1m",
                "refresh sensor_readings_1h", "cea_check_source"), names);
        assertTrue(failing != null, o.toString());
        assertEquals("failing", failing.get("status").getAsString(), failing.toString());
        assertEquals("source table cea_gone does not exist", failing.get("last_error").getAsString());
        assertEquals(1, failing.get("schedule_s").getAsLong());
        assertTrue(failing.get("consecutive_failures").getAsInt() >= 3, failing.toString());
    }

    @Test
    void plainPostgresqlAndSqliteReportNotApplicable() {
        try (PostgresCluster plain = PostgresCluster.startPlain()) {
            plain.createDatabase("worker_jobs_plain");
            JsonObject o = dbJobs(plain.url("worker_jobs_plain"));
            assertEquals("not_applicable", o.get("state").getAsString(), o.toString());
            assertEquals(0, o.getAsJsonArray("jobs").size());
        }
        Path dir = Processes.tempDir("worker-jobs-");
        try {
            JsonObject o = dbJobs("jdbc:sqlite:" + dir.resolve("cea.db"));
            assertEquals("not_applicable", o.get("state").getAsString(), o.toString());
        } finally {
            Processes.deleteTree(dir);
        }
    }
}
