package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;
import static org.cea.redisio.RedisCalls.num;
import static org.cea.redisio.RedisCalls.str;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * Frames lost on the bus, judged once for the whole pipeline: sequence-counter gaps per CAN node
 * in the hash {@value #KEY} (node address → frames), written by the one process that holds the
 * judge's lease ({@value #LEASE_KEY}) and reads every entry of the stream in order through its
 * own group ({@value #GROUP}). With two workers each sees only part of every node's frames, so a
 * per-worker count reads tens of thousands of gaps where nothing was lost.
 *
 * <p>Counting and acknowledging happen in one server-side script, so a judge that dies between
 * them leaves its entries pending for the next one and nothing is counted twice.
 */
public final class LostFrames {
    /** Hash: node address → frames lost since the hash was created. */
    public static final String KEY = "worker:lost_frames";
    /** String: the consumer that judges sequence gaps now, with an expiry. */
    public static final String LEASE_KEY = "worker:seq-judge";
    /** The judge's consumer group on the stream. */
    public static final String GROUP = "can-seq";
    /** KEYS: lease; ARGV: holder, ms. 1 when {@code holder} holds the lease (taken or extended). */
    private static final String HOLD = String.join("\n",
            "local h = redis.call('GET', KEYS[1])",
            "if h == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end",
            "if h then return 0 end",
            "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])",
            "return 1");
    /**
     * KEYS: hash, stream; ARGV: group, number of nodes n, n node/frames pairs, then entry ids.
     * HINCRBY first, then XACK in chunks of 500 (Lua's unpack has a stack limit).
     */
    private static final String COUNT_AND_ACK = String.join("\n",
            "local n = tonumber(ARGV[2])",
            "for i = 0, n - 1 do redis.call('HINCRBY', KEYS[1], ARGV[3 + 2 * i], ARGV[4 + 2 * i]) end",
            "local first = 3 + 2 * n",
            "local acked = 0",
            "for k = first, #ARGV, 500 do",
            "  acked = acked + redis.call('XACK', KEYS[2], ARGV[1], unpack(ARGV, k, math.min(k + 499, #ARGV)))",
            "end",
            "return acked");

    private final UnifiedJedis jedis;
    private final String stream;

    /** The lost-frame count for {@code stream}; the caller owns the connection. */
    public LostFrames(UnifiedJedis jedis, String stream) {
        if (stream == null || stream.isBlank()) {
            throw new IllegalArgumentException("stream must not be blank");
        }
        this.jedis = jedis;
        this.stream = stream;
    }

    /**
     * Takes or extends the judge's lease.
     *
     * @param holder who asks (the worker's consumer name)
     * @param ms     how long the lease lasts without another call, ms (&gt; 0)
     * @return true when {@code holder} is the judge until then
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public boolean holdLease(String holder, long ms) {
        if (ms <= 0) {
            throw new IllegalArgumentException("ms must be > 0, was " + ms);
        }
        return call("EVAL (lease " + LEASE_KEY + ")", () -> num(jedis.sendCommand(Protocol.Command.EVAL, HOLD, "1",
                LEASE_KEY, holder, Long.toString(ms)))) == 1;
    }

    /**
     * Adds the gaps found in a run of entries and acknowledges the entries in {@link #GROUP}, in one
     * script.
     *
     * @param lostByNode frames lost per node address in these entries (nodes with none may be absent)
     * @param ids        the entries judged
     * @return entries acknowledged
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public long add(Map<Integer, Long> lostByNode, Collection<String> ids) {
        if (ids.isEmpty() && lostByNode.isEmpty()) {
            return 0;
        }
        List<String> args = new ArrayList<>(4 + 2 * lostByNode.size() + ids.size());
        args.add(COUNT_AND_ACK);
        args.add("2");
        args.add(KEY);
        args.add(stream);
        args.add(GROUP);
        args.add(Integer.toString(lostByNode.size()));
        lostByNode.forEach((node, n) -> {
            args.add(Integer.toString(node));
            args.add(Long.toString(n));
        });
        args.addAll(ids);
        return call("EVAL (count lost frames, XACK " + ids.size() + " ids)",
                () -> num(jedis.sendCommand(Protocol.Command.EVAL, args.toArray(String[]::new))));
    }

    /**
     * Frames lost per node address, as judged so far (nodes with losses only).
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public Map<Integer, Long> read() {
        Object reply = call("HGETALL " + KEY, () -> jedis.sendCommand(Protocol.Command.HGETALL, KEY));
        Map<Integer, Long> out = new TreeMap<>();
        RedisCalls.infoMap(reply).forEach((k, v) -> {
            try {
                long n = Long.parseLong(str(v));
                if (n > 0) {
                    out.put(Integer.parseInt(k), n);
                }
            } catch (NumberFormatException e) {
                // a field not written by this class: ignored rather than breaking the status
            }
        });
        return out;
    }
}
