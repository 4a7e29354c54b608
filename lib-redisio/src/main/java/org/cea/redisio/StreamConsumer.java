package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;
import static org.cea.redisio.RedisCalls.list;
import static org.cea.redisio.RedisCalls.num;
import static org.cea.redisio.RedisCalls.str;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads a stream through a consumer group, at least once: this consumer's own pending entries
 * first (left over from a crash, or not acknowledged because the database was down), then new
 * ones ({@code >}). Own pending entries are re-read without raising their delivery counts (a
 * re-read after a Redis error or an outage is no attempt to process them), so the count is the
 * first delivery plus one per claim from a consumer that died holding the entry; in batches of {@link ConsumerConfig#batchSize()} with
 * {@link ConsumerConfig#blockMs()} of blocking when nothing is new.
 *
 * <p>The caller owns the connection; its socket timeout must be above the block time (see
 * {@link #minSocketTimeoutMs}). Not thread-safe: one instance per reading thread.
 */
public final class StreamConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);
    private static final long SOCKET_MARGIN_MS = 2_000;
    /**
     * KEYS: stream; ARGV: group, consumer, exclusive start id, count. This consumer's pending
     * entries after the start id with their bodies (nil for a trimmed one). Unlike
     * {@code XREADGROUP ... 0} it leaves their delivery counts alone: re-reading after a Redis
     * error or a database outage is not an attempt to process them.
     */
    private static final String OWN_PENDING = String.join("\n",
            "local p = redis.call('XPENDING', KEYS[1], ARGV[1], '(' .. ARGV[3], '+', tonumber(ARGV[4]), ARGV[2])",
            "local out = {}",
            "for _, e in ipairs(p) do",
            "  local r = redis.call('XRANGE', KEYS[1], e[1], e[1])",
            "  if #r > 0 then out[#out + 1] = r[1] else out[#out + 1] = {e[1], false} end",
            "end",
            "return out");

    /** KEYS: stream; ARGV: exclusive start id, limit. The number of entries after the id, up to the limit. */
    private static final String COUNT_AFTER =
            "return #redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', tonumber(ARGV[2]))";
    /** Most entries {@link #lag()} counts in Redis when it cannot trust Redis's own lag. */
    public static final long LAG_COUNT_LIMIT = 100_000;

    private final UnifiedJedis jedis;
    private final ConsumerConfig config;
    /** What Redis's lag read when the group had delivered everything: entries it counts that will never be delivered. */
    private long lagExcess;
    /** Next id to read this consumer's pending entries after, or null when reading new entries. */
    private String pendingCursor = EntryIds.START;

    private StreamConsumer(UnifiedJedis jedis, ConsumerConfig config) {
        this.jedis = jedis;
        this.config = config;
    }

    /**
     * A consumer that starts with its own pending entries; creates the group when missing.
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public static StreamConsumer create(UnifiedJedis jedis, ConsumerConfig config) {
        StreamConsumer c = new StreamConsumer(jedis, config);
        c.ensureGroup();
        return c;
    }

    /** Socket timeout (ms) a connection used by this consumer needs: the block time plus a margin. */
    public static int minSocketTimeoutMs(ConsumerConfig config) {
        return (int) (config.blockMs() + SOCKET_MARGIN_MS);
    }

    /** The settings. */
    public ConsumerConfig config() {
        return config;
    }

    /**
     * Creates the group at id {@code 0} with MKSTREAM, so entries written before the worker's
     * first start are delivered too; an existing group is left as it is.
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public void ensureGroup() {
        try {
            call("XGROUP CREATE " + config.stream() + " " + config.group(), () -> jedis.sendCommand(
                    Protocol.Command.XGROUP, "CREATE", config.stream(), config.group(), EntryIds.START, "MKSTREAM"));
            LOG.info("created consumer group {} on {} at {}", config.group(), config.stream(), EntryIds.START);
        } catch (RedisIoException e) {
            if (e instanceof RedisUnavailableException || e.getMessage() == null || !e.getMessage().contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /**
     * The next batch: pending entries of this consumer while there are any since the last
     * {@link #rewind()}, then new entries (blocking up to the block time). An empty list means
     * nothing arrived within the block time. Entries whose body was trimmed come back with null
     * fields.
     *
     * @throws RedisUnavailableException when Redis cannot be reached (call {@link #rewind()} after reconnecting)
     */
    public List<RawEntry> next() {
        if (pendingCursor != null) {
            List<RawEntry> pending = readOwnPending(pendingCursor);
            if (!pending.isEmpty()) {
                pendingCursor = pending.get(pending.size() - 1).id();
                return pending;
            }
            pendingCursor = null;
        }
        return read(EntryIds.UNDELIVERED, config.blockMs());
    }

    /**
     * New entries already in the stream, without blocking ({@code XREADGROUP >} without BLOCK);
     * empty when there are none. Leaves the pending-entries cursor of {@link #next()} as it is.
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public List<RawEntry> pollNew() {
        return read(EntryIds.UNDELIVERED, 0);
    }

    /**
     * New entries ({@code XREADGROUP >}), waiting up to {@code waitMs} for the first when none are
     * there yet: returns as soon as any arrive, with at most {@link ConsumerConfig#batchSize()}.
     * Empty when none arrived in time. Leaves the pending-entries cursor of {@link #next()} as it is.
     *
     * @param waitMs 1 .. {@link ConsumerConfig#blockMs()} (the connection's socket timeout is sized for that)
     * @throws IllegalArgumentException when {@code waitMs} is outside that range
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public List<RawEntry> pollNew(long waitMs) {
        if (waitMs < 1 || waitMs > config.blockMs()) {
            throw new IllegalArgumentException("waitMs must be 1.." + config.blockMs() + " (the block time), was " + waitMs);
        }
        return read(EntryIds.UNDELIVERED, (int) waitMs);
    }

    /** True while {@link #next()} is still returning this consumer's pending entries. */
    public boolean readingPending() {
        return pendingCursor != null;
    }

    /** Makes the next reads go through this consumer's pending entries again from the start. */
    public void rewind() {
        pendingCursor = EntryIds.START;
    }

    /** Makes the next reads return new entries only, leaving the pending ones for a later {@link #rewind()}. */
    public void skipPending() {
        pendingCursor = null;
    }

    private List<RawEntry> readOwnPending(String after) {
        Object reply;
        try {
            reply = call("pending entries of " + config.consumer() + " in " + config.stream() + " after " + after,
                    () -> jedis.eval(OWN_PENDING, List.of(config.stream()),
                            List.of(config.group(), config.consumer(), after, Integer.toString(config.batchSize()))));
        } catch (RedisIoException e) {
            if (!(e instanceof RedisUnavailableException) && e.getMessage() != null && e.getMessage().contains("NOGROUP")) {
                LOG.warn("consumer group {} on {} is gone (Redis lost its data?); recreating it", config.group(),
                        config.stream());
                ensureGroup();
                return List.of();
            }
            throw e;
        }
        return RedisCalls.entries(reply);
    }

    /** {@code blockMs} 0: no BLOCK argument (Redis reads {@code BLOCK 0} as "wait for ever"). */
    private List<RawEntry> read(String from, int blockMs) {
        List<String> args = new ArrayList<>(List.of("GROUP", config.group(), config.consumer(),
                "COUNT", Integer.toString(config.batchSize())));
        if (blockMs > 0) {
            args.add("BLOCK");
            args.add(Integer.toString(blockMs));
        }
        args.addAll(List.of("STREAMS", config.stream(), from));
        Object reply;
        try {
            reply = call("XREADGROUP " + config.stream() + " " + from,
                    () -> jedis.sendCommand(Protocol.Command.XREADGROUP, args.toArray(String[]::new)));
        } catch (RedisIoException e) {
            if (!(e instanceof RedisUnavailableException) && RedisCalls.isNoGroup(e)) {
                LOG.warn("consumer group {} on {} is gone (Redis lost its data?); recreating it", config.group(),
                        config.stream());
                ensureGroup();
                return List.of();
            }
            throw e;
        }
        List<Object> streams = list(reply);
        if (streams.isEmpty()) {
            return List.of();
        }
        return RedisCalls.entries(list(streams.get(0)).get(1));
    }

    /**
     * Acknowledges entries (XACK); unknown or already acknowledged ids are ignored by Redis.
     *
     * @return how many were pending and are now acknowledged
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public long ack(Collection<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        List<String> args = new ArrayList<>(ids.size() + 2);
        args.add(config.stream());
        args.add(config.group());
        args.addAll(ids);
        return call("XACK " + config.stream() + " (" + ids.size() + " ids)",
                () -> num(jedis.sendCommand(Protocol.Command.XACK, args.toArray(String[]::new))));
    }

    /**
     * Entries delivered to the group's consumers and not acknowledged (all consumers).
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public long pendingCount() {
        List<Object> summary = list(call("XPENDING " + config.stream(),
                () -> jedis.sendCommand(Protocol.Command.XPENDING, config.stream(), config.group())));
        return summary.isEmpty() ? 0 : num(summary.get(0));
    }

    /**
     * Entries in the stream not yet delivered to the group; -1 when Redis cannot tell. Redis's own
     * {@code lag} (entries added minus entries read by the group) keeps counting entries the
     * writer's cap trimmed before anyone read them, for good: it read 133 k with nothing left to
     * deliver. So: 0 when the group has delivered the stream's last id (and what Redis's lag says
     * then is remembered as its excess); every entry when the group's last delivered id lies before
     * the stream's first; else Redis's lag less that excess when it fits in what the stream can
     * still hold undelivered (its length less the pending entries), else counted in Redis (at most
     * {@link #LAG_COUNT_LIMIT}).
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public long lag() {
        Map<String, Object> g = group();
        if (g == null) {
            return -1;
        }
        Map<String, Object> stream = RedisCalls.infoMap(call("XINFO STREAM " + config.stream(),
                () -> jedis.sendCommand(Protocol.Command.XINFO, "STREAM", config.stream())));
        String delivered = str(g.get("last-delivered-id"));
        String generated = str(stream.get("last-generated-id"));
        String first = str(stream.get("recorded-first-entry-id"));
        long length = num(stream.get("length"));
        Object redisLag = g.get("lag");
        if (delivered == null || generated == null) {
            return -1;
        }
        if (EntryIds.compare(delivered, generated) >= 0) {
            lagExcess = redisLag == null ? 0 : num(redisLag);
            return 0;
        }
        if (length == 0) {
            return 0;
        }
        if (first != null && EntryIds.compare(delivered, first) < 0) {
            return length;
        }
        long bound = Math.max(0, length - num(g.get("pending")));
        long estimate = redisLag == null ? -1 : num(redisLag) - lagExcess;
        if (estimate >= 0 && estimate <= bound) {
            return estimate;
        }
        return countAfter(delivered);
    }

    /** Entries after {@code id}, counted by Redis (only the number crosses the wire), at most {@link #LAG_COUNT_LIMIT}. */
    private long countAfter(String id) {
        return call("EVAL (count after " + id + ")", () -> num(jedis.sendCommand(Protocol.Command.EVAL, COUNT_AFTER,
                "1", config.stream(), id, Long.toString(LAG_COUNT_LIMIT))));
    }

    /** This group's XINFO GROUPS entry, or null when the group does not exist. */
    private Map<String, Object> group() {
        for (Map<String, Object> g : groups()) {
            if (config.group().equals(str(g.get("name")))) {
                return g;
            }
        }
        return null;
    }

    /**
     * Entries that were trimmed from the head of the stream (the writer's MAXLEN memory cap)
     * before this group was delivered them: lost. Computed as entries added to the stream minus
     * entries read by the group minus entries still in the stream, when the stream's first entry
     * lies beyond the group's last delivered id; 0 otherwise. The count is visible only until the
     * group reads past the gap, so call it periodically and report increases.
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public long trimmedUndelivered() {
        Map<String, Object> stream = RedisCalls.infoMap(call("XINFO STREAM " + config.stream(),
                () -> jedis.sendCommand(Protocol.Command.XINFO, "STREAM", config.stream())));
        String first = str(stream.get("recorded-first-entry-id"));
        Object added = stream.get("entries-added");
        if (first == null || added == null) {
            return 0;
        }
        for (Map<String, Object> g : groups()) {
            if (!config.group().equals(str(g.get("name")))) {
                continue;
            }
            if (EntryIds.compare(first, str(g.get("last-delivered-id"))) <= 0) {
                return 0;
            }
            Object read = g.get("entries-read");
            long lost = num(added) - (read == null ? 0 : num(read)) - num(stream.get("length"));
            return Math.max(0, lost);
        }
        return 0;
    }

    /** XINFO GROUPS of the stream. */
    List<Map<String, Object>> groups() {
        List<Object> reply = list(call("XINFO GROUPS " + config.stream(),
                () -> jedis.sendCommand(Protocol.Command.XINFO, "GROUPS", config.stream())));
        List<Map<String, Object>> out = new ArrayList<>(reply.size());
        for (Object g : reply) {
            out.add(RedisCalls.infoMap(g));
        }
        return out;
    }

    /**
     * Trims the stream ({@code XTRIM MINID}) below the oldest entry any group still needs: the
     * oldest pending entry of each group, or for a group with nothing pending its last delivered
     * entry. Everything below that was acknowledged by every group (after commit or dead-letter),
     * so nothing unprocessed is dropped. Does nothing when the stream has no group.
     *
     * @return entries removed
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public long trimAcknowledged() {
        String minId = null;
        for (Map<String, Object> g : groups()) {
            String name = str(g.get("name"));
            String keep = num(g.get("pending")) > 0 ? oldestPending(name) : str(g.get("last-delivered-id"));
            if (keep == null) {
                return 0;
            }
            if (minId == null || EntryIds.compare(keep, minId) < 0) {
                minId = keep;
            }
        }
        if (minId == null || EntryIds.START.equals(minId)) {
            return 0;
        }
        String floor = minId;
        long removed = call("XTRIM " + config.stream() + " MINID " + floor,
                () -> num(jedis.sendCommand(Protocol.Command.XTRIM, config.stream(), "MINID", floor)));
        if (removed > 0) {
            LOG.debug("trimmed {} acknowledged entries below {} from {}", removed, floor, config.stream());
        }
        return removed;
    }

    private String oldestPending(String group) {
        List<Object> summary = list(call("XPENDING " + config.stream() + " " + group,
                () -> jedis.sendCommand(Protocol.Command.XPENDING, config.stream(), group)));
        return summary.size() > 1 ? str(summary.get(1)) : null;
    }

    @Override
    public String toString() {
        return "StreamConsumer[" + config.stream() + " group=" + config.group() + " consumer=" + config.consumer() + "]";
    }
}
