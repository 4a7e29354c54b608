package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;
import static org.cea.redisio.RedisCalls.list;
import static org.cea.redisio.RedisCalls.num;
import static org.cea.redisio.RedisCalls.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * Looks after a consumer group's pending entries list; run it every few seconds from the
 * consuming thread:
 * <ul>
 *   <li>entries delivered more than {@link ConsumerConfig#maxDeliveries()} times (a poison entry
 *       that keeps crashing its consumer) go to the dead letters and are acknowledged;</li>
 *   <li>entries of other consumers idle longer than {@link ConsumerConfig#claimIdleMs()} (their
 *       consumer is presumed dead) are claimed for this consumer with {@code XCLAIM} and returned
 *       for processing; this consumer's own idle entries are not claimed (no delivery counted);</li>
 *   <li>such entries whose body was trimmed are acknowledged and counted as lost;</li>
 *   <li>consumers with nothing pending and idle for {@link #FORGET_IDLE_MS} (each restart with a
 *       host-pid name leaves one behind) are removed from the group. A live consumer reads every
 *       block time, so it is never that idle, and one with pending entries is never removed.</li>
 * </ul>
 * Not thread-safe.
 */
public final class StreamJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(StreamJanitor.class);
    private static final int SCAN = 1_000;
    /** A consumer idle this long (ms) with nothing pending is forgotten. */
    public static final long FORGET_IDLE_MS = 3_600_000;

    private final UnifiedJedis jedis;
    private final ConsumerConfig config;
    private final DeadLetters deadLetters;
    private final long forgetIdleMs;
    private String claimCursor = EntryIds.START;
    /**
     * KEYS: stream; ARGV: group, this consumer, min idle ms, exclusive start id, scan count,
     * claim count. Scans the pending list after the start id for entries idle that long held by
     * other consumers: a trimmed one is acknowledged and counted lost, the others are claimed
     * with XCLAIM (which raises the delivery count: their consumer died holding them). Returns
     * {next start id (0-0 after the end), claimed entries, lost count}.
     */
    private static final String CLAIM_OTHERS = String.join("\n",
            "local p = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', tonumber(ARGV[3]), '(' .. ARGV[4], '+',"
                    + " tonumber(ARGV[5]))",
            "local claimed, lost, last = {}, 0, '0-0'",
            "for _, e in ipairs(p) do",
            "  if #claimed >= tonumber(ARGV[6]) then break end",
            "  last = e[1]",
            "  if e[2] ~= ARGV[2] then",
            "    if #redis.call('XRANGE', KEYS[1], e[1], e[1]) == 0 then",
            "      redis.call('XACK', KEYS[1], ARGV[1], e[1])",
            "      lost = lost + 1",
            "    else",
            "      local c = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]), e[1])",
            "      if #c > 0 then claimed[#claimed + 1] = c[1] end",
            "    end",
            "  end",
            "end",
            "if #p < tonumber(ARGV[5]) and #claimed < tonumber(ARGV[6]) then last = '0-0' end",
            "return {last, claimed, lost}");

    /** The caller owns the connection. */
    public StreamJanitor(UnifiedJedis jedis, ConsumerConfig config, DeadLetters deadLetters) {
        this(jedis, config, deadLetters, FORGET_IDLE_MS);
    }

    /** With another idle time (ms) after which consumers with nothing pending are forgotten. */
    StreamJanitor(UnifiedJedis jedis, ConsumerConfig config, DeadLetters deadLetters, long forgetIdleMs) {
        this.jedis = jedis;
        this.config = config;
        this.deadLetters = deadLetters;
        this.forgetIdleMs = forgetIdleMs;
    }

    /**
     * What one janitor pass did.
     *
     * @param claimed      entries taken over from dead consumers, to be processed by the caller
     *                     (they are now pending with this consumer)
     * @param deadLettered entries moved to the dead letters for too many deliveries
     * @param lost         entries acknowledged because their body had been trimmed
     */
    public record Result(List<RawEntry> claimed, int deadLettered, int lost) {
        /** Copies the list. */
        public Result {
            claimed = List.copyOf(claimed);
            if (deadLettered < 0 || lost < 0) {
                throw new IllegalArgumentException("counts must be >= 0, were deadLettered=" + deadLettered
                        + " lost=" + lost);
            }
        }
    }

    /**
     * One pass: dead-letter over-delivered entries, then claim up to a batch of idle ones.
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public Result run() {
        int dead = deadLetterOverDelivered();
        List<RawEntry> claimed = new ArrayList<>();
        int lost = claimIdle(claimed);
        forgetIdleConsumers();
        return new Result(claimed, dead, lost);
    }

    private void forgetIdleConsumers() {
        List<Object> consumers = list(call("XINFO CONSUMERS " + config.stream(), () -> jedis.sendCommand(
                Protocol.Command.XINFO, "CONSUMERS", config.stream(), config.group())));
        for (Object c : consumers) {
            Map<String, Object> info = RedisCalls.infoMap(c);
            String name = str(info.get("name"));
            if (!config.consumer().equals(name) && num(info.get("pending")) == 0 && num(info.get("idle")) > forgetIdleMs) {
                call("XGROUP DELCONSUMER " + name, () -> jedis.sendCommand(Protocol.Command.XGROUP, "DELCONSUMER",
                        config.stream(), config.group(), name));
                LOG.info("forgot consumer {} of {} (nothing pending, idle {} ms)", name, config.group(),
                        num(info.get("idle")));
            }
        }
    }

    private int deadLetterOverDelivered() {
        List<Object> rows = list(call("XPENDING " + config.stream() + " (scan)", () -> jedis.sendCommand(
                Protocol.Command.XPENDING, config.stream(), config.group(), "-", "+", Integer.toString(SCAN))));
        List<DeadLetters.Letter> letters = new ArrayList<>();
        for (Object row : rows) {
            List<Object> r = list(row);
            String id = str(r.get(0));
            long deliveries = num(r.get(3));
            if (deliveries > config.maxDeliveries()) {
                String reason = "delivered " + deliveries + " times (limit " + config.maxDeliveries()
                        + "), last to consumer " + str(r.get(1));
                letters.add(new DeadLetters.Letter(id, body(id), reason));
            }
        }
        deadLetters.moveAndAck(config.stream(), config.group(), letters);
        return letters.size();
    }

    private Map<String, String> body(String id) {
        List<RawEntry> e = RedisCalls.entries(call("XRANGE " + config.stream() + " " + id,
                () -> jedis.sendCommand(Protocol.Command.XRANGE, config.stream(), id, id)));
        return e.isEmpty() ? null : e.get(0).fields();
    }

    /**
     * Claims up to a batch of entries idle longer than the claim time that other consumers hold;
     * returns how many of them were lost to trimming (acknowledged). This consumer's own idle
     * entries (its backlog after a database outage) are left alone: claiming them would raise
     * their delivery counts although nobody failed to process them (XAUTOCLAIM does that).
     */
    private int claimIdle(List<RawEntry> out) {
        List<Object> reply = list(call("claim idle entries of " + config.stream(), () -> jedis.eval(CLAIM_OTHERS,
                List.of(config.stream()), List.of(config.group(), config.consumer(), Long.toString(config.claimIdleMs()),
                        claimCursor, Integer.toString(SCAN), Integer.toString(config.batchSize())))));
        claimCursor = str(reply.get(0));
        out.addAll(RedisCalls.entries(reply.get(1)));
        int lost = (int) num(reply.get(2));
        if (lost > 0) {
            LOG.error("{} pending entries of {} were trimmed before they were processed: LOST", lost, config.stream());
        }
        if (!out.isEmpty()) {
            LOG.info("claimed {} entries idle over {} ms from dead consumers of {}", out.size(),
                    config.claimIdleMs(), config.group());
        }
        return lost;
    }
}
