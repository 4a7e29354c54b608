package org.cea.tools.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cea.redisio.StreamSchema;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.junit.jupiter.api.Test;

/** The legacy DB path against a real PostgreSQL that is stopped mid-run: the stream never stops, no row is lost. */
class ScannerDbOutageIT {
    @Test
    void databaseStoppedMidRunIsRetriedWhileTheStreamContinues() {
        java.nio.file.Path dir = Processes.tempDir("cea-scanner-db-it-");
        try (RedisServer redis = RedisServer.start(true); PostgresCluster pg = PostgresCluster.start()) {
            pg.createDatabase("cea_sensors");
            int n = 15 * 20 * 14; // 14 s at 20 simulated seconds per second
            try (ScannerProcess p = ScannerProcess.start(dir, "scan", List.of("--redis-url", redis.url(),
                    "--spool-dir", dir.resolve("spool").toString(), "--stats-interval", "1", "--source", "sim",
                    "--sim-speed", "20", "--count", Integer.toString(n), "--quiet", "--db-url",
                    pg.url("cea_sensors")))) {
                Processes.sleep(3_000);
                pg.stop();
                long streamAtStop = xlen(redis);
                Processes.sleep(5_000);
                long streamAtRestart = xlen(redis);
                pg.startServer();
                assertEquals(0, p.await(90), p.stderrText());
                assertTrue(streamAtRestart > streamAtStop + 500, "stream kept going while the DB was down: "
                        + streamAtStop + " -> " + streamAtRestart);
                assertTrue(p.stderrText().contains("unavailable"), p.stderrText());
            }
            assertEquals(n, xlen(redis));
            assertEquals(Integer.toString(n), pg.psql("cea_sensors", "SELECT count(*) FROM can_messages"));
            assertEquals("0", pg.psql("cea_sensors", "SELECT count(*) FROM (SELECT timestamp, can_id FROM can_messages"
                    + " GROUP BY 1, 2 HAVING count(*) > 1) d"), "no frame written twice");
        } finally {
            Processes.deleteTree(dir);
        }
    }

    private static long xlen(RedisServer redis) {
        String r = redis.command("XLEN " + StreamSchema.STREAM).trim();
        return Long.parseLong(r.substring(1));
    }
}
