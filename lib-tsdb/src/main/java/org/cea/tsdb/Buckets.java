package org.cea.tsdb;

/**
 * Chooses history bucket widths. Widths come from a fixed ladder so that every backend picks the
 * same one, and buckets are aligned to the Unix epoch so that every backend draws the same boundaries.
 */
final class Buckets {
    static final long SECOND = 1_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    private static final long[] LADDER = {
        SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
        MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
        HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY,
    };

    private Buckets() {
    }

    /**
     * Smallest ladder width (microseconds) giving at most {@code maxPoints} epoch-aligned buckets over
     * {@code [fromMicros, toMicros)}.
     */
    static long width(long fromMicros, long toMicros, int maxPoints) {
        for (long w : LADDER) {
            if (count(fromMicros, toMicros, w) <= maxPoints) {
                return w;
            }
        }
        long w = LADDER[LADDER.length - 1];
        while (count(fromMicros, toMicros, w) > maxPoints) {
            w *= 2;
        }
        return w;
    }

    /** Number of epoch-aligned buckets of width {@code w} that intersect {@code [from, to)}. */
    static long count(long from, long to, long w) {
        return Math.floorDiv(to - 1, w) - Math.floorDiv(from, w) + 1;
    }

    /** Start of the epoch-aligned bucket of width {@code w} holding {@code t}. */
    static long floor(long t, long w) {
        return Math.floorDiv(t, w) * w;
    }

    /** Smallest multiple of {@code w} that is &gt;= {@code t}. */
    static long ceil(long t, long w) {
        return -Math.floorDiv(-t, w) * w;
    }
}
