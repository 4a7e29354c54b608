package org.cea.tools.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.cea.redisio.ScannerStatus;
import org.cea.redisio.StreamSchema;
import org.cea.redisio.TimeSource;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A wall clock stepped back one hour during a run (the scanner's clocks are injected; the host clock
 * is untouched): the jump reaches {@code scanner:status} and the stats line, the frames after it carry
 * the new time, and their entry ids still increase (every frame reached the stream).
 */
class ScannerClockJumpIT {
    private static final long HOUR_US = 3_600_000_000L;

    @Test
    void backwardStepIsCountedInScannerStatusAndFramesCarryTheNewTime(@TempDir Path dir) throws Exception {
        AtomicLong offsetUs = new AtomicLong();
        TimeSource system = TimeSource.system();
        TimeSource stepped = new TimeSource(() -> system.wallMicros().getAsLong() + offsetUs.get(), System::nanoTime);
        try (RedisServer redis = RedisServer.start(false)) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
            ScannerOptions opt = new Cli().parse(new String[] {"--source", "sim", "--sim-speed", "20", "--duration", "6",
                "--no-db", "--quiet", "--stats-interval", "0", "--redis-url", redis.url(), "--spool-dir",
                dir.resolve("spool").toString()}, Map.of(), System.out);
            Scanner scanner = new Scanner(opt, System.out, errStream, stepped, 1_000);
            Thread step = new Thread(() -> {
                // step once frames are flowing (startup may take seconds on a busy machine)
                try (JedisPooled j = new JedisPooled(redis.url())) {
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (j.xlen(StreamSchema.STREAM) < 5 && System.nanoTime() < deadline) {
                        Processes.sleep(20);
                    }
                }
                offsetUs.set(-HOUR_US);
            }, "clock-step");
            step.start();
            int rc = scanner.run();
            step.join();
            String log = err.toString(StandardCharsets.UTF_8);
            assertEquals(0, rc, log);
            assertTrue(log.contains("| clock jumps 1 (last 3600.0"), log);
            assertTrue(log.contains("s backward)"), log);
            try (JedisPooled j = new JedisPooled(redis.url())) {
                Map<String, String> status = j.hgetAll(ScannerStatus.KEY);
                assertEquals("1", status.get("clock_jumps"), status.toString());
                assertTrue(status.get("clock_jump_last").matches("3600\\.0\\d\\d s backward"), status.toString());
                assertEquals("sim", status.get("source"), status.toString());
                List<StreamEntry> entries = j.xrange(StreamSchema.STREAM, (StreamEntryID) null, (StreamEntryID) null);
                assertEquals(Long.parseLong(status.get("frames")), entries.size(), status.toString());
                long firstTs = Long.parseLong(entries.get(0).getFields().get("ts"));
                long lastTs = Long.parseLong(entries.get(entries.size() - 1).getFields().get("ts"));
                assertTrue(lastTs < firstTs - 3_500_000L, "frames after the step carry the new time: " + firstTs
                        + " .. " + lastTs);
                for (int i = 1; i < entries.size(); i++) {
                    assertTrue(entries.get(i).getID().compareTo(entries.get(i - 1).getID()) > 0, "ids increase at " + i);
                }
            }
        }
    }
}
