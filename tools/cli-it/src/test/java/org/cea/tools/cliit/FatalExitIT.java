package org.cea.tools.cliit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;

/**
 * A fatal error at start-up, run through the real bin/ script: exit status not 0, one line on stderr
 * that names the tool and says what to do, no stack trace (unless --debug). The worker takes no entry
 * before it has checked its database.
 */
class FatalExitIT {
    /** The file can never be created, even by root: its parent is a character device. */
    private static final String UNUSABLE_SQLITE = "/dev/null/cea.db";

    /** Node 1's climate frame (id 0x101) as the scanner writes it: the worker would store it. */
    private static Map<String, String> validEntry() {
        return org.cea.redisio.StreamSchema.toFields(org.cea.candecode.CanFrame.standard(0x101,
                new byte[] {0x33, 0x09, 0x1C, 0x07, 0, 0, 0, 0x11}, 1_734_001_123_123_456L));
    }

    private static void assertOneLineFatal(Bin.Run r, String tool) {
        assertNotEquals(0, r.exit(), r.toString());
        assertFalse(r.hasStackTrace(), "stack trace without --debug:\n" + r);
        List<String> d = r.diagnostics();
        assertEquals(1, d.size(), "exactly one diagnostic line:\n" + r);
        assertTrue(d.get(0).startsWith(tool + ": "), r.toString());
    }

    @Test
    void workerWithAnUnusableDatabaseExits1WithOneLineAndTakesNoEntry() {
        RedisServer redis = TestServers.redis();
        try (JedisPooled jedis = new JedisPooled("127.0.0.1", redis.port())) {
            jedis.del("can:raw");
            jedis.xadd("can:raw", new StreamEntryID(1_000, 0), validEntry());
            Bin.Run r = Bin.run("can-worker", Map.of(), 60, "--db-url", "/nonexistent/dir/x.db", "--redis-url",
                    redis.url(), "--claim-idle-ms", "600000");
            assertEquals(1, r.exit(), r.toString());
            assertEquals(1, r.errLines().size(), "one line on stderr:\n" + r);
            assertTrue(r.err().startsWith("can-worker: cannot open the database /nonexistent/dir/x.db"), r.toString());
            assertTrue(r.err().contains("(fix --db-url / DB_URL)"), r.toString());
            long pending = jedis.xinfoGroups("can:raw").stream().mapToLong(g -> g.getPending()).sum();
            assertEquals(0, pending, "entries left pending in a consumer group of can:raw");
        } finally {
            redis.command("DEL can:raw");
        }
    }

    @Test
    void workerWithAMissingPostgresDatabaseExits1WithOneLineAndTakesNoEntry() {
        PostgresCluster pg = TestServers.postgres();
        RedisServer redis = TestServers.redis();
        try (JedisPooled jedis = new JedisPooled("127.0.0.1", redis.port())) {
            jedis.del("can:raw");
            jedis.xadd("can:raw", new StreamEntryID(1_000, 0), validEntry());
            Bin.Run r = Bin.run("can-worker", Map.of(), 60, "--db-url", pg.url("no_such_database"), "--redis-url",
                    redis.url());
            assertOneLineFatal(r, "can-worker");
            assertTrue(r.err().contains("no_such_database"), r.toString());
            long pending = jedis.xinfoGroups("can:raw").stream().mapToLong(g -> g.getPending()).sum();
            assertEquals(0, pending, "entries left pending in a consumer group of can:raw");
        } finally {
            redis.command("DEL can:raw");
        }
    }

    @Test
    void workerWithAWrongRedisPasswordExits1WithOneLine(@TempDir Path dir) {
        RedisServer redis = TestServers.redis();
        Bin.Run r = Bin.run("can-worker", Map.of(), 60, "--db-url", dir.resolve("w.db").toString(), "--redis-url",
                "redis://:wrong-secret@127.0.0.1:" + redis.port());
        assertOneLineFatal(r, "can-worker");
        assertFalse(r.err().contains("wrong-secret"), "password in the message:\n" + r);
    }

