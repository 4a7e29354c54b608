package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingEntry;

class StreamJanitorIT {
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

    private static List<String> add(String stream, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(jedis.xadd(stream, XAddParams.xAddParams().id(StreamEntryID.NEW_ENTRY),
                    Map.of("id", "0x102", "data", "0" + i, "ts", "1000", "dlc", "1")).toString());
        }
        return ids;
    }

    private static ConsumerConfig config(String stream, String consumer, int maxDeliveries) {
        return new ConsumerConfig(stream, "can-worker", consumer, 100, 20, 1_000, maxDeliveries);
    }

    private static List<StreamPendingEntry> pending(String stream) {
        return jedis.xpending(stream, "can-worker", XPendingParams.xPendingParams().count(1000));
    }

    @Test
    void claimsEntriesIdleWithADeadConsumer() {
        String s = "test:janitor:claim:" + System.nanoTime();
        List<String> written = add(s, 5);
        StreamConsumer dead = StreamConsumer.create(jedis, config(s, "dead", 10));
        assertEquals(5, dead.next().size());
        StreamJanitor janitor = new StreamJanitor(jedis, config(s, "alive", 10), new DeadLetters(jedis, s + ":dead"));
        assertTrue(janitor.run().claimed().isEmpty(), "nothing is idle long enough yet");
        Processes.sleep(1_100);
        StreamJanitor.Result r = janitor.run();
        assertEquals(written, r.claimed().stream().map(RawEntry::id).toList());
        assertEquals("00", r.claimed().get(0).fields().get("data"));
        assertTrue(pending(s).stream().allMatch(p -> p.getConsumerName().equals("alive")));
        assertEquals(0, r.deadLettered());
        assertEquals(0, r.lost());
    }

    @Test
    void deadLettersEntriesDeliveredTooOftenWithReasonFieldsAndSourceId() {
        String s = "test:janitor:poison:" + System.nanoTime();
        String dl = s + ":dead";
        List<String> written = add(s, 2);
        StreamConsumer c = StreamConsumer.create(jedis, config(s, "w", 2));
        c.next();
        c.ack(List.of(written.get(1)));
        // two more consumers each claim it from the one before, which "died" holding it
        for (String next : List.of("w2", "w3")) {
            Processes.sleep(1_100);
            StreamJanitor.Result claim = new StreamJanitor(jedis, config(s, next, 2), new DeadLetters(jedis, dl)).run();
            assertEquals(List.of(written.get(0)), claim.claimed().stream().map(RawEntry::id).toList());
            assertEquals(0, claim.deadLettered());
        }
        StreamJanitor.Result r = new StreamJanitor(jedis, config(s, "w3", 2), new DeadLetters(jedis, dl)).run();
        assertEquals(1, r.deadLettered());
        assertTrue(pending(s).isEmpty(), "dead-lettered entry must be acknowledged");
        List<StreamEntry> letters = jedis.xrange(dl, (StreamEntryID) null, (StreamEntryID) null, 10);
        assertEquals(1, letters.size());
        Map<String, String> f = letters.get(0).getFields();
        assertEquals(written.get(0), f.get("source_id"));
        assertEquals(s, f.get("source_stream"));
        assertEquals("0x102", f.get("id"));
        assertEquals("00", f.get("data"));
        assertTrue(f.get("reason").startsWith("delivered 3 times (limit 2)"), f.get("reason"));
    }

    @Test
    void countsTrimmedPendingEntriesAsLostAndAcknowledgesThem() {
        String s = "test:janitor:trimmed:" + System.nanoTime();
        List<String> written = add(s, 3);
        StreamConsumer dead = StreamConsumer.create(jedis, config(s, "dead", 10));
        assertEquals(3, dead.next().size());
        jedis.xdel(s, new StreamEntryID(written.get(0)), new StreamEntryID(written.get(1)));
        Processes.sleep(1_100);
        StreamJanitor.Result r = new StreamJanitor(jedis, config(s, "alive", 10), new DeadLetters(jedis, s + ":dead")).run();
        assertEquals(2, r.lost());
        assertEquals(List.of(written.get(2)), r.claimed().stream().map(RawEntry::id).toList());
        assertEquals(1, pending(s).size());
    }

    @Test
    void forgetsIdleConsumersWithNothingPendingOnly() {
        String s = "test:janitor:forget:" + System.nanoTime();
        add(s, 2);
        StreamConsumer gone = StreamConsumer.create(jedis, config(s, "gone", 10));
        gone.ack(gone.next().stream().map(RawEntry::id).toList());
        add(s, 1);
        StreamConsumer holding = StreamConsumer.create(jedis, config(s, "holding", 10));
        assertEquals(1, holding.next().size());
        Processes.sleep(600);
        new StreamJanitor(jedis, config(s, "me", 10).withClaimIdleMs(60_000), new DeadLetters(jedis, s + ":dead"), 500).run();
        List<String> left = jedis.xinfoConsumers2(s, "can-worker").stream().map(c -> c.getName()).toList();
        assertEquals(List.of("holding"), left);
    }

    @Test
    void deadLetterAndAckAreOneTransaction() {
        String s = "test:janitor:move:" + System.nanoTime();
        String id = add(s, 1).get(0);
        StreamConsumer c = StreamConsumer.create(jedis, config(s, "w", 5));
        c.next();
        DeadLetters dl = new DeadLetters(jedis, s + ":dead");
        dl.moveAndAck(s, "can-worker", List.of(new DeadLetters.Letter(id, Map.of("id", "zz"), "bad id")));
        assertEquals(1, dl.size());
        assertEquals(0, c.pendingCount());
        Map<String, String> f = jedis.xrange(dl.key(), (StreamEntryID) null, (StreamEntryID) null, 1).get(0).getFields();
        assertEquals(Map.of("id", "zz", "reason", "bad id", "source_id", id, "source_stream", s), f);
    }

    /** Issue 17 item 1: re-reading after a Redis error or an outage is not a delivery attempt. */
    @Test
    void rereadingOwnPendingEntriesAndJanitorPassesDoNotRaiseDeliveryCounts() {
        String s = "test:janitor:reread:" + System.nanoTime();
        List<String> written = add(s, 3);
        StreamConsumer c = StreamConsumer.create(jedis, config(s, "w", 2));
        assertEquals(3, c.next().size());
        StreamJanitor janitor = new StreamJanitor(jedis, config(s, "w", 2), new DeadLetters(jedis, s + ":dead"));
        for (int i = 0; i < 5; i++) {
            c.rewind();
            List<RawEntry> again = c.next();
            assertEquals(written, again.stream().map(RawEntry::id).toList());
            assertEquals("00", again.get(0).fields().get("data"));
            Processes.sleep(i == 0 ? 1_100 : 0); // idle past the claim time: its own entries are not claimed
            StreamJanitor.Result r = janitor.run();
            assertTrue(r.claimed().isEmpty(), "own entries claimed: " + r.claimed());
            assertEquals(0, r.deadLettered());
        }
        assertTrue(pending(s).stream().allMatch(p -> p.getDeliveredTimes() == 1), pending(s).toString());
        jedis.xdel(s, new StreamEntryID(written.get(1)));
        c.rewind();
        List<RawEntry> left = c.next();
        assertEquals(written, left.stream().map(RawEntry::id).toList());
        assertTrue(left.get(1).trimmed(), "a trimmed pending entry comes back without a body");
    }
}
