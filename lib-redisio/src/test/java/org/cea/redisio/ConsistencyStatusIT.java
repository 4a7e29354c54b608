package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.cea.redisio.ConsistencyStatus.Outcome;
import org.cea.redisio.ConsistencyStatus.Result;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

class ConsistencyStatusIT {
    private static Result differ() {
        return new Result(Outcome.DIFFER, 1_767_225_600_123L, 1_767_139_200_000L, 1_767_225_600_000L, 1439, 2, 1,
                1_295_100, 1_295_099, 1_767_225_480_000L, 900, 899,
                "2025-12-31 23:58 0x101: legacy 60 rows, database 59\n(1 only in legacy)", 1_767_225_480_000L, null,
                "jdbc:sqlite:/var/lib/cea/can_messages.db", "postgresql://cea_reader:***@127.0.0.1:5432/cea_sensors", 6_200);
    }

    @Test
    void publishesEveryDocumentedFieldAsPlainStringsAndReadsThemBack() {
        RedisServer redis = TestServers.redis();
        try (JedisPooled jedis = new JedisPooled(redis.url())) {
            jedis.del(ConsistencyStatus.KEY);
            ConsistencyStatus status = new ConsistencyStatus(jedis);
            assertEquals(Optional.empty(), status.read());
            status.publish(differ());
            // the contract in docs/DESIGN.md ("Parallel run"), written out by hand
            assertEquals(Map.ofEntries(Map.entry("result", "differ"), Map.entry("checked_at", "1767225600123"),
                    Map.entry("from", "1767139200000"), Map.entry("to", "1767225600000"),
                    Map.entry("minutes_compared", "1439"), Map.entry("minutes_differ", "2"),
                    Map.entry("minutes_open", "1"), Map.entry("legacy_rows", "1295100"),
                    Map.entry("database_rows", "1295099"), Map.entry("newest_minute", "1767225480000"),
                    Map.entry("newest_minute_legacy_rows", "900"), Map.entry("newest_minute_database_rows", "899"),
                    Map.entry("newest_difference", "2025-12-31 23:58 0x101: legacy 60 rows, database 59 (1 only in legacy)"),
                    Map.entry("newest_difference_minute", "1767225480000"), Map.entry("error", ""),
                    Map.entry("legacy", "jdbc:sqlite:/var/lib/cea/can_messages.db"),
                    Map.entry("database", "postgresql://cea_reader:***@127.0.0.1:5432/cea_sensors"),
                    Map.entry("duration_ms", "6200")), jedis.hgetAll(ConsistencyStatus.KEY));
            Result back = status.read().orElseThrow();
            assertEquals(differ().newestDifference().replace('\n', ' '), back.newestDifference());
            assertEquals(differ().minutesDiffer(), back.minutesDiffer());
            assertEquals(differ().newestMinuteMillis(), back.newestMinuteMillis());
            assertEquals(Outcome.DIFFER, back.outcome());
        }
    }

    @Test
    void aLaterRunReplacesEveryFieldSoNoOldDifferenceLingers() {
        RedisServer redis = TestServers.redis();
        try (JedisPooled jedis = new JedisPooled(redis.url())) {
            ConsistencyStatus status = new ConsistencyStatus(jedis);
            status.publish(differ());
            status.publish(new Result(Outcome.EQUAL, 2_000, 1_000, 1_000, 0, 0, 0, 0, 0, null, 0, 0, "", null, "",
                    "a", "b", 1));
            Map<String, String> h = jedis.hgetAll(ConsistencyStatus.KEY);
            assertEquals("equal", h.get("result"));
            assertEquals("", h.get("newest_difference"));
            assertEquals("", h.get("newest_minute"));
            Result r = status.read().orElseThrow();
            assertEquals(null, r.newestMinuteMillis());
            assertEquals(null, r.newestDifferenceMillis());
        }
    }

    @Test
    void aHashThatIsNotWhatPublishWritesIsAnErrorNamingTheField() {
        RedisServer redis = TestServers.redis();
        try (JedisPooled jedis = new JedisPooled(redis.url())) {
            ConsistencyStatus status = new ConsistencyStatus(jedis);
            status.publish(differ());
            jedis.hset(ConsistencyStatus.KEY, "legacy_rows", "many");
            RedisIoException e = assertThrows(RedisIoException.class, status::read);
            assertEquals("consistency:status: field legacy_rows is not an integer: 'many'", e.getMessage());
            jedis.hset(ConsistencyStatus.KEY, Map.of("legacy_rows", "1", "result", "maybe"));
            e = assertThrows(RedisIoException.class, status::read);
            assertEquals("consistency:status: result must be equal, differ or error, was 'maybe'", e.getMessage());
            jedis.del(ConsistencyStatus.KEY);
            jedis.set(ConsistencyStatus.KEY, "x");
            e = assertThrows(RedisIoException.class, status::read);
            assertTrue(e.getMessage().contains("WRONGTYPE"), e.getMessage());
            jedis.del(ConsistencyStatus.KEY);
        }
    }

    @Test
    void anUnreachableRedisIsUnavailable() {
        try (JedisPooled jedis = new JedisPooled("127.0.0.1", Processes.freePort())) {
            assertThrows(RedisUnavailableException.class, () -> new ConsistencyStatus(jedis).read());
        }
    }

    @Test
    void aResultMustAgreeWithItsCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Result(Outcome.EQUAL, 0, 0,
                60_000, 1, 1, 0, 1, 1, 0L, 1, 1, "", null, "", "a", "b", 0));
        assertEquals("result equal with minutes_differ=1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Result(Outcome.DIFFER, 0, 0, 60_000, 1, 2, 0, 1, 1,
                0L, 1, 1, "", null, "", "a", "b", 0));
        assertEquals("minutes_differ must be 0..1, was 2", e.getMessage());
    }
}
