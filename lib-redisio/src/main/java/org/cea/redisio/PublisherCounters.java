package org.cea.redisio;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters of one {@link StreamPublisher}: written by its caller thread only, read from any
 * thread through {@link #snapshot()} (volatile fields, so a reader sees each value, not a
 * consistent set). Also warns, at most once a minute, when the stream is at its MAXLEN cap.
 */
final class PublisherCounters {
    /** The publisher's logger: these lines were the publisher's before the split, and log filters name it. */
    private static final Logger LOG = LoggerFactory.getLogger(StreamPublisher.class);
    /** At most one cap warning per minute. */
    static final long CAP_WARN_INTERVAL_NS = 60_000_000_000L;

    volatile long added;
    volatile long written;
    volatile long duplicates;
    volatile long spooled;
    volatile long replayed;
    volatile long lost;
    volatile long streamLength;
    volatile long capHits;
    volatile long spoolDepth;
    volatile long spoolBad;
    volatile long refused;
    volatile boolean connected;
    volatile String lastError;
    private long lastCapWarnNs;

    /**
     * Counts the outcome of one batch; a stream within 1 % of {@code settings.maxLen()} is a cap hit.
     *
     * @param nowNs monotonic clock, nanoseconds (cap warning pacing)
     */
    void record(StreamWriter.BatchResult r, StreamWriterSettings settings, long nowNs) {
        written += r.written();
        duplicates += r.duplicates();
        streamLength = r.streamLength();
        if (r.streamLength() >= settings.maxLen() - settings.maxLen() / 100) {
            capHits++;
            if (capHits == 1 || nowNs - lastCapWarnNs >= CAP_WARN_INTERVAL_NS) {
                lastCapWarnNs = nowNs;
                LOG.warn("DATA AT RISK: stream {} holds {} entries, at its MAXLEN cap of {}: entries the worker has not"
                        + " consumed yet are being trimmed (is can-worker running?)", settings.stream(),
                        r.streamLength(), settings.maxLen());
            }
        }
    }

    /** A snapshot of the counters; safe from any thread. */
    StreamPublisher.Stats snapshot() {
        return new StreamPublisher.Stats(added, written, duplicates, spooled, replayed, spoolDepth, lost, connected,
                streamLength, capHits, lastError, spoolBad, refused);
    }
}
