package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.cea.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The subscription against a real redis-server: updates arrive, and a frozen server is detected. */
class LiveSubscriberIT {

    @Test
    void deliversUpdatesAndKeepsAQuietButHealthyConnection() throws Exception {
        try (RedisServer redis = RedisServer.start(false)) {
            List<LiveUpdate> got = new CopyOnWriteArrayList<>();
            try (LiveSubscriber sub = new LiveSubscriber(RedisConfig.fromUrl(redis.url()), got::add)) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread t = runner(sub, failure);
                awaitSubscribed(sub);
                try (Jedis j = new Jedis("127.0.0.1", redis.port())) {
                    j.publish("sensor:updates", "{\"name\":\"co2_b\",\"value\":812.5,\"unit\":\"ppm\",\"ts\":1734001123123}");
                }
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(List.of(new LiveUpdate("co2_b", 812.5, "ppm", 1734001123123L)), got);
                // no messages for 2.5 s, but the server answers the PINGs: the connection is kept
                for (int i = 0; i < 25; i++) {
                    assertTrue(sub.keepAlive(900), "a responsive server is not silent");
                    Thread.sleep(100);
                }
                assertTrue(t.isAlive());
                sub.close();
                t.join(5_000);
                assertFalse(t.isAlive(), "close() ends run()");
                assertEquals(null, failure.get());
            }
        }
    }

    @Test
    void aFrozenServerIsDetectedAndRunThrowsSoTheOwnerReconnects() throws Exception {
        try (RedisServer redis = RedisServer.start(false)) {
            try (LiveSubscriber sub = new LiveSubscriber(RedisConfig.fromUrl(redis.url()), u -> { })) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                // the silence is counted from the subscription's confirmation, so the clock starts before it
                long start = System.nanoTime();
                Thread t = runner(sub, failure);
                awaitSubscribed(sub);
                redis.freeze(); // sockets stay open, nothing answers: a half-open connection as seen by the client
                try {
                    boolean kept = true;
                    while (kept && System.nanoTime() - start < 10_000_000_000L) {
                        kept = sub.keepAlive(1_000);
                        Thread.sleep(100);
                    }
                    long tookMs = (System.nanoTime() - start) / 1_000_000L;
                    assertFalse(kept, "silence was detected");
                    assertTrue(tookMs >= 1_000 && tookMs < 3_000, "detected after the 1 s silence limit, took " + tookMs + " ms");
                    t.join(5_000);
                    assertFalse(t.isAlive(), "run() returned");
                    assertInstanceOf(RedisUnavailableException.class, failure.get());
                } finally {
                    redis.thaw();
                }
            }
        }
    }

    private static Thread runner(LiveSubscriber sub, AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                sub.run();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "test-subscriber");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void awaitSubscribed(LiveSubscriber sub) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!sub.isSubscribed() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(sub.isSubscribed(), "subscribed within 5 s");
    }
}
