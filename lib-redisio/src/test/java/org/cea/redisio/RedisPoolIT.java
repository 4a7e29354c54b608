package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cea.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

/** RedisConfig.openPool against a real redis-server: the size and the borrow wait are what the caller asked. */
class RedisPoolIT {

    @Test
    void aFullPoolRefusesABorrowAfterTheBoundedWait() {
        try (RedisServer redis = RedisServer.start(false);
             JedisPooled jedis = RedisConfig.fromUrl(redis.url()).openPool(2, 300)) {
            assertEquals("PONG", jedis.ping());
            assertEquals(2, jedis.getPool().getMaxTotal());
            assertEquals(2, jedis.getPool().getMaxIdle());
            try (Connection a = jedis.getPool().getResource(); Connection b = jedis.getPool().getResource()) {
                long t0 = System.nanoTime();
                assertThrows(JedisException.class, jedis::ping);
                long waitedMs = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(waitedMs >= 300 && waitedMs < 3_000, "waited " + waitedMs + " ms for a connection");
            }
            assertEquals("PONG", jedis.ping(), "connections given back are used again");
        }
    }

    @Test
    void waitForeverIsThePoolsUnboundedWait() {
        try (RedisServer redis = RedisServer.start(false);
             JedisPooled jedis = RedisConfig.fromUrl(redis.url()).openPool(4, RedisConfig.POOL_WAIT_FOREVER_MS)) {
            assertEquals(-1, jedis.getPool().getMaxWaitDuration().toMillis());
            assertEquals(4, jedis.getPool().getMaxTotal());
            assertEquals("PONG", jedis.ping());
        }
    }

    @Test
    void theOneThreadClientAndTheDedicatedConnectionLogInLikeThePool() {
        try (RedisServer redis = RedisServer.start(false)) {
            redis.command("ACL SETUSER cea-probe on >probe-pw ~* &* +@all");
            RedisConfig c = RedisConfig.fromUrl("redis://cea-probe:probe-pw@127.0.0.1:" + redis.port() + "/3")
                    .withSocketTimeoutMs(1_234);
            try (JedisPooled client = c.openClient(); Jedis conn = c.openConnection();
                 JedisPooled pool = c.openPool(2, 300)) {
                assertEquals(1, client.getPool().getMaxTotal());
                assertEquals(-1, client.getPool().getMaxWaitDuration().toMillis());
                for (String info : new String[] {clientInfo(client), conn.clientInfo(), clientInfo(pool)}) {
                    assertTrue(info.contains(" user=cea-probe "), info);
                    assertTrue(info.contains(" name=cea "), info);
                    assertTrue(info.contains(" db=3 "), info);
                }
                assertEquals(1_234, conn.getConnection().getSoTimeout());
            }
        }
    }

    private static String clientInfo(JedisPooled j) {
        return new String((byte[]) j.sendCommand(Protocol.Command.CLIENT, "INFO"), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void rejectsAnEmptyPoolOrAZeroWait() {
        RedisConfig c = RedisConfig.fromUrl("redis://127.0.0.1:6390");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.openPool(0, 100));
        assertEquals("redis pool size must be >= 1, was 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.openPool(1, 0));
        assertEquals("redis pool wait must be > 0 ms or POOL_WAIT_FOREVER_MS (-1), was 0", e.getMessage());
    }
}
