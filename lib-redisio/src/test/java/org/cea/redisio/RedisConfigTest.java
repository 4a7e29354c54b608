package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service's own ACL user from REDIS_&lt;SERVICE&gt;_PASSWORD; a password in the URL wins (DESIGN.md "Redis users"). */
class RedisConfigTest {
    @Test
    void urlWithoutPasswordLogsInAsTheServiceUser() {
        RedisConfig c = RedisConfig.fromUrl("redis://127.0.0.1:6390").withServiceUser("scanner",
                Map.of("REDIS_SCANNER_PASSWORD", "s3cret", "REDIS_WORKER_PASSWORD", "other"));
        assertEquals("cea-scanner", c.user());
        assertEquals("s3cret", c.password());
        assertEquals("redis://cea-scanner:***@127.0.0.1:6390/0", c.maskedUrl());
        assertFalse(c.toString().contains("s3cret"), c.toString());
    }

    @Test
    void passwordInTheUrlWinsAndNoVariableLeavesItOpen() {
        RedisConfig url = RedisConfig.fromUrl("redis://:admin@127.0.0.1:6379");
        assertSame(url, url.withServiceUser("worker", Map.of("REDIS_WORKER_PASSWORD", "w")));
        RedisConfig open = RedisConfig.fromUrl("redis://127.0.0.1:6379");
        RedisConfig same = open.withServiceUser("api", Map.of("REDIS_API_PASSWORD", ""));
        assertNull(same.user());
        assertNull(same.password());
    }

    @Test
    void aUrlThatDoesNotParseIsQuotedWithoutItsPassword() {
        for (String url : new String[] {"redis://u:pw@XQ1@/0", "redis://pw@XQ1@/0", "redis://u:pw@XQ1@host:1/x y",
                "http://u:pw@XQ1@host:1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisConfig.fromUrl(url));
            assertFalse(e.getMessage().contains("XQ1"), e.getMessage());
            assertTrue(e.getMessage().contains("//***@"), e.getMessage());
        }
    }

    @Test
    void serviceNameMustBeLowerCaseLetters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisConfig.fromUrl("redis://h:1").withServiceUser("Scanner1", Map.of()));
        assertEquals("redis service name must be lower-case letters, was 'Scanner1'", e.getMessage());
        assertEquals("REDIS_AUTOMATION_PASSWORD", RedisConfig.passwordVariable("automation"));
        assertEquals("cea-monitor", RedisConfig.userName("monitor"));
    }
}
