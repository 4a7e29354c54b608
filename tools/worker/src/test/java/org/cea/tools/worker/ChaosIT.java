package org.cea.tools.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.cea.redisio.DeadLetters;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.StreamSchema;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The faults of the campaign together, in one run: simulator → can-scanner → Redis (AOF) → two
 * workers → PostgreSQL at about 2 000 frames/s while a worker is killed -9 (twice), Redis is killed
 * -9, Redis drops every connection repeatedly during a PostgreSQL outage, PostgreSQL stops, and
 * Redis refuses writes under maxmemory. At the end every frame the simulator produced is in
 * {@code can_messages} exactly once and {@code can:dead} holds exactly the malformed entries put in.
 */
class ChaosIT {
    private static final int SPEED = 150;
    private static final int FRAMES = 150_000;

    @Test
    void everyFrameStoredOnceAndOnlyMalformedEntriesDeadLetteredUnderEveryFaultAtOnce() throws Exception {
        Path root = TestServers.projectRoot();
        Path scannerJar = root.resolve("tools/scanner").resolve(System.getProperty("cea.buildDir", "target"))
                .resolve("can-scanner.jar");
        assertTrue(Files.isRegularFile(scannerJar), "scanner jar missing (build with -pl tools/worker -am): " + scannerJar);
        Path spool = Processes.tempDir("chaos-spool-");
        Path scannerLog = Files.createTempFile("chaos-scanner-", ".log");
        List<WorkerProcess> workers = new ArrayList<>();
        StringBuilder killedLogs = new StringBuilder();
        try (PostgresCluster pg = PostgresCluster.start(); RedisServer redis = RedisServer.start(true);
             JedisPooled jedis = connect(redis)) {
            pg.createDatabase("cea_sensors");
            org.cea.tsdb.Store.applySchema(pg.url("cea_sensors"));
            String db = pg.url("cea_sensors");
            String jdbc = pg.jdbcUrl("cea_sensors");
            redis.command("CONFIG SET maxmemory-policy noeviction");
            Set<String> malformed = injectMalformed(jedis);
            workers.add(WorkerProcess.start(redis.url(), db, "chaos-a", "--batch", "500"));
            workers.add(WorkerProcess.start(redis.url(), db, "chaos-b", "--batch", "500"));
            Process scanner = new ProcessBuilder("java", "-Xmx96m", "-jar", scannerJar.toString(), "--source", "sim",
                    "--sim-speed", Integer.toString(SPEED), "--count", Integer.toString(FRAMES), "--no-db", "--quiet",
                    "--stats-interval", "0", "--redis-url", redis.url(), "--spool-dir", spool.toString(),
                    "--drain-timeout", "120", "--etc", root.resolve("etc").toString())
                    .redirectErrorStream(true).redirectOutput(scannerLog.toFile()).start();
            try {
                Await.until(60_000, () -> Db.messages(jdbc) > 5_000, () -> "no progress\n" + workers.get(0).log());

                // a worker dies mid-batch; its replacement is a new consumer (the janitor hands its entries over)
                killedLogs.append(workers.get(0).log());
                workers.get(0).kill9();
                Processes.sleep(2_000);
                workers.set(0, WorkerProcess.start(redis.url(), db, "chaos-a2", "--batch", "500"));
                Processes.sleep(5_000);

                // Redis dies: the scanner spools, the workers back off; AOF brings the stream back
                redis.kill9();
                Processes.sleep(3_000);
                redis.startProcess();
                Processes.sleep(6_000);

                // PostgreSQL stops; during the outage Redis drops every client connection, several times
                pg.stop();
                for (int i = 0; i < 6; i++) {
                    Processes.sleep(1_500);
                    redis.command("CLIENT KILL TYPE normal");
                }
                pg.startServer();
                Processes.sleep(6_000);

                // Redis refuses writes (maxmemory with noeviction) until the scanner has seen it: the scanner spools
                // what is refused
                refuseWritesUntilScannerSeesIt(redis, scannerLog);
                Processes.sleep(4_000);

                // the other worker dies too, and is restarted under its own name (it reads its own pending entries)
                killedLogs.append(workers.get(1).log());
                workers.get(1).kill9();
                Processes.sleep(1_000);
                workers.set(1, WorkerProcess.start(redis.url(), db, "chaos-b", "--batch", "500"));

                assertTrue(scanner.waitFor(300, TimeUnit.SECONDS), "scanner did not finish\n" + Files.readString(scannerLog));
                assertEquals(0, scanner.exitValue(), "scanner: every frame reached Redis\n" + Files.readString(scannerLog));
                Await.until(180_000, () -> Db.messages(jdbc) >= FRAMES,
                        () -> Db.messages(jdbc) + " of " + FRAMES + "\n" + workers.get(1).log());
                Processes.sleep(1_500);
                long readings = Db.scalar(jdbc, "SELECT sum(CASE message_type WHEN 'PT100' THEN 4 WHEN 'BARO' THEN 1"
                        + " WHEN 'SCD30' THEN 3 WHEN 'WATER' THEN 2 WHEN 'LAB' THEN 1 ELSE 0 END) FROM can_messages");
                Db.assertExactlyOnce(jdbc, FRAMES, readings);
                // the faults happened as meant: the scanner spooled and Redis refused writes, the workers saw both outages
                String scannerOut = Files.readString(scannerLog);
                assertTrue(scannerOut.contains("spooling to"), "scanner never spooled:\n" + scannerOut);
                assertTrue(scannerOut.contains("Redis refused"), "Redis never refused a write:\n" + scannerOut);
                String workerOut = workers.stream().map(WorkerProcess::log).reduce("", String::concat)
                        + killedLogs.toString();
                assertTrue(workerOut.contains("database unavailable"), "no worker saw the database outage");
                assertTrue(workerOut.contains("redis unavailable"), "no worker saw Redis go away");
                assertFalse(scannerOut.contains("DATA LOST"), scannerOut);
                // a fresh connection: CLIENT KILL dropped the pooled ones of this test too
                try (JedisPooled after = connect(redis)) {
                    Await.until(60_000, () -> deadSources(after).equals(malformed),
                            () -> "can:dead holds " + deadSources(after) + ", expected only " + malformed);
                    Await.until(30_000, () -> after.xpending(StreamSchema.STREAM, "can-worker").getTotal() == 0,
                            () -> "entries left pending\n" + workers.get(1).log());
                }
            } finally {
                scanner.destroyForcibly();
            }
        } finally {
            workers.forEach(WorkerProcess::close);
            Processes.deleteTree(spool);
            Files.deleteIfExists(scannerLog);
        }
    }

