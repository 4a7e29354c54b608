package org.cea.tsdb;

import java.time.Instant;

/** Microsecond conversions (the storage layer's unit of time). */
final class Times {
    /** 9999-12-31T23:59:59.999999Z: the storage layer writes four-digit years. */
    static final long MAX_MICROS = 253_402_300_799_999_999L;
    private Times() {
    }

    /**
     * Microseconds since the epoch, truncated towards the past.
     *
     * @throws BadDataException when {@code what} is null or outside the representable range
     */
    static long micros(Instant t, String what) {
        if (t == null) {
            throw new BadDataException(what + " must not be null");
        }
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
        } catch (ArithmeticException e) {
            throw new BadDataException(what + " is out of range: " + t, e);
        }
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    /** Checks a history/count window and returns {from, to} in microseconds. */
    static long[] window(Instant from, Instant to) {
        long f = micros(from, "from");
        long t = micros(to, "to");
        if (t <= f) {
            throw new BadDataException("time window must have from < to, was from=" + from + " to=" + to);
        }
        return new long[] {f, t};
    }

    /** Checks history arguments shared by every backend. */
    static void checkHistoryArgs(String sensor, int maxPoints) {
        if (sensor == null || sensor.isEmpty()) {
            throw new BadDataException("history: sensor must not be " + (sensor == null ? "null" : "empty"));
        }
        if (maxPoints < 1 || maxPoints > 100_000) {
            throw new BadDataException("history of " + sensor + ": maxPoints must be 1..100000, was " + maxPoints);
        }
    }
}
