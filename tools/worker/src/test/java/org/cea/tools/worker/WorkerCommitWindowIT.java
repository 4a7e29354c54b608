package org.cea.tools.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

/**
 * The commit window (--commit-interval-ms, issue 20): entries read within it are committed in one
 * transaction and acknowledged only after it, while their live keys are written at once. Real
 * Redis, real PostgreSQL, the worker as a process (kill -9).
 */
class WorkerCommitWindowIT {
    /** Long enough that the checks between the first read and the commit are not a race on a busy host. */
    private static final String WINDOW_MS = "8000";

    private static JedisPooled connect(RedisServer redis) {
        RedisConfig rc = RedisConfig.fromUrl(redis.url());
        return new JedisPooled(rc.hostAndPort(), rc.clientConfig());
    }

    private static long pending(JedisPooled jedis) {
        return jedis.xpending(StreamSchema.STREAM, "can-worker").getTotal();
    }

    private static void awaitStarted(JedisPooled jedis, WorkerProcess w) {
        Await.until(60_000, () -> jedis.exists(WorkerStatus.KEY), () -> "worker did not start\n" + w.log());
    }

    @Test
    void liveKeysComeAtOnceWhileTheRowsWaitForTheWindowAndNothingIsAcknowledgedBeforeTheCommit() {
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("commit_window");
        String jdbc = pg.jdbcUrl(db);
        int rounds = 4;
        long frames = rounds * (long) FacilityFrames.FRAMES_PER_ROUND;
        try (RedisServer redis = RedisServer.start(false); JedisPooled jedis = connect(redis);
             WorkerProcess w = WorkerProcess.start(redis.url(), pg.url(db), "window", "--commit-interval-ms", WINDOW_MS)) {
            awaitStarted(jedis, w);
            long now = System.currentTimeMillis();
            long sent = System.nanoTime();
            FacilityFrames.xadd(jedis, FacilityFrames.rounds(1, rounds, now * 1000, 1_000));
            long tsOfLastCo2 = now + (frames - 1);
            Await.until(20_000, () -> Long.toString(tsOfLastCo2).equals(jedis.get("sensor:co2_b:ts")),
                    () -> "live key not written\n" + w.log());
            long liveMs = (System.nanoTime() - sent) / 1_000_000;
            // the live key is there, the rows are not: published before the commit, and nothing acknowledged
            long rowsWhenLive = Db.messages(jdbc);
            long pendingWhenLive = pending(jedis);
            assertTrue(liveMs < Long.parseLong(WINDOW_MS), "live key after " + liveMs + " ms, the window is " + WINDOW_MS);
            assertTrue(rowsWhenLive <= 0, "rows committed before the window ended: " + rowsWhenLive);
            assertEquals(frames, pendingWhenLive, "every entry of the open window is pending (unacknowledged)");
            assertEquals(FacilityFrames.co2OfRound(rounds - 1) + ".0", jedis.get("sensor:co2_b"));

            Await.until(30_000, () -> Db.messages(jdbc) == frames, () -> Db.messages(jdbc) + " rows\n" + w.log());
            long committedMs = (System.nanoTime() - sent) / 1_000_000;
            assertTrue(committedMs >= Long.parseLong(WINDOW_MS) - 1_000,
                    "one commit at the end of the window, not per read: committed after " + committedMs + " ms");
            Await.until(10_000, () -> pending(jedis) == 0, () -> "acknowledged after the commit\n" + w.log());
            Db.assertExactlyOnce(jdbc, frames, rounds * (long) FacilityFrames.READINGS_PER_ROUND);
            assertEquals(0, w.terminate(), w.log());
        }
    }

    @Test
    void workerKilledInTheWindowLeavesEveryEntryPendingAndStoresEachOnceAfterRestart() {
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("commit_window_kill");
        String jdbc = pg.jdbcUrl(db);
        int rounds = 20;
        long frames = rounds * (long) FacilityFrames.FRAMES_PER_ROUND;
        try (RedisServer redis = RedisServer.start(false); JedisPooled jedis = connect(redis)) {
            try (WorkerProcess w = WorkerProcess.start(redis.url(), pg.url(db), "windowkill", "--commit-interval-ms",
                    WINDOW_MS)) {
                awaitStarted(jedis, w);
                long now = System.currentTimeMillis();
                // a first part, then the rest a moment later: several reads in one window
                FacilityFrames.xadd(jedis, FacilityFrames.rounds(1, rounds / 2, now * 1000, 1_000));
                Processes.sleep(300);
                FacilityFrames.xadd(jedis, FacilityFrames.rounds(2, rounds / 2, now * 1000, 1_000));
                Await.until(20_000, () -> pending(jedis) == frames && jedis.exists("sensor:co2_f"),
                        () -> "pending=" + pending(jedis) + "\n" + w.log());
                assertTrue(Db.messages(jdbc) <= 0, "nothing committed yet: " + Db.messages(jdbc));
                w.kill9();
            }
            // killed in the window: nothing committed, nothing acknowledged
            assertTrue(Db.messages(jdbc) <= 0, "rows after the kill: " + Db.messages(jdbc));
            assertEquals(frames, pending(jedis), "every entry of the window still pending after kill -9");
            try (WorkerProcess w = WorkerProcess.start(redis.url(), pg.url(db), "windowkill")) {
                Await.until(60_000, () -> Db.messages(jdbc) >= frames, () -> Db.messages(jdbc) + " rows\n" + w.log());
                Processes.sleep(1_000);
                Db.assertExactlyOnce(jdbc, frames, rounds * (long) FacilityFrames.READINGS_PER_ROUND);
                Await.until(10_000, () -> pending(jedis) == 0, () -> "entries left pending\n" + w.log());
                assertEquals(0, w.terminate(), w.log());
            }
        }
    }

    @Test
    void atTheFacilitysRateOneTransactionPerWindowInsteadOfOnePerFrame() {
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("commit_window_rate");
        String jdbc = pg.jdbcUrl(db);
        int rounds = 30;
        long frames = rounds * (long) FacilityFrames.FRAMES_PER_ROUND;
        try (RedisServer redis = RedisServer.start(false); JedisPooled jedis = connect(redis);
             WorkerProcess w = WorkerProcess.start(redis.url(), pg.url(db), "windowrate", "--commit-interval-ms", "1000")) {
            awaitStarted(jedis, w);
            // one frame every 66 ms, as the facility's 15 frames/s: 90 frames in about 6 s
            for (CanFrame f : FacilityFrames.rounds(1, rounds, System.currentTimeMillis() * 1000, 66_000)) {
                FacilityFrames.xadd(jedis, List.of(f));
                Processes.sleep(66);
            }
            Await.until(30_000, () -> Db.messages(jdbc) == frames, () -> Db.messages(jdbc) + " rows\n" + w.log());
            Await.until(10_000, () -> pending(jedis) == 0, () -> "acknowledged after the commit\n" + w.log());
            assertEquals(0, w.terminate(), w.log());
            Matcher m = Pattern.compile("\\((\\d+) batches\\)").matcher(w.log());
            long commits = 0;
            while (m.find()) {
                commits += Long.parseLong(m.group(1));
            }
            // about 6 s of frames in 1 s windows; the entries staged during a commit join the next window
            assertTrue(commits >= 3 && commits <= 10, "transactions for " + frames + " frames over ~6 s: " + commits
                    + "\n" + w.log());
        }
    }
}
