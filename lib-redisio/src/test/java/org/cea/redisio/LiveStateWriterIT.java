package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

class LiveStateWriterIT {
    private static JedisPooled jedis;
    private static RedisConfig config;

    @BeforeAll
    static void connect() {
        config = RedisConfig.fromUrl(TestServers.redis().url());
        jedis = new JedisPooled(config.hostAndPort(), config.clientConfig());
    }

    @AfterAll
    static void disconnect() {
        jedis.close();
    }

    private static String sensor(String base) {
        return base + "_" + Long.toHexString(System.nanoTime());
    }

    private static long expireTime(String key) {
        return (Long) jedis.sendCommand(Protocol.Command.PEXPIRETIME, key);
    }

    @Test
    void setsValueAndTimestampExpiringTenSecondsAfterTheReading() {
        long now = System.currentTimeMillis();
        String s = sensor("co2_v");
        LiveStateWriter w = new LiveStateWriter(jedis, System::currentTimeMillis);
        List<LiveUpdate> published = w.write(List.of(new LiveUpdate(s, 412.0, "ppm", now - 3_000)));
        assertEquals(1, published.size());
        assertEquals("412.0", jedis.get("sensor:" + s));
        assertEquals(Long.toString(now - 3_000), jedis.get("sensor:" + s + ":ts"));
        assertEquals(now - 3_000 + 10_000, expireTime("sensor:" + s));
        assertEquals(now - 3_000 + 10_000, expireTime("sensor:" + s + ":ts"));
        long ttl = jedis.pttl("sensor:" + s);
        assertTrue(ttl > 5_000 && ttl <= 7_000, "ttl " + ttl);
    }

    @Test
    void writesPlainDecimalsNeverExponents() {
        String s = sensor("vpd_b");
        new LiveStateWriter(jedis, System::currentTimeMillis)
                .write(List.of(new LiveUpdate(s, 0.00012, "kPa", System.currentTimeMillis())));
        assertEquals("0.00012", jedis.get("sensor:" + s));
    }

    @Test
    void neverGoesBackInTimeAndAReplayPublishesNothing() {
        long now = System.currentTimeMillis();
        String s = sensor("dry_bulb_f");
        LiveStateWriter w = new LiveStateWriter(jedis, System::currentTimeMillis);
        w.write(List.of(new LiveUpdate(s, 24.5, "°C", now - 1_000)));
        assertTrue(w.write(List.of(new LiveUpdate(s, 20.0, "°C", now - 2_000))).isEmpty());
        assertTrue(w.write(List.of(new LiveUpdate(s, 24.5, "°C", now - 1_000))).isEmpty());
        assertEquals("24.5", jedis.get("sensor:" + s));
        assertEquals(Long.toString(now - 1_000), jedis.get("sensor:" + s + ":ts"));
        assertEquals(1, w.write(List.of(new LiveUpdate(s, 25.0, "°C", now))).size());
        assertEquals("25.0", jedis.get("sensor:" + s));
    }

    @Test
    void aReadingFromBeforeTheClockSteppedBackDoesNotFreezeTheSensor() {
        long now = System.currentTimeMillis();
        String s = sensor("co2_f");
        // written while the clock ran one hour fast; its keys would live until that hour has passed
        new LiveStateWriter(jedis, () -> now + 3_600_000L).write(List.of(new LiveUpdate(s, 999.0, "ppm", now + 3_600_000L)));
        assertEquals(now + 3_600_000L + 10_000, expireTime("sensor:" + s));
        LiveStateWriter w = new LiveStateWriter(jedis, System::currentTimeMillis);
        // NTP stepped the clock back: the next reading is older by the timestamp but the only live one
        assertEquals(1, w.write(List.of(new LiveUpdate(s, 812.0, "ppm", now))).size());
        assertEquals("812.0", jedis.get("sensor:" + s));
        assertEquals(Long.toString(now), jedis.get("sensor:" + s + ":ts"));
        assertEquals(now + 10_000, expireTime("sensor:" + s));
        // a reading within the skew allowance ahead of the clock still wins over older ones
        assertEquals(1, w.write(List.of(new LiveUpdate(s, 815.0, "ppm", now + 1_500))).size());
        assertTrue(w.write(List.of(new LiveUpdate(s, 813.0, "ppm", now + 500))).isEmpty());
        assertEquals("815.0", jedis.get("sensor:" + s));
    }

