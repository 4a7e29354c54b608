package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.cea.candecode.CanFrame;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamEntry;

/** A private Redis per test: these kill it. Frames carry their index in bytes 0-3 for counting. */
class StreamPublisherIT {
    private RedisServer redis;
    private Path spoolDir;

    @BeforeEach
    void start() {
        redis = RedisServer.start(true);
        spoolDir = Processes.tempDir("cea-spool-");
    }

    @AfterEach
    void stop() {
        redis.close();
        Processes.deleteTree(spoolDir);
    }

    private static CanFrame frame(int i) {
        byte[] d = {(byte) i, (byte) (i >>> 8), (byte) (i >>> 16), (byte) (i >>> 24), 0, 0, 0, (byte) i};
        return CanFrame.standard(0x101, d, 1_700_000_000_000_000L + i);
    }

    private static int index(StreamEntry e) {
        byte[] d = org.cea.candecode.Hex.parseSpaced(e.getFields().get("data"));
        return (d[0] & 0xFF) | (d[1] & 0xFF) << 8 | (d[2] & 0xFF) << 16 | (d[3] & 0xFF) << 24;
    }

    private StreamPublisher publisher(Spool spool) {
        StreamWriterSettings s = StreamWriterSettings.defaults().withBatchSize(50);
        return new StreamPublisher(RedisConfig.fromUrl(redis.url()), new StreamWriterSettings(s.stream(), s.maxLen(),
                50, 5, 50, 400, 500), spool, System::nanoTime, System::currentTimeMillis);
    }

    private void assertExactlyOnceInOrder(int n) {
        try (JedisPooled j = new JedisPooled(redis.url())) {
            List<StreamEntry> all = j.xrange(StreamSchema.STREAM, (StreamEntryID) null, (StreamEntryID) null);
            assertEquals(n, all.size(), "stream length");
            for (int i = 0; i < n; i++) {
                assertEquals(i, index(all.get(i)), "entry " + i + " (" + all.get(i).getID() + ")");
            }
        }
    }

