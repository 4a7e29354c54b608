package org.cea.automation;

/**
 * Capped exponential backoff: {@code initialMs}, doubled after each failure up to {@code maxMs};
 * {@link #succeeded()} resets it. Not thread-safe.
 */
public final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private long next;

    /**
     * @param initialMs first delay, &gt; 0
     * @param maxMs     cap, &gt;= initialMs
     */
    public Backoff(long initialMs, long maxMs) {
        if (initialMs <= 0 || maxMs < initialMs) {
            throw new IllegalArgumentException("backoff needs 0 < initialMs <= maxMs, was " + initialMs + ".." + maxMs);
        }
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.next = initialMs;
    }

    /** The delay before the next attempt after a failure, ms. */
    public long failed() {
        long d = next;
        next = Math.min(maxMs, next * 2);
        return d;
    }

    /** A success: the next failure waits {@code initialMs} again. */
    public void succeeded() {
        next = initialMs;
    }
}
