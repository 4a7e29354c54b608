package org.cea.tools.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cea.candecode.CanFrame;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.StreamSchema;
import org.cea.redisio.WorkerStatus;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

class WorkerEndToEndIT {
    private static final int ROUNDS = 1_500;

    private static JedisPooled connect(RedisServer redis) {
        RedisConfig rc = RedisConfig.fromUrl(redis.url());
        return new JedisPooled(rc.hostAndPort(), rc.clientConfig());
    }

    @Test
    void writesEveryFrameOnceToPostgresAndKeepsLiveKeysThenExitsZeroOnSigterm() {
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("worker_e2e");
        try (RedisServer redis = RedisServer.start(false); JedisPooled jedis = connect(redis)) {
            runPipeline(redis, jedis, pg.url(db), pg.jdbcUrl(db));
        }
    }

    @Test
    void writesEveryFrameOnceToSqlite() {
        Path dir = Processes.tempDir("worker-sqlite-");
        try (RedisServer redis = RedisServer.start(false); JedisPooled jedis = connect(redis)) {
            Path file = dir.resolve("cea.db");
            runPipeline(redis, jedis, "jdbc:sqlite:" + file, "jdbc:sqlite:" + file);
        } finally {
            Processes.deleteTree(dir);
        }
    }

    @Test
    void sigtermUnderLoadFinishesAndAcknowledgesTheBatchThenExitsZero() {
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("worker_term");
        String jdbc = pg.jdbcUrl(db);
        int rounds = 20_000;
        try (RedisServer redis = RedisServer.start(false); JedisPooled jedis = connect(redis)) {
            FacilityFrames.xadd(jedis, FacilityFrames.rounds(1, rounds, System.currentTimeMillis() * 1000 - 9_000_000, 100));
            try (WorkerProcess w = WorkerProcess.start(redis.url(), pg.url(db), "term", "--batch", "1000")) {
                Await.until(60_000, () -> Db.messages(jdbc) > 1_000, () -> "no progress\n" + w.log());
                assertEquals(0, w.terminate(), w.log());
                long written = Db.messages(jdbc);
                assertTrue(written < rounds * 3L, "stopped mid-stream, wrote " + written);
                // everything read was committed and acknowledged: nothing left pending with this consumer
                assertEquals(0L, jedis.xpending(StreamSchema.STREAM, "can-worker").getTotal(), w.log());
                assertEquals(written, Long.parseLong(jedis.hget(WorkerStatus.KEY, "processed")));
            }
            try (WorkerProcess w = WorkerProcess.start(redis.url(), pg.url(db), "term-2")) {
                Await.until(90_000, () -> Db.messages(jdbc) >= rounds * 3L, () -> Db.messages(jdbc) + "\n" + w.log());
                Processes.sleep(500);
                Db.assertExactlyOnce(jdbc, rounds * 3L, (long) rounds * FacilityFrames.READINGS_PER_ROUND);
            }
        }
    }

    private static double live(JedisPooled jedis, String sensor) {
        String v = jedis.get("sensor:" + sensor);
        assertTrue(v != null && v.matches("-?[0-9]+(\\.[0-9]+)?"), "sensor:" + sensor + " is a plain decimal, was " + v);
        return Double.parseDouble(v);
    }

    private static void runPipeline(RedisServer redis, JedisPooled jedis, String dbUrl, String jdbcUrl) {
        long start = System.currentTimeMillis() * 1000 - 2_000_000;
        // 400 us apart: each sensor's readings are 1.2 ms apart, so every live update has its own ms stamp
        List<CanFrame> frames = FacilityFrames.rounds(1, ROUNDS, start, 400);
        // half before the worker ever ran: the group is created at 0, so these are not skipped
        FacilityFrames.xadd(jedis, frames.subList(0, frames.size() / 2));
        CanFrame unknown = CanFrame.standard(0x7AB, new byte[] {1, 2, 3}, start + frames.size() * 400L);
        try (WorkerProcess w = WorkerProcess.start(redis.url(), dbUrl, "e2e-1")) {
            // the second half is stamped when it is written, once the worker runs: the live keys expire
            // 10 s after a reading's stamp, and a loaded machine can take longer than that to start a JVM
            Await.until(90_000, () -> w.log().contains("processed="), () -> "worker not running\n" + w.log());
            long span = frames.size() * 400L;
            frames = FacilityFrames.rounds(1, ROUNDS, System.currentTimeMillis() * 1000 - span, 400);
            FacilityFrames.xadd(jedis, frames.subList(frames.size() / 2, frames.size()));
            FacilityFrames.xadd(jedis, List.of(unknown));
            int total = frames.size() + 1;
            CanFrame lastScd30 = frames.get(frames.size() - 1);
            long ts = lastScd30.timestampMillis();
            int co2 = FacilityFrames.co2OfRound(ROUNDS - 1);
            // the live keys are written as each read is staged, before its commit (which may wait for the
            // commit window): checked first, as they expire 10 s after the reading was taken
            Await.until(30_000, () -> Long.toString(ts).equals(jedis.get("sensor:co2_b:ts")),
                    () -> "sensor:co2_b:ts=" + jedis.get("sensor:co2_b:ts") + " expected " + ts + "\n" + w.log());
            assertEquals(co2 + ".0", jedis.get("sensor:co2_b"));
            assertEquals(Long.toString(ts), jedis.get("sensor:co2_b:ts"));
            assertEquals(ts + 10_000, (Long) jedis.sendCommand(Protocol.Command.PEXPIRETIME, "sensor:co2_b"));
            assertEquals(ts + 10_000, (Long) jedis.sendCommand(Protocol.Command.PEXPIRETIME, "sensor:co2_b:ts"));
            assertEquals(25.0, live(jedis, "dry_bulb_b"), 1e-9);
            assertEquals(19.5, live(jedis, "wet_bulb_b"), 1e-9);
            assertEquals(1013.0, live(jedis, "pressure_b"), 1e-9);
            assertEquals(24.0, live(jedis, "secondary_temp_b"), 1e-9);
            assertEquals(60.0, live(jedis, "secondary_rh_b"), 1e-9);
            assertTrue(jedis.exists("sensor:rh_b") && jedis.exists("sensor:vpd_b"), "derived rh and vpd published");

            Await.until(90_000, () -> Db.messages(jdbcUrl) == total,
                    () -> "can_messages=" + Db.messages(jdbcUrl) + " of " + total + "\n" + w.log());
            Db.assertExactlyOnce(jdbcUrl, total, (long) ROUNDS * FacilityFrames.READINGS_PER_ROUND);
            assertEquals(1, Db.scalar(jdbcUrl, "SELECT count(*) FROM can_messages WHERE message_type IS NULL"
                    + " AND can_id = " + 0x7AB + " AND decoded_data IS NULL"));

            Await.until(10_000, () -> Long.toString(total).equals(jedis.hget(WorkerStatus.KEY, "processed")),
                    () -> "status " + jedis.hgetAll(WorkerStatus.KEY));
            Map<String, String> status = jedis.hgetAll(WorkerStatus.KEY);
            assertEquals("0", status.get("dead_lettered"));
            assertEquals("0", status.get("lost_frames_total"));
            assertEquals("0", status.get("lost_entries"));
            assertEquals("0", status.get("pending"));
            assertEquals("e2e-1", status.get("consumer"));
            assertEquals(0, w.terminate(), w.log());
        }
        assertEquals(0L, jedis.xpending(StreamSchema.STREAM, "can-worker").getTotal());
    }
}
