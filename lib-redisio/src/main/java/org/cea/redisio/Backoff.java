package org.cea.redisio;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Capped exponential backoff on a monotonic clock: after the first failure the next attempt is due
 * {@code initialMs} later, after each further one twice the previous delay, at most {@code maxMs};
 * a success resets it. The one retry pacing of the pipeline (stream publisher, worker, scanner's
 * database path, can-api's live subscription, cea-automation), kept here because lib-redisio is the
 * lowest module all of them reach. Not thread-safe: one owner thread.
 */
public final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final LongSupplier nanoClock;
    private long delayMs;
    private long dueAtNanos;
    private int failures;

    /**
     * @param initialMs first delay, ms, &gt; 0
     * @param maxMs     cap, ms, &gt;= initialMs
     * @param nanoClock monotonic clock in nanoseconds ({@code System::nanoTime})
     * @throws IllegalArgumentException when the range is empty or not positive
     */
    public Backoff(long initialMs, long maxMs, LongSupplier nanoClock) {
        if (initialMs <= 0 || maxMs < initialMs) {
            throw new IllegalArgumentException("backoff needs 0 < initialMs <= maxMs, was " + initialMs + ".." + maxMs);
        }
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.dueAtNanos = nanoClock.getAsLong();
    }

    /**
     * On {@link System#nanoTime()}.
     *
     * @param initialMs first delay, ms, &gt; 0
     * @param maxMs     cap, ms, &gt;= initialMs
     * @throws IllegalArgumentException when the range is empty or not positive
     */
    public Backoff(long initialMs, long maxMs) {
        this(initialMs, maxMs, System::nanoTime);
    }

    /**
     * Records a failure: the next attempt is due after the returned delay, from now.
     *
     * @return the delay until the next attempt, ms, in {@code initialMs..maxMs}
     */
    public long failed() {
        delayMs = nextDelayMs();
        failures++;
        dueAtNanos = nanoClock.getAsLong() + delayMs * 1_000_000L;
        return delayMs;
    }

    /**
     * The delay the next {@link #failed()} will return, ms, without recording anything (for a
     * caller that gives up when that wait would pass its own deadline, and for log lines).
     */
    public long nextDelayMs() {
        if (failures == 0) {
            return initialMs;
        }
        // halving the cap instead of doubling the delay: no overflow for a cap near Long.MAX_VALUE
        return delayMs > maxMs / 2 ? maxMs : delayMs * 2;
    }

    /** Records a success: due now, and the next failure waits {@code initialMs} again. */
    public void succeeded() {
        failures = 0;
        delayMs = 0;
        dueAtNanos = nanoClock.getAsLong();
    }

    /** True when the next attempt may be made. */
    public boolean due() {
        return nanoClock.getAsLong() - dueAtNanos >= 0;
    }

    /** Nanoseconds until the next attempt is due, 0 when due. */
    public long remainingNanos() {
        long r = dueAtNanos - nanoClock.getAsLong();
        return Math.max(0, r);
    }

    /** Milliseconds until the next attempt is due, rounded up, 0 when due. */
    public long remainingMs() {
        return (remainingNanos() + 999_999) / 1_000_000;
    }

    /** Consecutive failures since the last success (or since construction). */
    public int failures() {
        return failures;
    }
}
