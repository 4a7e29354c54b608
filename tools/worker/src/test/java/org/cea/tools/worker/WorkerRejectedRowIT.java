package org.cea.tools.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cea.candecode.CanFrame;
import org.cea.redisio.DeadLetters;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.StreamSchema;
import org.cea.redisio.WorkerStatus;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A row the database refuses inside a batch: the entry it came from is dead-lettered with the
 * reason, every other row is stored, and nothing is acknowledged that is in neither place. The
 * database itself does the refusing (a CHECK constraint on PostgreSQL, a trigger on SQLite), for
 * one message row and for one reading row.
 */
class WorkerRejectedRowIT {
    private static final int ROUNDS = 300;
    /** Round 200's PT100 payload by hand: dry 2500 = 0x09C4, wet 1950 = 0x079E, status 0, seq 200 = 0xC8. */
    private static final String REFUSED_RAW = "C4 09 9E 07 00 00 00 C8";
    private static final int REFUSED_MESSAGE_ROUND = 200;
    /** Round 100's SCD30 carries this CO2 (outside the fixtures' 900..949), which the database refuses as a reading. */
    private static final int REFUSED_CO2 = 1234;
    private static final int REFUSED_READING_ROUND = 100;

    @Test
    void refusedRowsOnPostgresAreDeadLetteredAndEverythingElseIsStored() {
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("worker_refused");
        String jdbc = pg.jdbcUrl(db);
        try (Store s = Store.open(pg.url(db))) {
            s.backend();
        }
        exec(jdbc, "ALTER TABLE can_messages ADD CONSTRAINT test_refuse_one CHECK (raw_data <> '" + REFUSED_RAW + "')",
                "ALTER TABLE sensor_readings ADD CONSTRAINT test_refuse_co2 CHECK (NOT (sensor = 'co2_b' AND value = "
                        + REFUSED_CO2 + "))");
        run(pg.url(db), jdbc, "23514");
    }

    @Test
    void refusedRowsOnSqliteAreDeadLetteredAndEverythingElseIsStored() {
        Path dir = Processes.tempDir("worker-refused-");
        try {
            String url = "jdbc:sqlite:" + dir.resolve("cea.db");
            try (Store s = Store.open(url)) {
                s.backend();
            }
            exec(url, "CREATE TRIGGER test_refuse_one BEFORE INSERT ON can_messages WHEN NEW.raw_data = '" + REFUSED_RAW
                            + "' BEGIN SELECT RAISE(ABORT, 'test refuses this frame'); END",
                    "CREATE TRIGGER test_refuse_co2 BEFORE INSERT ON sensor_readings WHEN NEW.sensor = 'co2_b' AND NEW.value = "
                            + REFUSED_CO2 + " BEGIN SELECT RAISE(ABORT, 'test refuses this reading'); END");
            run(url, url, "test refuses");
        } finally {
            Processes.deleteTree(dir);
        }
    }

    private static void run(String dbUrl, String jdbc, String reasonMark) {
        List<CanFrame> frames = new ArrayList<>(FacilityFrames.rounds(1, ROUNDS, System.currentTimeMillis() * 1000 - 5_000_000, 100));
        int scd30 = REFUSED_READING_ROUND * FacilityFrames.FRAMES_PER_ROUND + 2;
        CanFrame old = frames.get(scd30);
        frames.set(scd30, FacilityFrames.scd30(1, REFUSED_CO2, 2400, 6000, REFUSED_READING_ROUND, old.timestampMicros()));
        try (RedisServer redis = RedisServer.start(false); JedisPooled jedis = connect(redis)) {
            List<String> ids = FacilityFrames.xadd(jedis, frames);
            String refusedMessage = ids.get(REFUSED_MESSAGE_ROUND * FacilityFrames.FRAMES_PER_ROUND);
            String refusedReading = ids.get(scd30);
            try (WorkerProcess w = WorkerProcess.start(redis.url(), dbUrl, "refused", "--batch", "100")) {
                Await.until(60_000, () -> jedis.xlen(StreamSchema.DEAD_LETTERS) >= 2
                                && Db.messages(jdbc) >= frames.size() - 1
                                && jedis.xpending(StreamSchema.STREAM, "can-worker").getTotal() == 0,
                        () -> "dead=" + jedis.xlen(StreamSchema.DEAD_LETTERS) + " messages=" + Db.messages(jdbc) + "\n" + w.log());
                Processes.sleep(1_000);
                List<StreamEntry> dead = jedis.xrange(StreamSchema.DEAD_LETTERS, (StreamEntryID) null, null);
                assertEquals(2, dead.size(), dead.toString());
                Map<String, String> byMessage = letter(dead, refusedMessage);
                Map<String, String> byReading = letter(dead, refusedReading);
                assertTrue(byMessage.get(DeadLetters.F_REASON).contains("messages[")
                        && byMessage.get(DeadLetters.F_REASON).contains(reasonMark), byMessage.toString());
                assertEquals(REFUSED_RAW, byMessage.get(StreamSchema.F_DATA), "the original fields are kept");
                assertTrue(byReading.get(DeadLetters.F_REASON).contains("readings[")
                        && byReading.get(DeadLetters.F_REASON).contains(reasonMark), byReading.toString());
                // every other row is stored: all messages but the refused one, all readings but the refused co2
                assertEquals(frames.size() - 1, Db.messages(jdbc));
                assertEquals((long) ROUNDS * FacilityFrames.READINGS_PER_ROUND - 1,
                        Db.scalar(jdbc, "SELECT count(*) FROM sensor_readings"));
                assertEquals(0, Db.scalar(jdbc, "SELECT count(*) FROM can_messages WHERE raw_data = '" + REFUSED_RAW + "'"));
                assertEquals(0L, jedis.xpending(StreamSchema.STREAM, "can-worker").getTotal(), "nothing left pending");
                Await.until(10_000, () -> "2".equals(jedis.hget(WorkerStatus.KEY, "dead_lettered")),
                        () -> "status " + jedis.hgetAll(WorkerStatus.KEY));
                assertEquals(0, w.terminate(), w.log());
            }
        }
    }

    private static Map<String, String> letter(List<StreamEntry> dead, String sourceId) {
        for (StreamEntry e : dead) {
            if (sourceId.equals(e.getFields().get(DeadLetters.F_SOURCE_ID))) {
                return e.getFields();
            }
        }
        throw new AssertionError("no dead letter for entry " + sourceId + " in " + dead);
    }

    private static JedisPooled connect(RedisServer redis) {
        RedisConfig rc = RedisConfig.fromUrl(redis.url());
        return new JedisPooled(rc.hostAndPort(), rc.clientConfig());
    }

    private static void exec(String jdbc, String... sql) {
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test setup failed: " + e.getMessage(), e);
        }
    }
}
