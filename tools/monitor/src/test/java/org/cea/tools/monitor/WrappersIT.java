package org.cea.tools.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cea.redisio.ConsistencyStatus;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** Runs bin/monitor_redis_backend.sh and bin/monitor_can_db.sh as processes, stdout a pipe (not a terminal). */
class WrappersIT {
    /** Exit code, stdout and stderr of one run. */
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String script, String... args) {
        Path root = TestServers.projectRoot();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("bin").resolve(script).toString()));
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("monitor-out-", ".txt");
            Path err = Files.createTempFile("monitor-err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().put("CEA_BUILD_DIR", System.getProperty("cea.buildDir", "target"));
            pb.environment().remove("DB_URL");
            pb.environment().remove("REDIS_URL");
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(script + " did not exit within 60 s");
            }
            Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Test
    void redisMonitorPrintsOneSnapshotWithOnce() {
        RedisServer redis = TestServers.redis();
        try (JedisPooled jedis = new JedisPooled(redis.url())) {
            Fixtures.writeRedis(jedis, System.currentTimeMillis());
        }
        Run r = run("monitor_redis_backend.sh", "--once", "--redis-url", redis.url(), "--failures", "1");
        // wet_bulb_b has no live reading: degraded, as can-api's /health says it, so a health check notices
        assertEquals(3, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("CEA Redis + backend status · redis://127.0.0.1:" + redis.port() + "/0 · "),
                r.out());
        assertEquals("redis: ok · can:raw 3 entries · can:dead 1 entries", lines.get(1));
        assertTrue(lines.contains("  processed 100 · rate 12.5/s · pending 3 · lag 0"), r.out());
        assertTrue(lines.contains("service failures (newest first, 1 shown):") && lines.contains("  f3"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("  dry_bulb_b +23\\.55  °C +\\d\\.\\d s")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("  wet_bulb_b +—  °C +—  stale")), r.out());
    }

    @Test
    void redisMonitorShowsDownWithoutAStackTraceAndExitsThree() {
        Run r = run("monitor_redis_backend.sh", "--redis-url", "redis://127.0.0.1:" + Processes.freePort());
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.out().lines().toList().get(1).startsWith("redis: DOWN — "), r.out());
        assertFalse((r.out() + r.err()).contains("Exception") || (r.out() + r.err()).contains("\tat "), r.out() + r.err());
    }

    @Test
    void dbMonitorSnapshotOfAnUnreachableDatabaseSaysDownAndExitsThree() {
        String url = "postgresql://cea:secret@127.0.0.1:" + Processes.freePort() + "/cea";
        Run r = run("monitor_can_db.sh", "--once", "--db-url", url);
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.out().lines().toList().get(1).startsWith("database: DOWN — "), r.out());
        assertFalse(r.out().contains("secret"), r.out());
    }

    @Test
    void dbMonitorPrintsOneSnapshotWhenStdoutIsNotATerminal() {
        Path dir = Processes.tempDir("cea-monitor-");
        try {
            String url = "jdbc:sqlite:" + dir.resolve("cea.db");
            try (Store store = Store.open(url)) {
                Fixtures.writeMessages(store, System.currentTimeMillis());
            }
            Run r = run("monitor_can_db.sh", "--db-url", url, "--limit", "2"); // no --once: stdout is a pipe
            assertEquals(0, r.exit(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals("CEA database tail · " + url, lines.get(0).substring(0, lines.get(0).lastIndexOf(" · ")));
            assertTrue(lines.get(1).startsWith("database: ok · backend SQLITE · written — rows/s now, "), r.out());
            assertTrue(lines.contains("  PT100                 2          2"), r.out());
            assertTrue(lines.contains("newest 2 messages, newest first:"), r.out());
            assertTrue(lines.stream().anyMatch(l -> l.contains("  0x00000123     —  —           raw AA BB")), r.out());
            assertTrue(lines.stream().anyMatch(l -> l.contains("  0x201          2  PT100       " + Fixtures.PT100_JSON)),
                    r.out());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("  dry_bulb_b 23.55 (")), r.out());
        } finally {
            Processes.deleteTree(dir);
        }
    }

    @Test
    void bothMonitorsShowTheParallelRunsLastComparisonAfterTheirStatusLines() {
        RedisServer redis = TestServers.redis();
        long now = System.currentTimeMillis();
        long minute = now / 60_000 * 60_000 - 120_000;
        String diff = "2026-01-01 10:03 0x101: legacy 60 rows, database 59 (1 only in legacy)";
        try (JedisPooled jedis = new JedisPooled(redis.url())) {
            Fixtures.writeRedis(jedis, now);
            new ConsistencyStatus(jedis).publish(new ConsistencyStatus.Result(ConsistencyStatus.Outcome.DIFFER, now - 5_000,
                    minute - 59_000 * 60, minute + 120_000, 60, 1, 1, 600, 599, minute, 10, 9, diff, minute, "",
                    "jdbc:sqlite:/l.db", "jdbc:sqlite:/d.db", 100));
        }
        Path dir = Processes.tempDir("cea-monitor-");
        try {
            String url = "jdbc:sqlite:" + dir.resolve("cea.db");
            try (Store store = Store.open(url)) {
                Fixtures.writeMessages(store, now);
            }
            Run redisView = run("monitor_redis_backend.sh", "--once", "--redis-url", redis.url());
            // the fixture's wet_bulb_b has no live reading: the Redis monitor is degraded (exit 3) for that
            // alone; a differing comparison is shown but does not change either monitor's exit status
            assertEquals(3, redisView.exit(), redisView.out() + redisView.err());
            Run dbView = run("monitor_can_db.sh", "--once", "--db-url", url, "--redis-url", redis.url());
            assertEquals(0, dbView.exit(), dbView.out() + dbView.err());
            for (Run r : List.of(redisView, dbView)) {
                List<String> lines = r.out().lines().toList();
                int blank = lines.indexOf("");
                // 60 compared minutes: 600 legacy rows = 10.0 per minute, 599 database rows = 9.98 -> 10.0
                assertTrue(lines.get(blank + 1).startsWith("parallel run: DIFFER · last comparison "), r.out());
                assertTrue(lines.get(blank + 1).endsWith(" ago) over 61 min: 60 minutes compared, 1 differ, 1 open"),
                        r.out());
                assertTrue(lines.get(blank + 2).startsWith("  rows per minute: legacy 10.0 · database 10.0 on average;"
                        + " newest minute "), r.out());
                assertTrue(lines.get(blank + 2).endsWith(": legacy 10 · database 9"), r.out());
                assertEquals("  newest difference: " + diff, lines.get(blank + 3), r.out());
                assertEquals("", lines.get(blank + 4), r.out());
            }
        } finally {
            Processes.deleteTree(dir);
        }
    }

    @Test
    void dbMonitorWithRedisUnreachableSaysSoAndStaysUp() {
        Path dir = Processes.tempDir("cea-monitor-");
        try {
            String url = "jdbc:sqlite:" + dir.resolve("cea.db");
            try (Store store = Store.open(url)) {
                Fixtures.writeMessages(store, System.currentTimeMillis());
            }
            int port = Processes.freePort();
            Run r = run("monitor_can_db.sh", "--once", "--db-url", url, "--redis-url", "redis://127.0.0.1:" + port);
            assertEquals(0, r.exit(), r.out() + r.err());
            List<String> lines = r.out().lines().toList();
            assertTrue(lines.get(lines.indexOf("") + 1).startsWith("parallel run: unknown — consistency:status at redis://127.0.0.1:"
                    + port + "/0 unreadable: "), r.out());
        } finally {
            Processes.deleteTree(dir);
        }
    }

    @Test
    void badFlagsExitTwoWithOneLineOnStderr() {
        Run r = run("monitor_can_db.sh", "--limit", "abc");
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("monitor_can_db: "), r.err());
        assertEquals("", r.out());
    }
}
