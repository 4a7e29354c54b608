package org.cea.tools.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cea.redisio.RedisConfig;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

/**
 * Simulator → can-scanner → can:raw → can-worker → PostgreSQL + live keys, with the scanner jar
 * built into the same build directory ({@code mvn -pl tools/scanner -am package}).
 */
class ScannerToWorkerIT {
    private static final int FRAMES = 1_500;

    @Test
    void simulatedFacilityEndsUpInTheDatabaseOnceAndLive() {
        Path root = TestServers.projectRoot();
        Path scanner = root.resolve("tools/scanner").resolve(System.getProperty("cea.buildDir", "target"))
                .resolve("can-scanner.jar");
        assertTrue(Files.isRegularFile(scanner), "scanner jar missing (build with -pl tools/worker -am): " + scanner);
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("worker_scan");
        String jdbc = pg.jdbcUrl(db);
        try (RedisServer redis = RedisServer.start(false);
             JedisPooled jedis = new JedisPooled(RedisConfig.fromUrl(redis.url()).hostAndPort(),
                     RedisConfig.fromUrl(redis.url()).clientConfig());
             WorkerProcess w = WorkerProcess.start(redis.url(), pg.url(db), "scan-1")) {
            Path spool = Processes.tempDir("scanner-spool-");
            try {
                String out = Processes.runOk(List.of("java", "-Xmx96m", "-jar", scanner.toString(), "--source", "sim",
                        "--sim-speed", "100", "--count", Integer.toString(FRAMES), "--no-db", "--quiet",
                        "--stats-interval", "0", "--redis-url", redis.url(), "--spool-dir", spool.toString(),
                        "--etc", root.resolve("etc").toString()), Duration.ofSeconds(120));
                assertEquals(FRAMES, jedis.xlen("can:raw"), "scanner wrote every frame:\n" + out);
            } finally {
                Processes.deleteTree(spool);
            }
            // the live path does not wait for the database: watch the live keys while the database
            // catches up (on a busy machine, on TimescaleDB, that can outlast their 10 s TTL)
            long[] live = {0, 0, 0}; // newest observed sensor:co2_v:ts, its value * 1000, its PEXPIRETIME
            boolean[] labSeen = {false};
            java.util.function.BooleanSupplier done = () -> {
                observe(jedis, live);
                labSeen[0] |= jedis.exists("sensor:lab_temp");
                return Db.messages(jdbc) == FRAMES;
            };
            Await.until(60_000, done, () -> Db.messages(jdbc) + "\n" + w.log());
            Processes.sleep(500);
            // valid readings per message type, from DESIGN.md's sensor map (derived rh and vpd per PT100)
            long expectedReadings = Db.scalar(jdbc, "SELECT sum(CASE message_type WHEN 'PT100' THEN 4 WHEN 'BARO' THEN 1"
                    + " WHEN 'SCD30' THEN 3 WHEN 'WATER' THEN 2 WHEN 'LAB' THEN 1 ELSE 0 END) FROM can_messages");
            Db.assertExactlyOnce(jdbc, FRAMES, expectedReadings);
            long newestCo2 = Db.scalar(jdbc, "SELECT floor(extract(epoch FROM max(time)) * 1000)::bigint FROM sensor_readings"
                    + " WHERE sensor = 'co2_v'");
            Await.until(5_000, () -> {
                observe(jedis, live);
                return live[0] == newestCo2;
            }, () -> "newest sensor:co2_v:ts seen " + live[0] + ", newest in the db " + newestCo2);
            long dbValue = Db.scalar(jdbc, "SELECT round(value * 1000)::bigint FROM sensor_readings WHERE sensor = 'co2_v'"
                    + " ORDER BY time DESC LIMIT 1");
            assertEquals(dbValue, live[1]);
            assertEquals(newestCo2 + 10_000, live[2]);
            assertTrue(labSeen[0], "lab node live");
        }
    }

    /** Records the live co2_v key when it is newer than what {@code live} holds (ts, value * 1000, expiry), read atomically. */
    private static void observe(JedisPooled jedis, long[] live) {
        List<String> a = jedis.mget("sensor:co2_v:ts", "sensor:co2_v");
        if (a.get(0) == null || a.get(1) == null || Long.parseLong(a.get(0)) <= live[0]) {
            return;
        }
        Object expiry = jedis.sendCommand(Protocol.Command.PEXPIRETIME, "sensor:co2_v");
        if (!a.equals(jedis.mget("sensor:co2_v:ts", "sensor:co2_v")) || !(expiry instanceof Long) || (Long) expiry < 0) {
            return; // changed or expired meanwhile: the next poll reads it again
        }
        live[0] = Long.parseLong(a.get(0));
        live[1] = Math.round(Double.parseDouble(a.get(1)) * 1000);
        live[2] = (Long) expiry;
    }
}
