package org.cea.tsdb;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** Microsecond conversions (the storage layer's unit of time). */
final class Times {
    /** 9999-12-31T23:59:59.999999Z: the storage layer writes four-digit years. */
    static final long MAX_MICROS = 253_402_300_799_999_999L;
    /** 0001-01-01T00:00:00Z in epoch seconds: the earliest legacy timestamp accepted. */
    static final long MIN_SECONDS = -62_135_596_800L;
    /** 10000-01-01T00:00:00Z in epoch seconds (exclusive): four-digit years only. */
    static final long MAX_SECONDS_EXCLUSIVE = 253_402_300_800L;
    private static final long MINUTE_MICROS = MinuteDigest.MINUTE_MICROS;
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

    /**
     * Epoch seconds as SQLite stores them (REAL, an IEEE-754 double) to microseconds, rounded to
     * the nearest microsecond, ties to even, from the double's exact binary value. A double near
     * 1.7e9 s is within 0.12 µs of the microsecond the writer meant, so rounding gives it back
     * ({@code 1734001123.123457} is stored as 1734001123.1234569549…: truncation would say .123456).
     *
     * @param seconds finite, within years 0001..9999
     * @return microseconds since 1970-01-01T00:00:00Z
     * @throws IllegalArgumentException naming the value when it is NaN, infinite or out of range
     */
    static long secondsToMicros(double seconds) {
        if (!(seconds >= MIN_SECONDS && seconds < MAX_SECONDS_EXCLUSIVE)) {
            throw new IllegalArgumentException("timestamp must be finite seconds within years 0001..9999, was " + seconds);
        }
        double p = seconds * 1e6;
        double r = Math.rint(p);
        // p is the exact product within half an ulp; when that, plus p's distance to r, stays below
        // half a microsecond, r is the exact product's nearest integer and no tie is possible
        if (Math.abs(p - r) + Math.ulp(p) / 2 < 0.5) {
            return (long) r;
        }
        return new BigDecimal(seconds).movePointRight(6).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** Checks a range of whole minutes, {@code 0 <= from < to}. */
    static void checkMinuteRange(long fromMicros, long toMicros) {
        checkMicrosRange(fromMicros, toMicros);
        if (fromMicros % MINUTE_MICROS != 0 || toMicros % MINUTE_MICROS != 0) {
            throw new BadDataException("minute digests need whole minutes, were from=" + fromMicros + " to=" + toMicros
                    + " µs");
        }
    }

    /** Checks a range {@code 0 <= from < to <= MAX_MICROS}. */
    static void checkMicrosRange(long fromMicros, long toMicros) {
        if (fromMicros < 0 || toMicros <= fromMicros || toMicros > MAX_MICROS) {
            throw new BadDataException("range must have 0 <= from < to <= " + MAX_MICROS + " µs, was from="
                    + fromMicros + " to=" + toMicros);
        }
    }
}