    @Test
    void keepsOnlyTheNewestReadingOfASensorWithinABatch() {
        long now = System.currentTimeMillis();
        String s = sensor("rh_v");
        List<LiveUpdate> out = new LiveStateWriter(jedis, System::currentTimeMillis).write(List.of(
                new LiveUpdate(s, 60.0, "%", now - 500), new LiveUpdate(s, 61.0, "%", now),
                new LiveUpdate(s, 59.0, "%", now - 900)));
        assertEquals(List.of(new LiveUpdate(s, 61.0, "%", now)), out);
        assertEquals("61.0", jedis.get("sensor:" + s));
    }

    @Test
    void doesNotPublishAReadingAlreadyTenSecondsOld() {
        long now = 1_800_000_000_000L;
        String s = sensor("lab_temp");
        LiveStateWriter w = new LiveStateWriter(jedis, () -> now);
        assertTrue(w.write(List.of(new LiveUpdate(s, 21.0, "°C", now - 10_000))).isEmpty());
        assertNull(jedis.get("sensor:" + s));
    }

    @Test
    void readerGetsAllSensorsInOneRoundTripAndSkipsMissingOnes() {
        long now = System.currentTimeMillis();
        String a = sensor("pressure_b");
        String b = sensor("co2_b");
        new LiveStateWriter(jedis, System::currentTimeMillis).write(List.of(
                new LiveUpdate(a, 1013.2, "hPa", now), new LiveUpdate(b, 880.0, "ppm", now - 1)));
        Map<String, LiveValue> got = new LiveStateReader(jedis).read(List.of(b, "never_seen", a));
        assertEquals(List.of(b, a), List.copyOf(got.keySet()));
        assertEquals(new LiveValue(a, 1013.2, now), got.get(a));
        assertEquals(new LiveValue(b, 880.0, now - 1), got.get(b));
    }

