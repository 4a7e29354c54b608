package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.cea.candecode.CanFrame;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

class StreamWriterIT {
    private final RedisServer redis = TestServers.redis();

    private static String key(String name) {
        return "test:" + name + ":" + System.nanoTime();
    }

    @Test
    void writesTheContractFieldsWithTheGivenIds() {
        String stream = key("fields");
        StreamWriterSettings settings = StreamWriterSettings.defaults().withStream(stream);
        List<FrameEntry> batch = List.of(
                new FrameEntry("1734001123123-0", CanFrame.standard(0x123, new byte[] {(byte) 0xAA, (byte) 0xFF, 4, 16},
                        1_734_001_123_123_456L)),
                new FrameEntry("1734001123123-1", CanFrame.data(0x123, true, new byte[0], 1_734_001_123_124_000L)),
                new FrameEntry("1734001123200-0", CanFrame.remote(0x7FF, false, 2, 1_734_001_123_200_000L)));
        try (StreamWriter w = StreamWriter.connect(RedisConfig.fromUrl(redis.url()), settings);
             JedisPooled j = new JedisPooled(redis.url())) {
            assertEquals("0-0", w.lastId());
            StreamWriter.BatchResult r = w.write(batch);
            assertEquals(new StreamWriter.BatchResult(3, 0, 3), r);
            List<StreamEntry> got = j.xrange(stream, (StreamEntryID) null, (StreamEntryID) null);
            assertEquals(3, got.size());
            assertEquals("1734001123123-0", got.get(0).getID().toString());
            assertEquals(Map.of("id", "0x123", "data", "AA FF 04 10", "ts", "1734001123123", "dlc", "4",
                    "ts_us", "1734001123123456"), got.get(0).getFields());
            assertEquals("0x00000123", got.get(1).getFields().get("id"));
            assertEquals("", got.get(1).getFields().get("data"));
            assertEquals("R", got.get(2).getFields().get("flags"));
            assertEquals("2", got.get(2).getFields().get("dlc"));
        }
    }

