package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

class StreamConsumerIT {
    private static JedisPooled jedis;

    @BeforeAll
    static void connect() {
        RedisConfig rc = RedisConfig.fromUrl(TestServers.redis().url());
        jedis = new JedisPooled(rc.hostAndPort(), rc.clientConfig());
    }

    @AfterAll
    static void disconnect() {
        jedis.close();
    }

    private static String stream(String name) {
        return "test:consumer:" + name + ":" + System.nanoTime();
    }

    private static List<String> add(String stream, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(jedis.xadd(stream, XAddParams.xAddParams().id(StreamEntryID.NEW_ENTRY),
                    Map.of("id", "0x101", "data", "00", "ts", Integer.toString(i), "dlc", "1")).toString());
        }
        return ids;
    }

    private static ConsumerConfig config(String stream, String consumer, int batch) {
        return new ConsumerConfig(stream, "can-worker", consumer, batch, 50, 1_000, 3);
    }

    private static List<String> ids(List<RawEntry> entries) {
        return entries.stream().map(RawEntry::id).toList();
    }

    @Test
    void pollNewWaitsOnlyUntilAnEntryArrivesAndNoLongerThanAsked() throws Exception {
        String s = stream("pollwait");
        StreamConsumer c = StreamConsumer.create(jedis, new ConsumerConfig(s, "can-worker", "a", 10, 3_000, 1_000, 3));
        long t0 = System.nanoTime();
        assertTrue(c.pollNew(150).isEmpty());
        long emptyMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(emptyMs >= 140 && emptyMs < 1_500, "an empty wait of 150 ms took " + emptyMs + " ms");

        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            add(s, 1);
        });
        writer.start();
        t0 = System.nanoTime();
        List<RawEntry> got = c.pollNew(2_500);
        long gotMs = (System.nanoTime() - t0) / 1_000_000;
        writer.join();
        assertEquals(1, got.size());
        assertTrue(gotMs < 1_500, "the entry written after 200 ms came back after " + gotMs + " ms of a 2500 ms wait");
        assertThrows(IllegalArgumentException.class, () -> c.pollNew(0));
        assertThrows(IllegalArgumentException.class, () -> c.pollNew(3_001));
    }

    @Test
    void deliversEntriesWrittenBeforeTheGroupWasCreated() {
        String s = stream("early");
        List<String> written = add(s, 3);
        StreamConsumer c = StreamConsumer.create(jedis, config(s, "a", 10));
        List<RawEntry> got = c.next();
        assertEquals(written, ids(got));
        assertEquals("0x101", got.get(0).fields().get("id"));
        assertEquals(3, c.ack(ids(got)));
        assertEquals(0, c.pendingCount());
    }

    @Test
    void createsTheStreamWhenMissingAndBlocksOnlyTheBlockTime() {
        String s = stream("empty");
        StreamConsumer c = StreamConsumer.create(jedis, config(s, "a", 10));
        long t0 = System.nanoTime();
        assertTrue(c.next().isEmpty());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 40 && ms < 2_000, "blocked " + ms + " ms for BLOCK 50");
        assertEquals("stream", jedis.type(s));
        StreamConsumer.create(jedis, config(s, "b", 10));
    }

    @Test
    void readsOwnPendingEntriesFirstThenNewOnesInBatches() {
        String s = stream("pending");
        List<String> first = add(s, 5);
        StreamConsumer crashed = StreamConsumer.create(jedis, config(s, "w1", 10));
        assertEquals(first, ids(crashed.next()));
        List<String> later = add(s, 4);

        StreamConsumer restarted = StreamConsumer.create(jedis, config(s, "w1", 2));
        List<String> seen = new ArrayList<>();
        List<Boolean> pendingPhase = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            List<RawEntry> batch = restarted.next();
            assertTrue(batch.size() <= 2, "batch larger than COUNT: " + batch.size());
            pendingPhase.add(restarted.readingPending());
            seen.addAll(ids(batch));
            restarted.ack(ids(batch));
        }
        List<String> expected = new ArrayList<>(first);
        expected.addAll(later);
        assertEquals(expected, seen);
        assertEquals(0, restarted.pendingCount());
        assertTrue(pendingPhase.get(0));
        assertFalse(pendingPhase.get(pendingPhase.size() - 1));
    }

    @Test
    void rewindReDeliversUnacknowledgedEntriesOnly() {
        String s = stream("rewind");
        List<String> written = add(s, 6);
        StreamConsumer c = StreamConsumer.create(jedis, config(s, "a", 10));
        assertEquals(written, ids(c.next()));
        c.ack(written.subList(0, 4));
        c.rewind();
        assertEquals(written.subList(4, 6), ids(c.next()));
        c.ack(written.subList(4, 6));
        assertTrue(c.next().isEmpty());
    }

    @Test
    void trimsOnlyBelowWhatEveryGroupAcknowledged() {
        String s = stream("trim");
        List<String> written = add(s, 10);
        StreamConsumer c = StreamConsumer.create(jedis, config(s, "a", 10));
        assertEquals(10, c.next().size());
        c.ack(written.subList(0, 6));
        assertEquals(6, c.trimAcknowledged());
        assertEquals(4, jedis.xlen(s));
        assertEquals(written.get(6), jedis.xrange(s, (StreamEntryID) null, (StreamEntryID) null, 1).get(0).getID().toString());

        c.ack(written.subList(6, 10));
        List<String> undelivered = add(s, 2);
        // a second group that has read nothing holds everything back
        StreamConsumer other = StreamConsumer.create(jedis, config(s, "x", 10).withGroup("monitor"));
        assertEquals(0, c.trimAcknowledged());
        other.ack(ids(other.next()));
        // everything acknowledged by both: can-worker's last delivered entry stays, and what it has not read
        assertEquals(3, c.trimAcknowledged());
        assertEquals(3, jedis.xlen(s));
        assertEquals(written.get(9), jedis.xrange(s, (StreamEntryID) null, (StreamEntryID) null, 1).get(0).getID().toString());
        assertEquals(2, c.lag());
        assertEquals(undelivered, ids(c.next()));
    }

    @Test
    void reportsPendingAndLag() {
        String s = stream("lag");
        add(s, 7);
        StreamConsumer c = StreamConsumer.create(jedis, config(s, "a", 3));
        assertEquals(7, c.lag());
        c.next();
        assertEquals(3, c.pendingCount());
        assertEquals(4, c.lag());
    }

    @Test
    void countsEntriesTrimmedBeforeTheGroupReadThem() {
        String s = stream("cap");
        add(s, 4);
        StreamConsumer c = StreamConsumer.create(jedis, config(s, "a", 2));
        c.ack(ids(c.next()));
        assertEquals(0, c.trimmedUndelivered());
        add(s, 6);
        // the writer's memory cap hits while the worker lags: 10 added, 2 read, 3 kept -> 5 lost
        jedis.xtrim(s, redis.clients.jedis.params.XTrimParams.xTrimParams().maxLen(3));
        assertEquals(5, c.trimmedUndelivered());
        List<String> rest = new ArrayList<>();
        for (List<RawEntry> b = c.next(); !b.isEmpty(); b = c.next()) {
            rest.addAll(ids(b));
        }
        assertEquals(3, rest.size());
        assertEquals(0, c.trimmedUndelivered());
    }

    @Test
    void lagCountsOnlyEntriesStillToBeDeliveredAfterTheCapTrimmedUnreadOnes() {
        String s = stream("lagcap");
        add(s, 4);
        StreamConsumer c = StreamConsumer.create(jedis, config(s, "a", 2));
        c.ack(ids(c.next()));
        add(s, 6);
        // the cap drops 5 entries nobody read: Redis's own lag (added - read) keeps counting them
        jedis.xtrim(s, redis.clients.jedis.params.XTrimParams.xTrimParams().maxLen(3));
        assertEquals(3, c.lag(), "all 3 entries in the stream are still to be delivered");
        c.ack(ids(c.next()));
        assertEquals(1, undeliveredByXrange(s), "the stream itself says 1 is left");
        assertEquals(1, c.lag());
        c.ack(ids(c.next()));
        assertEquals(0, undeliveredByXrange(s));
        assertEquals(0, c.lag(), "caught up; Redis's own lag reads " + redisLag(s));
        add(s, 4);
        assertEquals(4, c.lag(), "new entries after the gap are counted exactly");
        c.ack(ids(c.next()));
        assertEquals(2, c.lag());
    }

    /** Entries after the group's last delivered id, counted from the stream (not from Redis's lag). */
    private static long undeliveredByXrange(String s) {
        String last = jedis.xinfoGroups(s).get(0).getLastDeliveredId().toString();
        return jedis.xrange(s, "(" + last, "+").size();
    }

    private static Object redisLag(String s) {
        return jedis.xinfoGroups(s).get(0).getGroupInfo().get("lag");
    }

    @Test
    void recreatesItsGroupWhenRedisLostIt() {
        String s = stream("lost");
        StreamConsumer c = StreamConsumer.create(jedis, config(s, "a", 10));
        jedis.del(s);
        List<String> written = add(s, 2);
        assertEquals(written, ids(c.next()), "the read recreates the group at 0 and goes on");
    }
}
