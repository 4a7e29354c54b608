package org.cea.tools.worker;

import java.util.function.LongSupplier;

/** A periodic deadline on a monotonic clock: {@link #take()} is true once per period. Not thread-safe. */
final class Interval {
    private final long periodNanos;
    private final LongSupplier nanoClock;
    private long nextNanos;

    /** First due one period from now; {@code periodMs} &gt; 0. */
    Interval(long periodMs, LongSupplier nanoClock) {
        if (periodMs <= 0) {
            throw new IllegalArgumentException("period must be > 0 ms, was " + periodMs);
        }
        this.periodNanos = periodMs * 1_000_000L;
        this.nanoClock = nanoClock;
        this.nextNanos = nanoClock.getAsLong() + periodNanos;
    }

    /** True (and rearms) when the period has elapsed. */
    boolean take() {
        long now = nanoClock.getAsLong();
        if (now - nextNanos < 0) {
            return false;
        }
        nextNanos = now + periodNanos;
        return true;
    }
}
