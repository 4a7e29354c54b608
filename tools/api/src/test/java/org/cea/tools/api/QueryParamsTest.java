package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryParamsTest {
    private static final Instant NOW = Instant.parse("2026-11-26T02:00:00Z");

    private static QueryParams q(String... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
        }
        return QueryParams.of(m, Set.of("from", "to", "points", "limit"));
    }

    @Test
    void parsesEveryTimeForm() {
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), QueryParams.parseInstant("2026-01-01T00:00:00Z", NOW));
        assertEquals(Instant.parse("2025-12-31T23:00:00Z"), QueryParams.parseInstant("2026-01-01T00:00:00+01:00", NOW));
        // 1767225600000 ms = 2026-01-01T00:00:00Z (365 * 56 years + 14 leap days = 20454 days * 86400 s)
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), QueryParams.parseInstant("1767225600000", NOW));
        assertEquals(NOW, QueryParams.parseInstant("now", NOW));
        assertEquals(Instant.parse("2026-11-26T01:59:30Z"), QueryParams.parseInstant("now-30s", NOW));
        assertEquals(Instant.parse("2026-11-26T01:45:00Z"), QueryParams.parseInstant("now-15m", NOW));
        assertEquals(Instant.parse("2026-11-25T02:00:00Z"), QueryParams.parseInstant("now-24h", NOW));
        assertEquals(Instant.parse("2026-10-27T02:00:00Z"), QueryParams.parseInstant("now-30d", NOW));
    }

    @Test
    void rangeDefaultsAndLimits() {
        assertArrayEquals(new Instant[] {Instant.parse("2026-11-25T02:00:00Z"), NOW},
                q().range(NOW, Duration.ofHours(24), Duration.ofDays(366)));
        assertArrayEquals(new Instant[] {Instant.parse("2026-11-26T00:00:00Z"), Instant.parse("2026-11-26T01:00:00Z")},
                q("from", "now-2h", "to", "now-1h").range(NOW, Duration.ofHours(24), Duration.ofDays(366)));
        ApiException reversed = assertThrows(ApiException.class,
                () -> q("from", "now", "to", "now-1h").range(NOW, Duration.ofHours(1), Duration.ofDays(366)));
        assertEquals(400, reversed.status());
        assertTrue(reversed.getMessage().contains("reversed"), reversed.getMessage());
        ApiException tooLong = assertThrows(ApiException.class,
                () -> q("from", "now-367d").range(NOW, Duration.ofHours(1), Duration.ofDays(366)));
        assertEquals("time range too large: 367.0 days from 2025-11-24T02:00:00Z to 2026-11-26T02:00:00Z; at most 366.0 days",
                tooLong.getMessage());
        assertEquals("from", tooLong.parameter());
    }

    @Test
    void integersAreCheckedAgainstTheirRange() {
        assertEquals(300, q().integer("points", 300, 1, 5000));
        assertEquals(7, q("points", " 7 ").integer("points", 300, 1, 5000));
        assertEquals("parameter 'points' must be 1..5000, was 0",
                assertThrows(ApiException.class, () -> q("points", "0").integer("points", 300, 1, 5000)).getMessage());
        assertEquals("parameter 'limit' must be an integer 1..1000, was '1e3'",
                assertThrows(ApiException.class, () -> q("limit", "1e3").integer("limit", 100, 1, 1000)).getMessage());
        assertNull(q().optionalInteger("limit", 0, 9));
    }

    @Test
    void unknownAndRepeatedParametersAreRejected() {
        ApiException unknown = assertThrows(ApiException.class,
                () -> QueryParams.of(Map.of("q", List.of("1")), Set.of("limit", "after_id")));
        assertEquals("unknown parameter 'q'; this endpoint takes after_id, limit", unknown.getMessage());
        assertEquals("q", unknown.parameter());
        ApiException none = assertThrows(ApiException.class, () -> QueryParams.of(Map.of("x", List.of("")), Set.of()));
        assertEquals("unknown parameter 'x'; this endpoint takes no parameters", none.getMessage());
        assertEquals("parameter 'to' given 2 times; give it once",
                assertThrows(ApiException.class, () -> q("to", "now", "to", "now-1h")).getMessage());
        ApiException bad = assertThrows(ApiException.class, () -> q("to", "tomorrow").instant("to", NOW, NOW));
        assertTrue(bad.getMessage().startsWith("parameter 'to' must be an ISO-8601 time"), bad.getMessage());
        assertTrue(bad.getMessage().endsWith("was 'tomorrow'"), bad.getMessage());
    }
}
