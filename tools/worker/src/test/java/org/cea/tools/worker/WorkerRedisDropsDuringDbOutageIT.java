package org.cea.tools.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cea.redisio.RedisConfig;
import org.cea.redisio.StreamSchema;
import org.cea.redisio.WorkerStatus;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * Issue 17 item 1: while the database is down nothing can be processed, so deliveries then must
 * not count against an entry. On main every Redis error rewound the consumer and re-read the
 * pending entries with XREADGROUP 0, raising their delivery counts, and when the database came
 * back the janitor dead-lettered good frames as "delivered N times".
 */
class WorkerRedisDropsDuringDbOutageIT {
    private static final int ROUNDS = 1_000;

    /** Rounds fed and stored before PostgreSQL is stopped. */
    private static final int BEFORE_OUTAGE = 50;

    private static JedisPooled connect(RedisServer redis) {
        RedisConfig rc = RedisConfig.fromUrl(redis.url());
        return new JedisPooled(rc.hostAndPort(), rc.clientConfig());
    }

    @Test
    void redisConnectionDroppedRepeatedlyDuringADatabaseOutageDeadLettersNothingGood() {
        try (PostgresCluster pg = PostgresCluster.start(); RedisServer redis = RedisServer.start(false)) {
            pg.createDatabase("cea_sensors");
            String jdbc = pg.jdbcUrl("cea_sensors");
            try (WorkerProcess w = WorkerProcess.start(redis.url(), pg.url("cea_sensors"), "drops",
                    "--max-deliveries", "3", "--batch", "100")) {
                int first;
                try (JedisPooled jedis = connect(redis)) {
                    // a first part stored while the database is up, then the rest fed during the outage:
                    // every entry of the second part is held pending, however fast the machine
                    try (Feeder before = new Feeder(jedis, 0, 20, 20, BEFORE_OUTAGE)) {
                        before.awaitDone(60_000);
                        first = before.nextRound();
                    }
                    Await.until(60_000, () -> Db.messages(jdbc) >= BEFORE_OUTAGE * 3L, () -> "no progress\n" + w.log());
                    pg.stop();
                    try (Feeder during = new Feeder(jedis, first, 20, 20, ROUNDS / 2 - BEFORE_OUTAGE)) {
                        during.awaitDone(60_000);
                        first = during.nextRound();
                    }
                    Await.until(10_000, () -> "down".equals(jedis.hget(WorkerStatus.KEY, "db")),
                            () -> "status does not say db down: " + jedis.hgetAll(WorkerStatus.KEY));
                    long fedDuring = (ROUNDS / 2 - BEFORE_OUTAGE) * 3L;
                    Await.until(10_000, () -> jedis.xpending(StreamSchema.STREAM, "can-worker").getTotal() >= fedDuring,
                            () -> "the worker holds " + jedis.xpending(StreamSchema.STREAM, "can-worker").getTotal()
                                    + " of the " + fedDuring + " entries fed during the outage");
                }
                // the test's own connections are closed: CLIENT KILL TYPE normal drops the worker's only
                for (int i = 0; i < 8; i++) {
                    assertTrue(redis.command("CLIENT KILL TYPE normal").startsWith(":"));
                    Processes.sleep(1_500);
                }
                try (JedisPooled jedis = connect(redis); Feeder feeder = new Feeder(jedis, first, 20, 20, ROUNDS / 2)) {
                    pg.startServer();
                    feeder.awaitDone(60_000);
                    Await.until(120_000, () -> Db.messages(jdbc) >= ROUNDS * 3L,
                            () -> Db.messages(jdbc) + " of " + ROUNDS * 3 + " stored, can:dead " + jedis.xlen("can:dead")
                                    + "\n" + w.log());
                    Processes.sleep(3_000); // janitor passes after the catch-up
                    assertEquals(0, jedis.xlen("can:dead"), "good frames dead-lettered\n" + w.log());
                    Db.assertExactlyOnce(jdbc, ROUNDS * 3L,
                            (long) ROUNDS * FacilityFrames.READINGS_PER_ROUND);
                    assertEquals(0, jedis.xpending(StreamSchema.STREAM, "can-worker").getTotal());
                }
                assertEquals(0, w.terminate(), w.log());
            }
        }
    }
}
