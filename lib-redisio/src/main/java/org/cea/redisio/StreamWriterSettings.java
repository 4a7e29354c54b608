package org.cea.redisio;

/**
 * Stream writer and publisher settings.
 *
 * @param stream             stream key, normally {@link StreamSchema#STREAM}
 * @param maxLen             {@code MAXLEN ~} memory safety cap in entries, &gt;= 1000. The worker
 *                           trims below what it has committed; reaching this cap means entries
 *                           not yet consumed may be trimmed, which is logged as data at risk
 * @param batchSize          entries per pipelined round trip, 1..100000
 * @param flushIntervalMs    a partial batch is sent after this many milliseconds, 1..10000
 * @param backoffInitialMs   first reconnect delay after Redis became unavailable, ms, &gt;= 1
 * @param backoffMaxMs       reconnect delay cap, ms, &gt;= backoffInitialMs
 * @param replayChunk        spooled entries replayed per {@link StreamPublisher#poll()}, 1..100000
 */
public record StreamWriterSettings(String stream, long maxLen, int batchSize, int flushIntervalMs,
                                   int backoffInitialMs, int backoffMaxMs, int replayChunk) {
    /**
     * Default cap: 1,000,000 entries, about 14 hours of facility traffic (15 frames/s) or
     * 110 seconds of a saturated 1 Mbit/s bus, roughly 100 MB of Redis memory.
     */
    public static final long DEFAULT_MAX_LEN = 1_000_000;
    /** Default batch: 256 entries. */
    public static final int DEFAULT_BATCH = 256;
    /** Default flush interval: 5 ms. */
    public static final int DEFAULT_FLUSH_MS = 5;

    /** Validates ranges. */
    public StreamWriterSettings {
        if (stream == null || stream.isBlank()) {
            throw new IllegalArgumentException("stream key must not be empty");
        }
        if (maxLen < 1000) {
            throw new IllegalArgumentException("maxLen must be >= 1000 entries, was " + maxLen);
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("batchSize must be 1..100000, was " + batchSize);
        }
        if (flushIntervalMs < 1 || flushIntervalMs > 10_000) {
            throw new IllegalArgumentException("flushIntervalMs must be 1..10000, was " + flushIntervalMs);
        }
        if (backoffInitialMs < 1 || backoffMaxMs < backoffInitialMs) {
            throw new IllegalArgumentException("backoff must be 1 <= initial <= max ms, was initial="
                    + backoffInitialMs + " max=" + backoffMaxMs);
        }
        if (replayChunk < 1 || replayChunk > 100_000) {
            throw new IllegalArgumentException("replayChunk must be 1..100000, was " + replayChunk);
        }
    }

    /** Defaults for {@code can:raw}: cap 1,000,000, batch 256, 5 ms, backoff 100 ms..2 s, replay 2000. */
    public static StreamWriterSettings defaults() {
        return new StreamWriterSettings(StreamSchema.STREAM, DEFAULT_MAX_LEN, DEFAULT_BATCH, DEFAULT_FLUSH_MS,
                100, 2_000, 2_000);
    }

    /** A copy with another batch size. */
    public StreamWriterSettings withBatchSize(int n) {
        return new StreamWriterSettings(stream, maxLen, n, flushIntervalMs, backoffInitialMs, backoffMaxMs, replayChunk);
    }

    /** A copy with another cap. */
    public StreamWriterSettings withMaxLen(long n) {
        return new StreamWriterSettings(stream, n, batchSize, flushIntervalMs, backoffInitialMs, backoffMaxMs, replayChunk);
    }

    /** A copy with another flush interval. */
    public StreamWriterSettings withFlushIntervalMs(int ms) {
        return new StreamWriterSettings(stream, maxLen, batchSize, ms, backoffInitialMs, backoffMaxMs, replayChunk);
    }

    /** A copy with another stream key. */
    public StreamWriterSettings withStream(String key) {
        return new StreamWriterSettings(key, maxLen, batchSize, flushIntervalMs, backoffInitialMs, backoffMaxMs, replayChunk);
    }
}
