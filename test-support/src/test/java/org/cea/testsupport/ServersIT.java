package org.cea.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServersIT {

    @Test
    void redisKeepsAofDataAcrossKill9AndRestart() {
        try (RedisServer redis = RedisServer.start(true)) {
            assertTrue(redis.command("SET k v").startsWith("+OK"));
            redis.kill9();
            assertFalse(redis.isRunning());
            redis.startProcess();
            assertEquals("$1\r\nv\r\n", redis.command("GET k"));
        }
    }

    @Test
    void postgresStopsKillsAndRestartsOnTheSamePort() {
        try (PostgresCluster pg = PostgresCluster.start()) {
            pg.createDatabase("t1");
            pg.psql("t1", "CREATE TABLE x(a int); INSERT INTO x VALUES (1),(2)");
            pg.kill9();
            assertFalse(pg.isRunning());
            pg.startServer();
            assertEquals("2", pg.psql("t1", "SELECT count(*) FROM x"));
            pg.stop();
            assertFalse(pg.isRunning());
            pg.startServer();
            assertTrue(pg.isRunning());
        }
    }
}