    @Test
    void replaysSpoolInOrderAfterRedisReturns() {
        int n = 3000;
        try (Spool spool = Spool.open(spoolDir); StreamPublisher p = publisher(spool)) {
            for (int i = 0; i < n; i++) {
                if (i == 1000) {
                    redis.kill9();
                }
                if (i == 2000) {
                    redis.startProcess();
                }
                p.add(frame(i));
                if (i % 10 == 0) {
                    p.poll();
                    Processes.sleep(1);
                }
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while ((p.stats().spoolDepth() > 0 || p.stats().written() < n) && System.nanoTime() < deadline) {
                p.poll();
                p.flush();
                Processes.sleep(5);
            }
            StreamPublisher.Stats s = p.stats();
            assertTrue(s.spooled() > 0, "something was spooled: " + s);
            assertEquals(0, s.lost(), s.toString());
            assertEquals(0, s.spoolDepth(), s.toString());
            assertTrue(spool.isEmpty());
        }
        assertExactlyOnceInOrder(n);
    }

    @Test
    void spoolWrittenByOneProcessIsReplayedByTheNext() {
        redis.kill9();
        try (Spool spool = Spool.open(spoolDir); StreamPublisher p = publisher(spool)) {
            for (int i = 0; i < 500; i++) {
                p.add(frame(i));
            }
            p.flush();
            assertEquals(500, p.stats().spoolDepth());
        }
        redis.startProcess();
        try (Spool spool = Spool.open(spoolDir); StreamPublisher p = publisher(spool)) {
            for (int i = 500; i < 700; i++) {
                p.add(frame(i));
                p.poll();
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (p.stats().spoolDepth() > 0 && System.nanoTime() < deadline) {
                p.poll();
                Processes.sleep(5);
            }
            p.flush();
            assertEquals(500, p.stats().replayed());
        }
        assertExactlyOnceInOrder(700);
    }

    @Test
    void replayAfterAnInterruptedReplayWritesNothingTwice() {
        redis.kill9();
        try (Spool spool = Spool.open(spoolDir); StreamPublisher p = publisher(spool)) {
            for (int i = 0; i < 300; i++) {
                p.add(frame(i));
            }
        }
        redis.startProcess();
        // first half replayed by hand, spool not consumed: as if the scanner died mid-replay
        try (Spool spool = Spool.open(spoolDir);
             StreamWriter w = StreamWriter.connect(RedisConfig.fromUrl(redis.url()), StreamWriterSettings.defaults())) {
            w.write(spool.peek(150));
        }
        try (Spool spool = Spool.open(spoolDir); StreamPublisher p = publisher(spool)) {
            for (int i = 0; i < 20 && p.stats().spoolDepth() > 0 || i == 0; i++) {
                p.poll();
                Processes.sleep(5);
            }
            assertEquals(150, p.stats().duplicates());
            assertEquals(150, p.stats().replayed());
        }
        assertExactlyOnceInOrder(300);
    }

    /** Issue 17 item 4: a spool line over 256 KB stalled replay for ever; it is quarantined now. */
    @Test
    void aDamagedSpoolLineOver256KbIsQuarantinedAndTheRestReplayed() throws Exception {
        redis.kill9();
        try (Spool spool = Spool.open(spoolDir); StreamPublisher p = publisher(spool)) {
            for (int i = 0; i < 300; i++) {
                p.add(frame(i));
            }
            p.flush();
        }
        Path f = spoolDir.resolve(Spool.FILE_NAME);
        java.util.List<String> lines = java.nio.file.Files.readAllLines(f);
        lines.add(150, "1700000000000-999999 " + "0".repeat(300_000));
        java.nio.file.Files.write(f, lines);
        redis.startProcess();
        try (Spool spool = Spool.open(spoolDir); StreamPublisher p = publisher(spool)) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (p.stats().spoolDepth() > 0 && System.nanoTime() < deadline) {
                p.poll();
                Processes.sleep(5);
            }
            p.flush();
            assertEquals(300, p.stats().replayed());
            assertEquals(0, p.stats().spoolDepth());
            assertEquals(1, spool.corruptLines());
            assertEquals(1, p.stats().spoolBad());
        }
        assertExactlyOnceInOrder(300);
        assertTrue(java.nio.file.Files.size(spoolDir.resolve(Spool.QUARANTINE_FILE_NAME)) > 300_000);
    }

    private long usedMemory() {
        String info = redis.command("INFO memory");
        int at = info.indexOf("used_memory:");
        return Long.parseLong(info.substring(at + 12, info.indexOf('\r', at)));
    }

    /**
     * Issue 17 item 2: Redis refusing writes (maxmemory with noeviction) while a consumer trims
     * what it has read. Memory swings around the limit, so a refused entry can be followed by
     * accepted ones; main re-sent them and took them for duplicates (id below the top): silent
     * loss. Every frame must reach the stream exactly once, and the refusals must be counted.
     */
    @Test
    void redisRefusingWritesUnderMaxmemoryMidRunLosesNothing() throws Exception {
        int n = 60_000;
        assertTrue(redis.command("CONFIG SET maxmemory-policy noeviction").startsWith("+OK"));
        java.util.Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger twice = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread consumer = new Thread(() -> {
            try (JedisPooled j = new JedisPooled(redis.url())) {
                StreamEntryID last = new StreamEntryID(0, 0);
                while (!stop.get()) {
                    List<java.util.Map.Entry<String, List<StreamEntry>>> r = j.xread(
                            XReadParams.xReadParams().count(100).block(20),
                            java.util.Map.of(StreamSchema.STREAM, last));
                    if (r == null || r.isEmpty()) {
                        continue;
                    }
                    for (StreamEntry e : r.get(0).getValue()) {
                        if (!seen.add(index(e))) {
                            twice.incrementAndGet();
                        }
                        last = e.getID();
                    }
                    j.xtrim(StreamSchema.STREAM, XTrimParams.xTrimParams().minId(last.toString()));
                    Processes.sleep(10); // slower than the writer: the stream grows into the limit
                }
            }
        }, "test-consumer");
        consumer.start();
        StreamPublisher.Stats s;
        try (Spool spool = Spool.open(spoolDir); StreamPublisher p = publisher(spool)) {
            for (int i = 0; i < n; i++) {
                p.add(frame(i));
                p.poll();
                if (i == n / 5) {
                    long limit = usedMemory() + 100_000;
                    assertTrue(redis.command("CONFIG SET maxmemory " + limit).startsWith("+OK"));
                }
                if (i == 4 * n / 5) {
                    assertTrue(redis.command("CONFIG SET maxmemory 0").startsWith("+OK"));
                }
                if (i % 500 == 0) {
                    Processes.sleep(1);
                }
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            do {
                p.poll();
                Processes.sleep(5);
            } while ((p.stats().spoolDepth() > 0 || seen.size() < n) && System.nanoTime() < deadline);
            p.flush();
            s = p.stats();
        }
        long waitUntil = System.nanoTime() + 5_000_000_000L;
        while (seen.size() < n && System.nanoTime() < waitUntil) {
            Processes.sleep(10);
        }
        stop.set(true);
        consumer.join(5_000);
        System.out.println("maxmemory pressure: " + s);
        assertTrue(s.refused() > 0, "Redis refused something under the limit: " + s);
        assertEquals(0, s.lost(), s.toString());
        assertEquals(0, twice.get(), "entries read twice");
        java.util.List<Integer> missing = new java.util.ArrayList<>();
        for (int i = 0; i < n && missing.size() < 10; i++) {
            if (!seen.contains(i)) {
                missing.add(i);
            }
        }
        assertEquals(List.of(), missing, "frames missing from the stream (first 10); " + s);
        String info = redis.command("XINFO STREAM " + StreamSchema.STREAM);
        assertTrue(info.contains("entries-added\r\n:" + n + "\r\n"), "entries-added is the frame count: " + info);
    }

    /**
     * The hole made deterministic: batch A is sent while Redis is over maxmemory (refused), memory
     * is freed, batch B is sent (accepted) before A's replies are read. A's ids are below the top
     * now; main spooled both, replayed them as "duplicates" and lost A.
     */
    @Test
    void aRefusedBatchPassedByAnAcceptedOneIsSentAgainUnderNewIds() {
        assertTrue(redis.command("CONFIG SET maxmemory-policy noeviction").startsWith("+OK"));
        StreamPublisher.Stats s;
        try (JedisPooled j = new JedisPooled(redis.url()); Spool spool = Spool.open(spoolDir);
             StreamPublisher p = publisher(spool)) {
            for (int i = 0; i < 100; i++) {
                p.add(frame(i));
            }
            p.flush();
            j.set("ballast", "x".repeat(4 << 20));
            assertTrue(redis.command("CONFIG SET maxmemory " + (usedMemory() - 100_000)).startsWith("+OK"));
            for (int i = 100; i < 150; i++) {
                p.add(frame(i)); // the 50th sends batch A; its replies are read after the next batch is sent
            }
            Processes.sleep(200);
            j.del("ballast");
            for (int i = 150; i < 200; i++) {
                p.add(frame(i));
            }
            assertTrue(redis.command("CONFIG SET maxmemory 0").startsWith("+OK"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            do {
                p.poll();
                Processes.sleep(5);
            } while (p.stats().spoolDepth() > 0 && System.nanoTime() < deadline);
            p.flush();
            s = p.stats();
        }
        assertEquals(50, s.refused(), s.toString());
        try (JedisPooled j = new JedisPooled(redis.url())) {
            List<StreamEntry> all = j.xrange(StreamSchema.STREAM, (StreamEntryID) null, (StreamEntryID) null);
            assertEquals(200, all.size(), "stream length; " + s);
            java.util.Set<Integer> seen = new java.util.TreeSet<>();
            all.forEach(e -> seen.add(index(e)));
            assertEquals(200, seen.size(), "distinct frames");
            assertEquals(150, index(all.get(100)), "B went in before A's second attempt");
            assertEquals(100, index(all.get(150)));
        }
    }
}
