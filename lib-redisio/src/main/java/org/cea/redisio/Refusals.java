package org.cea.redisio;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entries Redis refused (out of memory, MISCONF) to a {@link StreamPublisher}. Holds the window of
 * replies from the first batch with a refused entry on, until every batch sent before the refusal
 * was noticed has answered, and splits its refused entries into those that may be sent again under
 * their own ids and those an accepted entry has passed. Also whether Redis is still refusing (no
 * batch accepted since), and the paced error log.
 */
final class Refusals {
    /** The publisher's logger: these lines were the publisher's before the split, and log filters name it. */
    private static final Logger LOG = LoggerFactory.getLogger(StreamPublisher.class);

    /**
     * The refused entries of a window.
     *
     * @param keep   entries no accepted entry has passed: re-sent under their own ids
     * @param behind entries below the stream's top now: re-sent under new ids, after everything else
     * @param first  Redis's first refusal message
     */
    record Split(List<FrameEntry> keep, List<FrameEntry> behind, String first) { }

    private final List<StreamWriter.BatchResult> results = new ArrayList<>();
    private final PublisherCounters counters;
    private final LongSupplier nanoTime;
    /** Redis refused writes and has not accepted a batch since: keep backing off. */
    private boolean refusing;
    private long lastLogNs;

    Refusals(PublisherCounters counters, LongSupplier nanoTime) {
        this.counters = counters;
        this.nanoTime = nanoTime;
    }

    /** Redis refused writes and has not accepted a batch since. */
    boolean refusing() {
        return refusing;
    }

    /** Redis accepted entries of a batch (outside a window): refusing no more. */
    void accepted(StreamWriter.BatchResult r) {
        if (r.written() > 0) {
            refusing = false;
        }
    }

    /** No window is open. */
    boolean isEmpty() {
        return results.isEmpty();
    }

    /** Takes {@code r} into the window when it refused entries or a window is open; else {@link #accepted}. */
    void received(StreamWriter.BatchResult r) {
        if (!r.refused().isEmpty() || !results.isEmpty()) {
            results.add(r);
        } else {
            accepted(r);
        }
    }

    /**
     * Closes the window. A refused entry is behind when a later entry of its batch, or any entry
     * of a later batch of the window, is in the stream: its id would be taken for a duplicate.
     */
    Split take() {
        List<FrameEntry> keep = new ArrayList<>();
        List<FrameEntry> behind = new ArrayList<>();
        String first = null;
        for (int k = 0; k < results.size(); k++) {
            StreamWriter.BatchResult r = results.get(k);
            boolean passed = false;
            for (int j = k + 1; j < results.size(); j++) {
                passed |= results.get(j).anyInStream();
            }
            int cut = passed ? r.refused().size() : r.refusedBehind();
            behind.addAll(r.refused().subList(0, cut));
            keep.addAll(r.refused().subList(cut, r.refused().size()));
            first = first == null ? r.refusal() : first;
        }
        results.clear();
        return new Split(keep, behind, first);
    }

    /**
     * Counts {@code n} refused entries (nothing when 0), marks Redis as refusing, and logs at most
     * every ten seconds.
     *
     * @param renumbered  how many of them go under new ids
     * @param first       Redis's first refusal message
     * @param nextDelayMs the backoff before the next attempt, for the log
     */
    void report(int n, int renumbered, String first, long nextDelayMs) {
        if (n == 0) {
            return;
        }
        counters.refused += n;
        refusing = true;
        counters.lastError = first;
        long now = nanoTime.getAsLong();
        if (lastLogNs == 0 || now - lastLogNs >= PublisherCounters.CAP_WARN_INTERVAL_NS / 6) {
            lastLogNs = now;
            LOG.error("Redis refused {} entries ({} refused since start; {} under new ids, as accepted entries had"
                    + " passed them): spooled, sending again after a backoff of {} ms. First refusal: {}", n,
                    counters.refused, renumbered, nextDelayMs, first);
        }
    }
}
