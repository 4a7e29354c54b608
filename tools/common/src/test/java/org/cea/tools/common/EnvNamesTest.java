package org.cea.tools.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvNamesTest {
    @Test
    void theNewLegacyNameWinsTheOldOneStillWorksAndBlankCountsAsUnset() {
        assertEquals("/a.db", EnvNames.legacyDbUrl(Map.of("LEGACY_DB_URL", "/a.db", "CEA_DB_URL", "/b.db"), "/d.db"));
        assertEquals("/b.db", EnvNames.legacyDbUrl(Map.of("CEA_DB_URL", "/b.db"), "/d.db"));
        assertEquals("/b.db", EnvNames.legacyDbUrl(Map.of("LEGACY_DB_URL", " ", "CEA_DB_URL", "/b.db"), "/d.db"));
        assertEquals("/d.db", EnvNames.legacyDbUrl(Map.of(), "/d.db"));
    }

    @Test
    void firstTakesTheFirstNameSet() {
        assertEquals("r", EnvNames.first(Map.of("DB_URL_READER", "r", "DB_URL", "w"), null, "DB_URL_READER", "DB_URL"));
        assertEquals("w", EnvNames.first(Map.of("DB_URL", "w"), null, "DB_URL_READER", "DB_URL"));
        assertNull(EnvNames.first(Map.of(), null, "DB_URL"));
    }

    @Test
    void pickTakesTheFlagThenTheEnvironmentThenTheDefault() {
        assertEquals("f", EnvNames.pick("f", Map.of("REDIS_URL", "e"), "d", "REDIS_URL"));
        assertEquals("e", EnvNames.pick(null, Map.of("REDIS_URL", "e"), "d", "REDIS_URL"));
        assertEquals("d", EnvNames.pick(null, Map.of("REDIS_URL", ""), "d", "REDIS_URL"));
        assertEquals("redis://127.0.0.1:6379", EnvNames.redisUrl(null, Map.of()));
        assertEquals("redis://r:1", EnvNames.redisUrl(null, Map.of("REDIS_URL", "redis://r:1")));
    }
}
