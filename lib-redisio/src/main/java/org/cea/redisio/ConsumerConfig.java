package org.cea.redisio;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Consumer-group settings for {@link StreamConsumer} and {@link StreamJanitor}.
 *
 * @param stream         stream key, e.g. {@code can:raw}
 * @param group          consumer group, e.g. {@code can-worker}
 * @param consumer       this consumer's name, unique among live consumers (default host-pid)
 * @param batchSize      entries per read (XREADGROUP COUNT), 1..100000
 * @param blockMs        how long a read of new entries waits (XREADGROUP BLOCK), 1..60000 ms; the
 *                       connection's socket timeout must be above it
 * @param claimIdleMs    an entry pending this long (ms, &gt;= 1000) with another consumer is taken
 *                       over by the janitor (its consumer is presumed dead)
 * @param maxDeliveries  an entry delivered more than this many times (1..1000) is dead-lettered
 */
public record ConsumerConfig(String stream, String group, String consumer, int batchSize, int blockMs,
                             long claimIdleMs, int maxDeliveries) {
    /** The worker's consumer group. */
    public static final String DEFAULT_GROUP = "can-worker";
    /**
     * Default COUNT. 1000 rather than 500: a worker that has fallen behind commits fewer, larger
     * transactions (scripts/bench-worker.sh, 2026-11-26: about 30 k frames/s at 500, 34-37 k at
     * 1000, with peak RSS still 119 MB; 2000 gave 38 k but 172 MB).
     */
    public static final int DEFAULT_BATCH = 1_000;
    /** Default BLOCK, ms. */
    public static final int DEFAULT_BLOCK_MS = 1_000;
    /** Default idle time before a dead consumer's entries are claimed, ms. */
    public static final long DEFAULT_CLAIM_IDLE_MS = 15_000;
    /** Default delivery limit before dead-lettering. */
    public static final int DEFAULT_MAX_DELIVERIES = 10;

    /** Validates every field; messages name the field and its limit. */
    public ConsumerConfig {
        requireName("stream", stream);
        requireName("group", group);
        requireName("consumer", consumer);
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("batchSize must be 1..100000, was " + batchSize);
        }
        if (blockMs < 1 || blockMs > 60_000) {
            throw new IllegalArgumentException("blockMs must be 1..60000, was " + blockMs);
        }
        if (claimIdleMs < 1_000) {
            throw new IllegalArgumentException("claimIdleMs must be >= 1000, was " + claimIdleMs);
        }
        if (maxDeliveries < 1 || maxDeliveries > 1_000) {
            throw new IllegalArgumentException("maxDeliveries must be 1..1000, was " + maxDeliveries);
        }
    }

    /** Defaults on {@code can:raw}, group {@code can-worker}, with the given consumer name. */
    public static ConsumerConfig defaults(String consumer) {
        return new ConsumerConfig(StreamSchema.STREAM, DEFAULT_GROUP, consumer, DEFAULT_BATCH, DEFAULT_BLOCK_MS,
                DEFAULT_CLAIM_IDLE_MS, DEFAULT_MAX_DELIVERIES);
    }

    /** {@code <hostname>-<pid>}: unique per running process, so a restarted worker is a new consumer. */
    public static String defaultConsumerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /** A copy with another consumer name. */
    public ConsumerConfig withConsumer(String name) {
        return new ConsumerConfig(stream, group, name, batchSize, blockMs, claimIdleMs, maxDeliveries);
    }

    /** A copy with another group. */
    public ConsumerConfig withGroup(String name) {
        return new ConsumerConfig(stream, name, consumer, batchSize, blockMs, claimIdleMs, maxDeliveries);
    }

    /** A copy with another batch size. */
    public ConsumerConfig withBatchSize(int n) {
        return new ConsumerConfig(stream, group, consumer, n, blockMs, claimIdleMs, maxDeliveries);
    }

    /** A copy with another block time, ms. */
    public ConsumerConfig withBlockMs(int ms) {
        return new ConsumerConfig(stream, group, consumer, batchSize, ms, claimIdleMs, maxDeliveries);
    }

    /** A copy with another claim idle time, ms. */
    public ConsumerConfig withClaimIdleMs(long ms) {
        return new ConsumerConfig(stream, group, consumer, batchSize, blockMs, ms, maxDeliveries);
    }

    /** A copy with another delivery limit. */
    public ConsumerConfig withMaxDeliveries(int n) {
        return new ConsumerConfig(stream, group, consumer, batchSize, blockMs, claimIdleMs, n);
    }

    private static void requireName(String what, String v) {
        if (v == null || v.isBlank() || v.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(what + " must be a non-empty name without spaces, was '" + v + "'");
        }
    }
}
