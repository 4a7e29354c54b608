package org.cea.tools.worker;

import org.cea.redisio.StreamConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entries the writer's MAXLEN cap trimmed before this group read them: loss, counted in
 * {@code lost_entries} and reported loudly, once per entry. Used by the loop thread only.
 */
final class CapLoss {
    private static final Logger LOG = LoggerFactory.getLogger(CapLoss.class);

    private final String stream;
    private final WorkerCounters counters;
    private long seen;

    CapLoss(String stream, WorkerCounters counters) {
        this.stream = stream;
        this.counters = counters;
    }

    /** Reads the group's trimmed-undelivered count (one Redis call) and counts what is new since the last check. */
    void check(StreamConsumer consumer) {
        long trimmed = consumer.trimmedUndelivered();
        if (trimmed > seen) {
            long more = trimmed - seen;
            counters.lostEntries += more;
            counters.lastError = trimmed + " entries trimmed from " + stream
                    + " by its memory cap before they were read: LOST";
            LOG.error("{} more entries were trimmed from {} by its memory cap before this worker read them: LOST "
                    + "(the worker is too slow or was down too long; raise the scanner's --maxlen)", more, stream);
        }
        seen = trimmed;
    }
}
