package org.cea.tools.worker;

import java.util.Map;
import org.cea.redisio.WorkerStatus;

/** The worker loop's counters; written by the loop thread only, read through {@link #view()}. */
final class WorkerCounters {
    volatile long processed;
    volatile long deadLettered;
    volatile long lostEntries;
    volatile boolean dbDown;
    volatile String lastError = "";
    private final long[] phaseNanos = new long[4];
    private long batches;
    private long lastProcessed;
    private long lastNanos = -1;

    /**
     * A copy of the counters.
     *
     * @param processed    entries written and acknowledged
     * @param deadLettered entries dead-lettered
     * @param lostEntries  entries trimmed before processing
     * @param dbDown       the database is currently unavailable
     */
    record View(long processed, long deadLettered, long lostEntries, boolean dbDown) {
    }

    /** Adds one batch's phase durations (ns): prepare, database, live state, acknowledge. */
    void timed(long prepare, long db, long live, long ack) {
        phaseNanos[0] += prepare;
        phaseNanos[1] += db;
        phaseNanos[2] += live;
        phaseNanos[3] += ack;
        batches++;
    }

    /** Mean phase durations per batch since the last call, as {@code "p/d/l/a (n batches)"} in ms; resets them. */
    String takeTimings() {
        long n = Math.max(1, batches);
        String out = String.format(java.util.Locale.ROOT, "%.2f/%.2f/%.2f/%.2f (%d batches)", phaseNanos[0] / 1e6 / n,
                phaseNanos[1] / 1e6 / n, phaseNanos[2] / 1e6 / n, phaseNanos[3] / 1e6 / n, batches);
        java.util.Arrays.fill(phaseNanos, 0);
        batches = 0;
        return out;
    }

    View view() {
        return new View(processed, deadLettered, lostEntries, dbDown);
    }

    /** A status snapshot; the rate is computed over the time since the previous snapshot. */
    WorkerStatus.Snapshot snapshot(String consumer, long pending, long lag, long invalid, Map<Integer, Long> lostFrames,
                                   long wallMillis, long nanos) {
        long p = processed;
        double rate = lastNanos < 0 || nanos == lastNanos ? 0 : (p - lastProcessed) * 1e9 / (nanos - lastNanos);
        lastProcessed = p;
        lastNanos = nanos;
        return new WorkerStatus.Snapshot(consumer, p, Math.max(0, rate), pending, lag, deadLettered, invalid, lostFrames,
                lostEntries, dbDown ? "down" : "ok", lastError, wallMillis);
    }
}
