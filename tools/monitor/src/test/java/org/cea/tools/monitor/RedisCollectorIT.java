package org.cea.tools.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.candecode.facility.SensorSpec;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.ServiceFailures;
import org.cea.redisio.StreamSchema;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;

class RedisCollectorIT {
    private static List<SensorSpec> profileSensors() {
        return FacilityProfile.loadDefault(TestServers.projectRoot().resolve("etc")).sensors();
    }

    @Test
    void readsWorkerStatusStreamLengthsEveryProfileSensorAndTheNewestFailures() {
        RedisServer redis = TestServers.redis();
        long now = System.currentTimeMillis();
        try (JedisPooled jedis = new JedisPooled(redis.url())) {
            Fixtures.writeRedis(jedis, now);
        }
        List<SensorSpec> sensors = profileSensors();
        try (RedisCollector c = new RedisCollector(RedisConfig.fromUrl(redis.url()), sensors, 2, () -> now)) {
            RedisSnapshot s = c.collect();
            assertTrue(s.up(), s.error());
            assertEquals(3, s.rawLength());
            assertEquals(1, s.deadLength());
            assertEquals("100", s.workerStatus().get("processed"));
            assertEquals("12.5", s.workerStatus().get("rate"));
            assertEquals("4", s.workerStatus().get("lost_frames_total"));
            assertEquals(Long.toString(now - 2_000), s.workerStatus().get("updated_at"));
            assertEquals(List.of("f3", "f2"), s.failures());
            assertEquals(sensors.stream().map(SensorSpec::name).toList(),
                    s.sensors().stream().map(RedisSnapshot.Sensor::name).toList());
            Map<String, RedisSnapshot.Sensor> byName = s.sensors().stream()
                    .collect(Collectors.toMap(RedisSnapshot.Sensor::name, Function.identity()));
            assertEquals(23.55, byName.get("dry_bulb_b").live().value());
            assertEquals(now - 1_000, byName.get("dry_bulb_b").live().tsMillis());
            assertEquals("°C", byName.get("dry_bulb_b").unit());
            assertEquals(412.0, byName.get("co2_v").live().value());
            assertNull(byName.get("wet_bulb_b").live());

            List<String> lines = RedisView.render(s, ZoneId.of("UTC"));
            long stale = sensors.size() - 2;
            assertTrue(lines.contains("sensors: " + sensors.size() + " in the profile · 2 live · " + stale
                    + " stale (no reading in 10 s)"), lines.toString());
            assertTrue(lines.contains("worker pi-test: updated 2.0 s ago"), lines.toString());
        }
    }

    @Test
    void aKeyOfTheWrongTypeBlanksOnlyItsSectionAndRedisStaysUp() {
        try (RedisServer redis = RedisServer.start(false);
             JedisPooled jedis = new JedisPooled(redis.url());
             RedisCollector c = new RedisCollector(RedisConfig.fromUrl(redis.url()), profileSensors(), 5,
                     System::currentTimeMillis)) {
            jedis.set(ServiceFailures.KEY, "written by hand");
            jedis.xadd(StreamSchema.STREAM, StreamEntryID.NEW_ENTRY, Map.of("id", "0x101"));
            RedisSnapshot s = c.collect();
            assertTrue(s.up(), s.error());
            assertEquals(1, s.rawLength());
            assertEquals(List.of(), s.failures());
            assertEquals(1, s.problems().size(), s.problems().toString());
            assertTrue(s.problems().get(0).startsWith("service:failures: WRONGTYPE"), s.problems().get(0));
            List<String> lines = RedisView.render(s, ZoneId.of("UTC"));
            assertEquals("redis: ok · can:raw 1 entries · can:dead 0 entries", lines.get(1));
            assertTrue(lines.get(2).startsWith("  unreadable: service:failures: WRONGTYPE"), lines.toString());
        }
    }

    @Test
    void aRedisThatRefusesTheConnectionWithoutAPasswordIsDownNotUnreadable() {
        try (RedisServer redis = RedisServer.start(false);
             RedisCollector c = new RedisCollector(RedisConfig.fromUrl(redis.url()), profileSensors(), 5,
                     System::currentTimeMillis)) {
            try (JedisPooled jedis = new JedisPooled(redis.url())) {
                jedis.configSet("requirepass", "s3cret");
            }
            RedisSnapshot s = c.collect();
            assertFalse(s.up(), "a NOAUTH Redis must be DOWN, was up with problems " + s.problems());
            assertTrue(s.error().contains("NOAUTH") || s.error().contains("uthentication"), s.error());
        }
    }

    @Test
    void reportsRedisDownWhenItIsKilledAndRecoversByItselfWhenItReturns() {
        try (RedisServer redis = RedisServer.start(false);
             RedisCollector c = new RedisCollector(RedisConfig.fromUrl(redis.url()), profileSensors(), 5,
                     System::currentTimeMillis)) {
            assertTrue(c.collect().up());
            redis.kill9();
            RedisSnapshot down = c.collect();
            assertFalse(down.up());
            String line = RedisView.render(down, ZoneId.of("UTC")).get(1);
            assertTrue(line.startsWith("redis: DOWN — ") && line.endsWith(", retrying"), line);
            assertFalse(line.contains("Exception") || line.contains("\tat "), line);
            assertFalse(c.collect().up(), "still down on the next refresh");

            redis.startProcess();
            RedisSnapshot back = null;
            for (int i = 0; i < 20 && (back == null || !back.up()); i++) {
                Processes.sleep(back == null ? 0 : 100);
                back = c.collect();
            }
            assertTrue(back.up(), "no recovery: " + back.error());
            assertEquals(0, back.rawLength());
            assertTrue(back.workerStatus().isEmpty());
        }
    }
}
