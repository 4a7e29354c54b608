package org.cea.tools.cliit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/**
 * A finite source (a candump log) that reaches its end while Redis is down: bin/can-scanner waits for
 * the spool to drain up to --drain-timeout, then exits 1 naming how many frames are still spooled and
 * where; when Redis comes back within the wait, every frame reaches the stream and the exit is 0.
 */
class ScannerDrainIT {
    private static final int FRAMES = 40;

    /** A log in candump -l form, 40 frames of the facility's node 1 (id 0x101), 10 ms apart. */
    private static Path capture(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            lines.add(String.format("(1734001123.%06d) can0 101#33091C07000000%02X", i * 10_000, i % 256));
        }
        return Files.write(dir.resolve("capture.log"), lines);
    }

    private static String[] args(Path log, RedisServer redis, Path spool, String drainS) {
        return new String[] {"--source", "candump:" + log, "--speed", "max", "--no-db", "--quiet", "--stats-interval",
            "0", "--redis-url", redis.url(), "--spool-dir", spool.toString(), "--drain-timeout", drainS};
    }

    @Test
    void endOfLogWithRedisDownWaitsThenExits1NamingTheSpooledFrames(@TempDir Path dir) throws IOException {
        Path log = capture(dir);
        Path spool = dir.resolve("spool");
        try (RedisServer redis = RedisServer.start(false)) {
            redis.stop();
            long t0 = System.nanoTime();
            Bin.Run r = Bin.run("can-scanner", Map.of(), 120, args(log, redis, spool, "3"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("can-scanner: " + FRAMES + " frames still spooled in " + spool), r.toString());
            assertTrue(r.err().contains("--drain-timeout"), r.toString());
            assertTrue(ms >= 3_000, "exited after " + ms + " ms, before the 3 s drain timeout");
        }
    }

    @Test
    void redisBackDuringTheWaitGetsEveryFrameAndExit0(@TempDir Path dir) throws Exception {
        Path log = capture(dir);
        Path spool = dir.resolve("spool");
        try (RedisServer redis = RedisServer.start(false)) {
            redis.stop();
            Thread back = new Thread(() -> {
                Processes.sleep(4_000);
                redis.startProcess();
            }, "redis-back");
            back.start();
            Bin.Run r = Bin.run("can-scanner", Map.of(), 120, args(log, redis, spool, "60"));
            back.join();
            assertEquals(0, r.exit(), r.toString());
            try (JedisPooled jedis = new JedisPooled("127.0.0.1", redis.port())) {
                assertEquals(FRAMES, jedis.xlen("can:raw"), r.toString());
            }
        }
    }
}