    /** The hand-rolled RESP encoder against the contract's other implementation, StreamSchema. */
    @Test
    void encodesEveryFrameKindExactlyAsStreamSchema() {
        String stream = key("schema");
        java.util.Random rnd = new java.util.Random(42);
        List<FrameEntry> batch = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            boolean ext = rnd.nextBoolean();
            int id = rnd.nextInt(ext ? CanFrame.MAX_EXTENDED_ID + 1 : CanFrame.MAX_STANDARD_ID + 1);
            long ts = (long) (rnd.nextDouble() * 2e15);
            CanFrame f;
            switch (i % 4) {
                case 0 -> f = CanFrame.remote(id, ext, rnd.nextInt(9), ts);
                case 1 -> {
                    byte[] d = new byte[new int[] {12, 16, 20, 24, 32, 48, 64}[rnd.nextInt(7)]];
                    rnd.nextBytes(d);
                    f = new CanFrame(id, ext, false, false, true, rnd.nextInt(4), d.length, d, ts);
                }
                case 2 -> f = new CanFrame(id, true, false, true, false, 0, 8, new byte[8], ts);
                default -> {
                    byte[] d = new byte[rnd.nextInt(9)];
                    rnd.nextBytes(d);
                    f = CanFrame.data(id, ext, d, ts);
                }
            }
            batch.add(new FrameEntry("2000-" + i, f));
        }
        try (StreamWriter w = StreamWriter.connect(RedisConfig.fromUrl(redis.url()),
                StreamWriterSettings.defaults().withStream(stream));
             JedisPooled j = new JedisPooled(redis.url())) {
            assertEquals(2000, w.write(batch).written());
            List<StreamEntry> got = j.xrange(stream, (StreamEntryID) null, (StreamEntryID) null);
            for (int i = 0; i < batch.size(); i++) {
                CanFrame f = batch.get(i).frame();
                assertEquals(StreamSchema.toFields(f), got.get(i).getFields(), f.toString());
                CanFrame back = StreamSchema.fromFields(got.get(i).getID().toString(), got.get(i).getFields());
                assertEquals(f.idHex(), back.idHex());
                assertEquals(f.dataHex(), back.dataHex());
                assertEquals(f.timestampMicros(), back.timestampMicros());
            }
        }
    }

    /**
     * The encoder's shortcuts: ts written as the digits of ts_us without the last three, the
     * millisecond digits of numeric ids reused while the millisecond repeats, two-digit dlc.
     * Expected values worked out by hand.
     */
    @Test
    void numericIdsSmallTimestampsAndLongFramesEncodeExactly() {
        String stream = key("shortcuts");
        EntryIdGenerator ids = new EntryIdGenerator();
        long[] micros = {0, 7, 999, 1000, 1001, 999_999, 1_000_000, 1_734_001_123_123_456L};
        long[] wallMs = {5, 5, 5, 6, 6, 1_000, 1_000, 10_000};
        List<FrameEntry> batch = new ArrayList<>();
        for (int i = 0; i < micros.length; i++) {
            batch.add(ids.nextEntry(wallMs[i], CanFrame.standard(0x100 + i, new byte[] {(byte) i, (byte) 0xF0}, micros[i])));
        }
        byte[] sixtyFour = new byte[64];
        sixtyFour[63] = (byte) 0xAB;
        batch.add(ids.nextEntry(10_000, new CanFrame(0x1FF, false, false, false, true, 1, 64, sixtyFour, 42_000)));
        try (StreamWriter w = StreamWriter.connect(RedisConfig.fromUrl(redis.url()),
                StreamWriterSettings.defaults().withStream(stream));
             JedisPooled j = new JedisPooled(redis.url())) {
            assertEquals(9, w.write(batch).written());
            List<StreamEntry> got = j.xrange(stream, (StreamEntryID) null, (StreamEntryID) null);
            List<String> gotIds = new ArrayList<>();
            List<String> gotTs = new ArrayList<>();
            List<String> gotTsUs = new ArrayList<>();
            for (StreamEntry e : got) {
                gotIds.add(e.getID().toString());
                gotTs.add(e.getFields().get("ts"));
                gotTsUs.add(e.getFields().get("ts_us"));
            }
            assertEquals(List.of("5-0", "5-1", "5-2", "6-0", "6-1", "1000-0", "1000-1", "10000-0", "10000-1"), gotIds);
            assertEquals(List.of("0", "0", "0", "1", "1", "999", "1000", "1734001123123", "42"), gotTs);
            assertEquals(List.of("0", "7", "999", "1000", "1001", "999999", "1000000", "1734001123123456", "42000"),
                    gotTsUs);
            assertEquals("07 F0", got.get(7).getFields().get("data"));
            Map<String, String> fd = got.get(8).getFields();
            assertEquals("64", fd.get("dlc"));
            assertEquals("00 ".repeat(63) + "AB", fd.get("data"));
            assertEquals("F", fd.get("flags"));
        }
    }

    @Test
    void resendingABatchWritesNothingTwice() {
        String stream = key("resend");
        StreamWriterSettings settings = StreamWriterSettings.defaults().withStream(stream);
        List<FrameEntry> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(new FrameEntry("1000-" + i, CanFrame.standard(0x101, new byte[] {(byte) i}, 1000 + i)));
        }
        try (StreamWriter w = StreamWriter.connect(RedisConfig.fromUrl(redis.url()), settings)) {
            assertEquals(60, w.write(batch.subList(0, 60)).written());
        }
        try (StreamWriter w = StreamWriter.connect(RedisConfig.fromUrl(redis.url()), settings);
             JedisPooled j = new JedisPooled(redis.url())) {
            assertEquals("1000-59", w.lastId());
            StreamWriter.BatchResult r = w.write(batch);
            assertEquals(40, r.written());
            assertEquals(60, r.duplicates());
            assertEquals(100, j.xlen(stream));
        }
    }

    @Test
    void publisherReportsTheCapAsDataAtRisk() {
        String stream = key("cap");
        StreamWriterSettings settings = StreamWriterSettings.defaults().withStream(stream).withMaxLen(1000)
                .withBatchSize(100);
        AtomicLong ms = new AtomicLong(1_000_000);
        try (Spool spool = Spool.open(org.cea.testsupport.Processes.tempDir("cea-spool-"));
             StreamPublisher p = new StreamPublisher(RedisConfig.fromUrl(redis.url()), settings, spool,
                     System::nanoTime, ms::incrementAndGet);
             JedisPooled j = new JedisPooled(redis.url())) {
            for (int i = 0; i < 5000; i++) {
                p.add(CanFrame.standard(0x101, new byte[] {(byte) i}, i));
            }
            p.flush();
            // On a loaded machine a reply can time out: that batch goes to the spool and is replayed
            // on a later poll, so drain the spool before counting.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (p.stats().spoolDepth() > 0 && System.nanoTime() < deadline) {
                p.poll();
                org.cea.testsupport.Processes.sleep(20);
            }
            StreamPublisher.Stats s = p.stats();
            assertEquals(5000, s.written());
            assertTrue(s.capHits() > 0, "cap hits " + s.capHits());
            long len = j.xlen(stream);
            assertTrue(len >= 1000 && len < 1200, "length " + len);
        }
    }
}
