package org.cea.redisio;

import java.util.Objects;

/**
 * Notices the wall clock jumping: between two checks the wall clock and the monotonic clock of a
 * {@link TimeSource} must advance by the same amount; when they differ by more than a threshold,
 * the wall clock was stepped (NTP correcting a Raspberry Pi that booted without a real-time clock,
 * or an operator's {@code date -s}), forward or backward. NTP's slewing (at most 500 ppm, 0.5 ms per
 * second) stays far below any sensible threshold, and a paused process moves both clocks alike.
 * No threads: the caller checks as often as it likes (the scanner, between frames and on every idle
 * poll). Not thread-safe; {@link #jumps()} and {@link #last()} may be read from other threads.
 */
public final class ClockJumpDetector {
    /** The default threshold, milliseconds. */
    public static final long DEFAULT_THRESHOLD_MS = 1_000;

    private final TimeSource time;
    private final long thresholdMicros;
    private long lastWallMicros;
    private long lastMonoNanos;
    private volatile long jumps;
    private volatile Jump last;

    /**
     * A jump: by how much the wall clock moved beyond the monotonic clock.
     *
     * @param deltaMicros      the step, microseconds: &gt; 0 forward, &lt; 0 backward
     * @param wallMicrosAfter  wall-clock Unix microseconds just after the step
     */
    public record Jump(long deltaMicros, long wallMicrosAfter) {
        /** True when the clock moved ahead. */
        public boolean forward() {
            return deltaMicros > 0;
        }

        /** {@code forward} or {@code backward}. */
        public String direction() {
            return forward() ? "forward" : "backward";
        }

        /** The size as seconds with millisecond precision and the direction: {@code "3600.000 s backward"}. */
        public String describe() {
            return String.format(java.util.Locale.ROOT, "%.3f s %s", Math.abs(deltaMicros) / 1e6, direction());
        }
    }

    /**
     * Starts watching from now.
     *
     * @param time        the clocks
     * @param thresholdMs smallest step reported, milliseconds, &gt;= 1
     * @throws IllegalArgumentException if the threshold is below 1 ms
     */
    public ClockJumpDetector(TimeSource time, long thresholdMs) {
        this.time = Objects.requireNonNull(time, "time");
        if (thresholdMs < 1) {
            throw new IllegalArgumentException("clock jump threshold must be >= 1 ms, was " + thresholdMs);
        }
        this.thresholdMicros = thresholdMs * 1000L;
        this.lastWallMicros = time.wallMicros().getAsLong();
        this.lastMonoNanos = time.monotonicNanos().getAsLong();
    }

    /**
     * Compares the clocks with the previous check.
     *
     * @return the jump since the previous check, or null when the clocks agree within the threshold
     */
    public Jump check() {
        long wall = time.wallMicros().getAsLong();
        long mono = time.monotonicNanos().getAsLong();
        long delta = (wall - lastWallMicros) - (mono - lastMonoNanos) / 1000L;
        lastWallMicros = wall;
        lastMonoNanos = mono;
        if (Math.abs(delta) <= thresholdMicros) {
            return null;
        }
        Jump j = new Jump(delta, wall);
        last = j;
        jumps = jumps + 1;
        return j;
    }

    /** Jumps seen since construction. */
    public long jumps() {
        return jumps;
    }

    /** The newest jump, or null before any. */
    public Jump last() {
        return last;
    }
}
