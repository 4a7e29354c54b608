package org.cea.tools.worker;

import java.util.function.LongSupplier;

/**
 * Capped exponential backoff on a monotonic clock: after each failure the next attempt is due
 * {@code initialMs}, then twice that, up to {@code maxMs}; a success resets it. Not thread-safe.
 */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final LongSupplier nanoClock;
    private long delayMs;
    private long dueAtNanos;
    private int failures;

    /**
     * @param initialMs first delay, ms &gt; 0
     * @param maxMs     cap, ms &gt;= initialMs
     * @param nanoClock monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    Backoff(long initialMs, long maxMs, LongSupplier nanoClock) {
        if (initialMs <= 0 || maxMs < initialMs) {
            throw new IllegalArgumentException("backoff needs 0 < initialMs <= maxMs, was " + initialMs + ".." + maxMs);
        }
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.nanoClock = nanoClock;
        this.dueAtNanos = nanoClock.getAsLong();
    }

    /** Records a failure and returns the delay (ms) until the next attempt. */
    long failed() {
        delayMs = failures == 0 ? initialMs : Math.min(maxMs, delayMs * 2);
        failures++;
        dueAtNanos = nanoClock.getAsLong() + delayMs * 1_000_000L;
        return delayMs;
    }

    /** Records a success: the next failure starts from {@code initialMs} again. */
    void succeeded() {
        failures = 0;
        delayMs = 0;
        dueAtNanos = nanoClock.getAsLong();
    }

    /** True when the next attempt may be made. */
    boolean due() {
        return nanoClock.getAsLong() - dueAtNanos >= 0;
    }

    /** Milliseconds until the next attempt is due, 0 when due. */
    long remainingMs() {
        long r = dueAtNanos - nanoClock.getAsLong();
        return r <= 0 ? 0 : (r + 999_999) / 1_000_000;
    }

    /** Consecutive failures since the last success. */
    int failures() {
        return failures;
    }
}