    @Test
    void debugShowsTheStackTrace() {
        Bin.Run r = Bin.run("can-worker", Map.of(), 60, "--db-url", "/nonexistent/dir/x.db", "--redis-url",
                "redis://127.0.0.1:1", "--debug");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.hasStackTrace(), "--debug shows the cause's stack trace:\n" + r);
    }

    @Test
    void scannerWithAnUnusableDatabaseExitsNonZeroWithOneLine(@TempDir Path dir) {
        Bin.Run r = Bin.run("can-scanner", Map.of(), 60, "--source", "sim", "--count", "5", "--quiet", "--db-url",
                UNUSABLE_SQLITE, "--redis-url", TestServers.redis().url(), "--spool-dir", dir.toString());
        assertOneLineFatal(r, "can-scanner");
    }

    @Test
    void scannerLogsTheDatabaseUrlWithItsPasswordMasked(@TempDir Path dir) {
        int closed = org.cea.testsupport.Processes.freePort();
        Bin.Run r = Bin.run("can-scanner", Map.of(), 60, "--source", "sim", "--count", "5", "--quiet", "--db-url",
                "postgresql://cea_writer:s3cret-pw@127.0.0.1:" + closed + "/cea_sensors", "--redis-url",
                TestServers.redis().url(), "--spool-dir", dir.toString());
        assertTrue(r.err().contains("postgresql://cea_writer:***@127.0.0.1:" + closed), r.toString());
        assertFalse(r.err().contains("s3cret-pw"), "password in the scanner's output:\n" + r);
    }

    @Test
    void actuatorWithAWrongRedisPasswordExits1WithOneLine() {
        Bin.Run r = Bin.run("cea-actuator", Map.of(), 60, "--dry-run", "--redis-url",
                "redis://:wrong-secret@127.0.0.1:" + TestServers.redis().port());
        assertOneLineFatal(r, "cea-actuator");
        assertFalse(r.err().contains("wrong-secret"), r.toString());
    }

    @Test
    void apiWithItsPortTakenExits1WithOneLine() {
        RedisServer redis = TestServers.redis();
        Bin.Run r = Bin.run("can-api", Map.of(), 60, "--listen", "127.0.0.1:" + redis.port(), "--db-url",
                UNUSABLE_SQLITE, "--redis-url", redis.url());
        assertOneLineFatal(r, "can-api");
    }

    @Test
    void automationWithAMissingConfigExits1WithOneLine(@TempDir Path dir) {
        Bin.Run r = Bin.run("cea-automation", Map.of(), 60, "--config", dir.resolve("missing.json").toString(),
                "--redis-url", TestServers.redis().url());
        assertOneLineFatal(r, "cea-automation");
    }

    @Test
    void migrateWithAMissingSourceExits1WithOneLine(@TempDir Path dir) {
        Bin.Run r = Bin.run("can-migrate", Map.of(), 60, "--sqlite", dir.resolve("missing.db").toString(),
                "--target", "postgresql://u:p@127.0.0.1:1/x", "--no-readings");
        assertOneLineFatal(r, "can-migrate");
    }

    @Test
    void consistencyWithAMissingLegacyFileExits3WithOneLine(@TempDir Path dir) {
        Bin.Run r = Bin.run("can-consistency", Map.of(), 60, "--legacy", dir.resolve("missing.db").toString(),
                "--db-url", UNUSABLE_SQLITE, "--redis-url", TestServers.redis().url());
        assertEquals(3, r.exit(), r.toString());
        assertOneLineFatal(r, "can-consistency");
    }

    @Test
    void decodeWithAMissingFileSaysSo(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.log");
        Bin.Run r = Bin.run("can-decode", Map.of(), 60, missing.toString());
        assertOneLineFatal(r, "can-decode");
        assertTrue(r.err().contains("no such file"), r.toString());
        Files.createDirectories(dir.resolve("adir"));
        Bin.Run d = Bin.run("can-decode", Map.of(), 60, dir.resolve("adir").toString());
        assertOneLineFatal(d, "can-decode");
        assertTrue(d.err().contains("is a directory"), d.toString());
    }
}
