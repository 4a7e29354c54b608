package org.cea.redisio;

import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StreamPublisher}'s side of its {@link Spool}: appends that count what was spooled and
 * what was lost, and the replay's reading and consuming, keeping the depth and damage counters
 * current. Errors are logged and counted here; the publisher goes on.
 */
final class PublisherSpool {
    /** The publisher's logger: these lines were the publisher's before the split, and log filters name it. */
    private static final Logger LOG = LoggerFactory.getLogger(StreamPublisher.class);

    private final Spool spool;
    private final PublisherCounters counters;

    PublisherSpool(Spool spool, PublisherCounters counters) {
        this.spool = spool;
        this.counters = counters;
        counters.spoolDepth = spool.depth();
    }

    boolean isEmpty() {
        return spool.isEmpty();
    }

    /** Entries waiting in the spool. */
    long depth() {
        return spool.depth();
    }

    /** The spool file, for messages. */
    Path file() {
        return spool.file();
    }

    /** Appends {@code entries} (nothing when empty); a failure counts them as lost and logs DATA LOST. */
    void append(List<FrameEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            spool.append(entries);
            counters.spooled += entries.size();
        } catch (SpoolException e) {
            counters.lost += entries.size();
            counters.lastError = e.getMessage();
            LOG.error("DATA LOST: {} frames could not be spooled while Redis is unavailable: {}", entries.size(),
                    e.getMessage(), e);
        } finally {
            counters.spoolDepth = spool.depth();
        }
    }

    /** The next chunk of at most {@code max} entries; empty when there is none or it cannot be read (logged). */
    List<FrameEntry> peek(int max) {
        List<FrameEntry> chunk;
        try {
            chunk = spool.peek(max);
        } catch (SpoolException e) {
            counters.lastError = e.getMessage();
            LOG.error("spool replay stopped: {}", e.getMessage(), e);
            return List.of();
        } finally {
            counters.spoolBad = spool.corruptLines();
        }
        if (chunk.isEmpty()) {
            counters.spoolDepth = spool.depth();
        }
        return chunk;
    }

    /**
     * Drops the first {@code n} entries, which are in the stream now.
     *
     * @throws SpoolException the spool could not be rewritten
     */
    void consume(int n) {
        spool.consume(n);
        counters.spoolDepth = spool.depth();
    }
}
