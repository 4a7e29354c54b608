package org.cea.tools.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.Test;

/**
 * The acceptance run of issue 19: the facility simulator through both paths at once (can-scanner
 * writing its legacy SQLite file and the Redis stream, can-worker writing PostgreSQL) for a few
 * minutes, with Redis killed in the middle (frames go to the SQLite file at once and to the
 * database after the scanner's spool replay) and then PostgreSQL killed (the worker retries).
 * Once the worker has caught up, can-consistency finds every minute equal.
 */
class ParallelRunIT {
    private static final long OUTAGE_MS = 20_000;

    private static long count(String sqliteFile, String where) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM can_messages" + where)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("counting " + sqliteFile, e);
        }
    }

    private static long pgCount(PostgresCluster pg, String where) {
        return Long.parseLong(pg.psql("cea_sensors", "SELECT count(*) FROM can_messages" + where));
    }

    private static String window(long fromMs, long toMs, boolean sqlite) {
        return sqlite ? " WHERE timestamp >= " + fromMs / 1000.0 + " AND timestamp < " + toMs / 1000.0
                : " WHERE timestamp >= to_timestamp(" + fromMs / 1000.0 + ") AND timestamp < to_timestamp(" + toMs / 1000.0 + ")";
    }

    private static void await(long timeoutMs, BooleanSupplier done, Supplier<String> state) {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within " + timeoutMs + " ms: " + state.get());
            }
            Processes.sleep(250);
        }
    }

    @Test
    void everyMinuteIsEqualOnceTheWorkerHasCaughtUpAfterARedisAndADatabaseOutage() {
        Path dir = Processes.tempDir("cea-parallel-");
        String legacy = dir.resolve("can_messages.db").toString();
        Path etc = TestServers.projectRoot().resolve("etc");
        try (RedisServer redis = RedisServer.start(true); PostgresCluster pg = PostgresCluster.start()) {
            pg.createDatabase("cea_sensors");
            Store.applySchema(pg.url("cea_sensors")); // as bin/cea-db-setup does before the services start
            long start = System.currentTimeMillis();
            long[] redisDown = new long[2];
            long[] dbDown = new long[2];
            try (ToolProcess worker = ToolProcess.start(dir, "tools/worker", "can-worker", List.of("--redis-url",
                    redis.url(), "--db-url", pg.url("cea_sensors"), "--consumer", "parallel-1", "--dbc",
                    etc.resolve("cea.dbc").toString(), "--facility", etc.resolve("facility.json").toString(),
                    "--status-interval-ms", "500", "--retry-max-ms", "1000"));
                 ToolProcess scanner = ToolProcess.start(dir, "tools/scanner", "can-scanner", List.of("--source", "sim",
                         "--sim-speed", "10", "--db-url", legacy, "--redis-url", redis.url(), "--spool-dir",
                         dir.resolve("spool").toString(), "--quiet", "--stats-interval", "0", "--etc", etc.toString()))) {
                await(60_000, () -> pg.isRunning() && pgCount(pg, "") > 0,
                        () -> "no row in PostgreSQL yet\n" + scanner.log() + "\n" + worker.log());
                Processes.sleep(25_000);
                redisDown[0] = System.currentTimeMillis();
                redis.kill9();
                Processes.sleep(OUTAGE_MS);
                redis.startProcess();
                redisDown[1] = System.currentTimeMillis();
                Processes.sleep(20_000);
                dbDown[0] = System.currentTimeMillis();
                pg.kill9();
                Processes.sleep(OUTAGE_MS);
                pg.startServer();
                dbDown[1] = System.currentTimeMillis();
                Processes.sleep(25_000);
                assertEquals(0, scanner.terminate(), scanner.log());
                long frames = count(legacy, "");
                await(120_000, () -> pgCount(pg, "") >= frames,
                        () -> "worker behind: " + pgCount(pg, "") + " of " + frames + "\n" + worker.log());
                assertTrue(worker.isAlive(), worker.log());
            }
            long end = System.currentTimeMillis();
            // both outages held frames: in the legacy file at once, in PostgreSQL after the replay / retry
            for (long[] w : new long[][] {redisDown, dbDown}) {
                long inLegacy = count(legacy, window(w[0] + 2_000, w[1] - 2_000, true));
                assertTrue(inLegacy > 100, "frames during the outage " + w[0] + ".." + w[1] + ": " + inLegacy);
                assertEquals(inLegacy, pgCount(pg, window(w[0] + 2_000, w[1] - 2_000, false)));
            }
            // the run has ended: a "now" three minutes later closes every minute
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = new ConsistencyCli(() -> end + 180_000, System::nanoTime, ZoneId.of("UTC")).run(new String[] {
                "--legacy", legacy, "--db-url", pg.url("cea_sensors"), "--from", "@" + start / 1000, "--to", "@"
                        + (end / 1000 + 1), "--redis-url", redis.url(), "--quiet"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    Map.of(), false);
            String summary = out.toString(StandardCharsets.UTF_8).trim();
            assertEquals(0, exit, summary + "\n" + err);
            long frames = count(legacy, "");
            long minutes = (end / 60_000 + 1) - start / 60_000;
            assertTrue(summary.matches("can-consistency: EQUAL .*: " + minutes + " minutes compared, 0 differ, 0 open;"
                    + " legacy " + frames + " rows, database " + frames + " rows; .*"), summary + " (expected " + minutes
                    + " minutes and " + frames + " legacy rows in all; start " + start + ", end " + end + " ms; legacy rows"
                    + " outside the window: " + count(legacy, " WHERE timestamp < " + start / 60_000 * 60 + " OR timestamp >= "
                    + (end / 60_000 + 1) * 60) + ")");
            assertTrue(minutes >= 3, summary);
        } finally {
            Processes.deleteTree(dir);
        }
    }
}
