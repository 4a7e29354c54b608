package org.cea.redisio;

import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The two clocks a frame's way needs, injectable so that tests control time: wall-clock Unix
 * microseconds for the data ({@code ts}, entry ids), which NTP may step, and a monotonic
 * nanosecond clock for durations, which never jumps ({@link ClockJumpDetector} compares the two).
 *
 * @param wallMicros     wall-clock Unix microseconds ({@code CLOCK_REALTIME})
 * @param monotonicNanos a monotonic clock in nanoseconds, any origin ({@code CLOCK_MONOTONIC}, {@link System#nanoTime()})
 */
public record TimeSource(LongSupplier wallMicros, LongSupplier monotonicNanos) {
    /** Checks both clocks are given. */
    public TimeSource {
        Objects.requireNonNull(wallMicros, "wallMicros");
        Objects.requireNonNull(monotonicNanos, "monotonicNanos");
    }

    /** The system's clocks: {@link Instant#now()} and {@link System#nanoTime()}. */
    public static TimeSource system() {
        return new TimeSource(TimeSource::systemWallMicros, System::nanoTime);
    }

    /** Wall-clock Unix milliseconds of {@link #wallMicros()}. */
    public long wallMillis() {
        return Math.floorDiv(wallMicros.getAsLong(), 1000L);
    }

    private static long systemWallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
