package org.cea.tools.worker;

import java.util.function.LongSupplier;
import org.cea.redisio.Backoff;
import org.cea.redisio.StreamConsumer;
import org.cea.tsdb.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker while the database is down: it holds the first unwritten batch, leaves everything
 * unacknowledged (the consumer skips its pending entries, so only new ones are read for their
 * live state) and retries the held batch with capped backoff; when it is written, the consumer
 * rewinds and re-reads its pending entries (idempotent writes). Used by the loop thread only.
 */
final class DbOutage {
    private static final Logger LOG = LoggerFactory.getLogger(DbOutage.class);

    private final StreamConsumer consumer;
    private final BatchCommitter committer;
    private final WorkerCounters counters;
    private final Backoff backoff;
    private BatchPreparer.Prepared held;

    DbOutage(WorkerSettings settings, StreamConsumer consumer, BatchCommitter committer, WorkerCounters counters,
             LongSupplier nanoClock) {
        this.consumer = consumer;
        this.committer = committer;
        this.counters = counters;
        this.backoff = new Backoff(settings.retryInitialMs(), settings.retryMaxMs(), nanoClock);
    }

    /** True while a batch is held (the database is down). */
    boolean active() {
        return held != null;
    }

    /** Holds {@code p}, which the database could not take. */
    void enter(BatchPreparer.Prepared p, StoreUnavailableException e) {
        held = p;
        counters.dbDown = true;
        counters.lastError = e.getMessage();
        long delay = backoff.failed();
        consumer.skipPending();
        LOG.warn("database unavailable; holding {} entries unacknowledged, live state continues, retry in {} ms: {}",
                p.items().size(), delay, e.getMessage());
    }

    /** Writes the held batch when the backoff says it is time; on success the outage ends. */
    void retryIfDue() {
        if (held == null || !backoff.due()) {
            return;
        }
        try {
            committer.commit(held, null);
        } catch (StoreUnavailableException e) {
            long delay = backoff.failed();
            counters.lastError = e.getMessage();
            LOG.warn("database still unavailable (attempt {}), retry in {} ms: {}", backoff.failures(), delay,
                    e.getMessage());
            return;
        }
        consumer.ack(held.itemIds());
        counters.processed += held.items().size();
        LOG.info("database is back after {} attempts; catching up on pending entries", backoff.failures());
        held = null;
        counters.dbDown = false;
        backoff.succeeded();
        consumer.rewind();
    }
}