    /**
     * Keeps Redis's maxmemory just above its current use until the scanner logs a refusal (at most 30 s),
     * then 2 s more, then lifts it. A fixed headroom was not enough: while the workers catch up after the
     * PostgreSQL outage, every XACK frees pending-list memory as fast as the scanner's XADDs add stream
     * memory, and on a fast machine the cap was never reached (CI, 2026-12-02).
     */
    private static void refuseWritesUntilScannerSeesIt(RedisServer redis, Path scannerLog) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (!Files.readString(scannerLog).contains("Redis refused") && System.nanoTime() < deadline) {
                long used = Long.parseLong(info(redis, "used_memory"));
                redis.command("CONFIG SET maxmemory " + (used + 8 * 1024));
                Processes.sleep(200);
            }
            Processes.sleep(2_000);
        } finally {
            redis.command("CONFIG SET maxmemory 0");
        }
    }

    private static JedisPooled connect(RedisServer redis) {
        RedisConfig rc = RedisConfig.fromUrl(redis.url());
        return new JedisPooled(rc.hostAndPort(), rc.clientConfig());
    }

    /**
     * Three entries no worker can parse, written before the scanner starts (its entry ids, taken from
     * the clock, then lie above them): a missing id, an id that is not hex, a payload of the wrong length.
     */
    private static Set<String> injectMalformed(JedisPooled jedis) {
        List<Map<String, String>> bad = List.of(
                Map.of("data", "00", "ts", "1", "dlc", "1"),
                Map.of("id", "0xZZ", "data", "00", "ts", "1", "dlc", "1"),
                Map.of("id", "0x101", "data", "00 11", "ts", "1", "dlc", "8"));
        Set<String> ids = new TreeSet<>();
        for (Map<String, String> f : bad) {
            ids.add(jedis.xadd(StreamSchema.STREAM, XAddParams.xAddParams().id(StreamEntryID.NEW_ENTRY), f).toString());
        }
        Processes.sleep(5);
        return ids;
    }

    private static Set<String> deadSources(JedisPooled jedis) {
        Set<String> out = new TreeSet<>();
        for (StreamEntry e : jedis.xrange(StreamSchema.DEAD_LETTERS, (StreamEntryID) null, (StreamEntryID) null)) {
            out.add(e.getFields().get(DeadLetters.F_SOURCE_ID));
        }
        return out;
    }

    private static String info(RedisServer redis, String field) throws IOException {
        for (String line : redis.command("INFO memory").split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new IOException("INFO memory has no " + field);
    }
}
