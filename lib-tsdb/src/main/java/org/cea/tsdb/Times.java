package org.cea.tsdb;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Microsecond conversions (the storage layer's unit of time): whole microseconds since the Unix
 * epoch, UTC. The public part is what a bulk loader of legacy rows needs: SQLite REAL seconds and
 * date-time text in, PostgreSQL {@code timestamptz} text out ({@link SqliteDateTime} parses the text).
 */
public final class Times {
    /** 9999-12-31T23:59:59.999999Z: the storage layer writes four-digit years. */
    public static final long MAX_MICROS = 253_402_300_799_999_999L;
    /** 0001-01-01T00:00:00Z in epoch seconds: the earliest legacy timestamp accepted. */
    public static final long MIN_SECONDS = -62_135_596_800L;
    /** 10000-01-01T00:00:00Z in epoch seconds (exclusive): four-digit years only. */
    public static final long MAX_SECONDS_EXCLUSIVE = 253_402_300_800L;
    /** Microseconds per second. */
    public static final long MICROS_PER_SECOND = 1_000_000L;
    /** Microseconds per day. */
    public static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
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
    public static long secondsToMicros(double seconds) {
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

    /**
     * Formats epoch microseconds as PostgreSQL {@code timestamptz} input in UTC,
     * {@code 2024-12-12 10:58:43.123456+00}, always six fraction digits.
     *
     * @param micros microseconds since the epoch, years 0001..9999
     * @return the text
     */
    public static String formatUtc(long micros) {
        StringBuilder sb = new StringBuilder(29);
        appendUtc(sb, micros);
        return sb.toString();
    }

    /**
     * Appends {@link #formatUtc(long)} to {@code sb} without java.time objects or intermediate
     * strings (the COPY of every row renders one or two: a hot path). Days to civil date after
     * H. Hinnant's {@code civil_from_days}, with floor division so years before 1970 work too.
     */
    static StringBuilder appendUtc(StringBuilder sb, long micros) {
        long days = Math.floorDiv(micros, MICROS_PER_DAY);
        long rest = Math.floorMod(micros, MICROS_PER_DAY);
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        pad(sb, year, 4).append('-');
        pad(sb, month, 2).append('-');
        pad(sb, day, 2).append(' ');
        pad(sb, rest / 3_600_000_000L, 2).append(':');
        pad(sb, rest / 60_000_000L % 60, 2).append(':');
        pad(sb, rest / 1_000_000L % 60, 2).append('.');
        return pad(sb, rest % 1_000_000L, 6).append("+00");
    }

    private static StringBuilder pad(StringBuilder sb, long v, int width) {
        long limit = 1;
        for (int i = 1; i < width; i++) {
            limit *= 10;
        }
        while (limit > 1 && v < limit) {
            sb.append('0');
            limit /= 10;
        }
        return sb.append(v);
    }

    /**
     * Parses SQLite date-time text to epoch microseconds; see {@link SqliteDateTime#parse(String)}.
     *
     * @param text SQLite time value ({@code CURRENT_TIMESTAMP} writes {@code 2024-12-12 10:58:43}, UTC)
     * @return microseconds since the epoch
     * @throws IllegalArgumentException naming the text when it is not such a value
     */
    public static long parseSqliteDateTime(String text) {
        return SqliteDateTime.parse(text);
    }
}
