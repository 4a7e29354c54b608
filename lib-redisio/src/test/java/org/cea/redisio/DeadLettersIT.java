package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import redis.clients.jedis.resps.StreamEntry;

class DeadLettersIT {
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

    private static List<String> pendingAfterRead(String stream, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(jedis.xadd(stream, XAddParams.xAddParams().id(StreamEntryID.NEW_ENTRY),
                    Map.of("id", "0x102", "data", "0" + i, "ts", "1000", "dlc", "1")).toString());
        }
        StreamConsumer c = StreamConsumer.create(jedis, new ConsumerConfig(stream, "can-worker", "w", 2_000, 20, 60_000, 10));
        assertEquals(n, c.next().size());
        return ids;
    }

    @Test
    void entryStaysPendingWhenTheDeadLetterStreamRefusesTheLetter() {
        String s = "test:dead:wrongtype:" + System.nanoTime();
        String dead = s + ":dead";
        String id = pendingAfterRead(s, 1).get(0);
        jedis.set(dead, "not a stream");
        DeadLetters dl = new DeadLetters(jedis, dead);
        RedisIoException e = assertThrows(RedisIoException.class,
                () -> dl.moveAndAck(s, "can-worker", List.of(new DeadLetters.Letter(id, Map.of("id", "zz"), "bad id"))));
        assertTrue(e.getMessage().contains(dead) && e.getMessage().contains("WRONGTYPE"), e.getMessage());
        assertEquals(1, jedis.xpending(s, "can-worker").getTotal(), "the entry is still pending");
        assertEquals("not a stream", jedis.get(dead));
    }

    @Test
    void movesManyLettersAndAcknowledgesThemAll() {
        String s = "test:dead:many:" + System.nanoTime();
        List<String> ids = pendingAfterRead(s, 1_200);
        List<DeadLetters.Letter> letters = ids.stream()
                .map(id -> new DeadLetters.Letter(id, Map.of("id", "0x102", "data", "zz"), "bad data")).toList();
        DeadLetters dl = new DeadLetters(jedis, s + ":dead");
        dl.moveAndAck(s, "can-worker", letters);
        assertEquals(1_200, dl.size());
        assertEquals(0, jedis.xpending(s, "can-worker").getTotal());
        StreamEntry last = jedis.xrevrange(dl.key(), (StreamEntryID) null, (StreamEntryID) null, 1).get(0);
        assertEquals(Map.of("id", "0x102", "data", "zz", "reason", "bad data", "source_id", ids.get(1_199),
                "source_stream", s), last.getFields());
    }
}