    @Test
    void subscriberReceivesEachChangedReadingAsJson() throws Exception {
        LinkedBlockingQueue<LiveUpdate> got = new LinkedBlockingQueue<>();
        LiveSubscriber sub = new LiveSubscriber(config, got::add);
        Thread t = new Thread(sub::run, "test-live-subscriber");
        t.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!sub.isSubscribed() && System.nanoTime() < deadline) {
                Processes.sleep(10);
            }
            assertTrue(sub.isSubscribed());
            long now = System.currentTimeMillis();
            String s = sensor("water_temp");
            LiveStateWriter w = new LiveStateWriter(jedis, System::currentTimeMillis);
            w.write(List.of(new LiveUpdate(s, 18.25, "°C", now)));
            w.write(List.of(new LiveUpdate(s, 18.25, "°C", now)));
            jedis.publish(LiveKeys.CHANNEL, "not json");
            assertEquals(new LiveUpdate(s, 18.25, "°C", now), got.poll(5, TimeUnit.SECONDS));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sub.badMessages() == 0 && System.nanoTime() < deadline) {
                Processes.sleep(10);
            }
            assertEquals(1, sub.badMessages());
            assertTrue(got.isEmpty(), "a replay must not be published: " + got);
        } finally {
            sub.close();
            t.join(5_000);
        }
        assertTrue(!t.isAlive(), "run() must return after close()");
    }

    @Test
    void batchSubscriberReceivesTheChangedReadingsOfOneWriteInOneMessage() throws Exception {
        LinkedBlockingQueue<List<LiveUpdate>> got = new LinkedBlockingQueue<>();
        LiveSubscriber sub = LiveSubscriber.batches(config, got::add);
        Thread t = new Thread(sub::run, "test-live-batch-subscriber");
        t.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!sub.isSubscribed() && System.nanoTime() < deadline) {
                Processes.sleep(10);
            }
            assertTrue(sub.isSubscribed());
            long now = System.currentTimeMillis();
            String a = sensor("co2_v");
            String b = sensor("rh_v");
            LiveStateWriter w = new LiveStateWriter(jedis, System::currentTimeMillis);
            w.write(List.of(new LiveUpdate(a, 800.0, "ppm", now)));
            // a is unchanged (a replay), b is new: the second message holds b alone
            w.write(List.of(new LiveUpdate(a, 800.0, "ppm", now), new LiveUpdate(b, 61.5, "%", now - 1)));
            // replays only: no message at all
            w.write(List.of(new LiveUpdate(a, 800.0, "ppm", now)));
            w.write(List.of(new LiveUpdate(a, 801.0, "ppm", now + 1), new LiveUpdate(b, 62.0, "%", now + 1)));
            jedis.publish(LiveKeys.BATCH_CHANNEL, "[{\"name\":\"x\"}]");
            jedis.publish(LiveKeys.BATCH_CHANNEL, "[]");
            assertEquals(List.of(new LiveUpdate(a, 800.0, "ppm", now)), got.poll(5, TimeUnit.SECONDS));
            assertEquals(List.of(new LiveUpdate(b, 61.5, "%", now - 1)), got.poll(5, TimeUnit.SECONDS));
            assertEquals(List.of(new LiveUpdate(a, 801.0, "ppm", now + 1), new LiveUpdate(b, 62.0, "%", now + 1)),
                    got.poll(5, TimeUnit.SECONDS));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sub.badMessages() < 2 && System.nanoTime() < deadline) {
                Processes.sleep(10);
            }
            assertEquals(2, sub.badMessages());
            assertTrue(got.isEmpty(), "nothing else: " + got);
        } finally {
            sub.close();
            t.join(5_000);
        }
        assertTrue(!t.isAlive(), "run() must return after close()");
    }

    @Test
    void batchMessageIsAJsonArrayOfTheReadingObjects() throws Exception {
        // the wire format of the contract (DESIGN.md "Live state"), read with a plain SUBSCRIBE
        LinkedBlockingQueue<String> raw = new LinkedBlockingQueue<>();
        redis.clients.jedis.JedisPubSub ps = new redis.clients.jedis.JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                raw.add(message);
            }
        };
        Thread t = new Thread(() -> {
            try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis(config.hostAndPort(), config.clientConfig())) {
                j.subscribe(ps, LiveKeys.BATCH_CHANNEL);
            }
        }, "test-raw-subscriber");
        t.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!ps.isSubscribed() && System.nanoTime() < deadline) {
                Processes.sleep(10);
            }
            String a = sensor("co2_v");
            String b = sensor("vpd_v");
            long ts = System.currentTimeMillis();
            new LiveStateWriter(jedis, System::currentTimeMillis).write(List.of(
                    new LiveUpdate(a, 412.0, "ppm", ts), new LiveUpdate(b, 1.25, "kPa", ts)));
            assertEquals("[{\"name\":\"" + a + "\",\"value\":412.0,\"unit\":\"ppm\",\"ts\":" + ts + "},"
                    + "{\"name\":\"" + b + "\",\"value\":1.25,\"unit\":\"kPa\",\"ts\":" + ts + "}]",
                    raw.poll(5, TimeUnit.SECONDS));
        } finally {
            ps.unsubscribe();
            t.join(5_000);
        }
    }

    @Test
    void jsonHasNameValueUnitAndTs() {
        assertEquals("{\"name\":\"co2_v\",\"value\":412.5,\"unit\":\"ppm\",\"ts\":1734001123123}",
                LiveStateWriter.json(new LiveUpdate("co2_v", 412.5, "ppm", 1734001123123L)));
    }

    @Test
    void workerStatusHashHasEveryField() {
        WorkerStatus st = new WorkerStatus(jedis);
        st.publish(new WorkerStatus.Snapshot("host-1", 1200, 601.5, 3, 0, 2, 5, Map.of(2, 1L, 1, 3L), 0, "ok",
                "boom", 1_734_001_123_123L));
        Map<String, String> h = st.read();
        assertEquals("1200", h.get("processed"));
        assertEquals("601.5", h.get("rate"));
        assertEquals("3", h.get("pending"));
        assertEquals("0", h.get("lag"));
        assertEquals("2", h.get("dead_lettered"));
        assertEquals("5", h.get("invalid_readings"));
        assertEquals("{\"1\":3,\"2\":1}", h.get("lost_frames"));
        assertEquals("4", h.get("lost_frames_total"));
        assertEquals("boom", h.get("last_error"));
        assertEquals("1734001123123", h.get("updated_at"));
    }
}
