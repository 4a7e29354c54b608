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
 *   <li>entries idle longer than {@link ConsumerConfig#claimIdleMs()} (their consumer is presumed
 *       dead) are claimed for this consumer with {@code XAUTOCLAIM} and returned for processing;</li>
 *   <li>claimed entries whose body was trimmed are acknowledged and counted as lost;</li>
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

    /** XAUTOCLAIM one batch; returns how many claimed entries were lost to trimming. */
    private int claimIdle(List<RawEntry> out) {
        List<Object> reply = list(call("XAUTOCLAIM " + config.stream(), () -> jedis.sendCommand(
                Protocol.Command.XAUTOCLAIM, config.stream(), config.group(), config.consumer(),
                Long.toString(config.claimIdleMs()), claimCursor, "COUNT", Integer.toString(config.batchSize()))));
        claimCursor = str(reply.get(0));
        List<RawEntry> entries = RedisCalls.entries(reply.get(1));
        List<String> trimmed = new ArrayList<>();
        for (RawEntry e : entries) {
            if (e.trimmed()) {
                trimmed.add(e.id());
            } else {
                out.add(e);
            }
        }
        if (!trimmed.isEmpty()) {
            // Redis 6.2 returns a trimmed entry with a nil body and leaves it pending.
            List<String> args = new ArrayList<>(List.of(config.stream(), config.group()));
            args.addAll(trimmed);
            call("XACK trimmed", () -> jedis.sendCommand(Protocol.Command.XACK, args.toArray(String[]::new)));
        }
        // Redis 7 removes trimmed entries from the PEL itself and lists their ids third.
        int deleted = reply.size() > 2 ? list(reply.get(2)).size() : 0;
        int lost = trimmed.size() + deleted;
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
