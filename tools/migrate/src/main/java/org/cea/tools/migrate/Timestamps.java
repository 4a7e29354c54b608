package org.cea.tools.migrate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time conversions of the migration, all in whole microseconds since the Unix epoch (UTC).
 *
 * <p>The legacy {@code timestamp} column is a SQLite REAL: an IEEE-754 double of epoch seconds.
 * A double near 1.7e9 s has a spacing of 2^-22 s (0.24 µs), so the decimal the scanner meant
 * ({@code 1734001123.123456}) is stored as the nearest double, e.g. {@code 1734001123.1234560013}.
 * {@link #secondsToMicros(double)} expands that double exactly ({@code new BigDecimal(double)}, no
 * decimal-string detour) and rounds it to the nearest microsecond, ties to even (with an exact
 * fused-multiply-add remainder on the hot path, tested against BigDecimal). The stored double
 * is always within 0.12 µs of the intended microsecond, so rounding returns it; truncation
 * ({@code (long) (d * 1e6)}) would turn {@code .123456} into {@code .123455} for about half the rows.
 */
public final class Timestamps {
    /** 0001-01-01T00:00:00Z in epoch seconds: the earliest instant accepted. */
    public static final long MIN_SECONDS = -62_135_596_800L;
    /** 10000-01-01T00:00:00Z in epoch seconds (exclusive): four-digit years only. */
    public static final long MAX_SECONDS_EXCLUSIVE = 253_402_300_800L;
    /** Microseconds per second. */
    public static final long MICROS_PER_SECOND = 1_000_000L;
    /** Microseconds per day. */
    public static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;

    /** SQLite date-time text: {@code YYYY-MM-DD HH:MM[:SS[.fff]]}, {@code T} allowed, optional Z or ±HH:MM. */
    private static final Pattern SQLITE_DATETIME = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})[ T](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?"
                    + "(Z|[+-]\\d{2}:\\d{2})?");

    private Timestamps() {
    }

    /**
     * Epoch seconds (a SQLite REAL) to epoch microseconds, rounded to the nearest microsecond, ties
     * to even, from the exact binary value of {@code seconds}.
     *
     * @param seconds finite, within years 0001..9999
     * @return microseconds since 1970-01-01T00:00:00Z
     * @throws IllegalArgumentException naming the value when it is NaN, infinite or out of range
     */
    public static long secondsToMicros(double seconds) {
        if (!Double.isFinite(seconds)) {
            throw new IllegalArgumentException("timestamp must be finite, was " + seconds);
        }
        if (seconds < MIN_SECONDS || seconds >= MAX_SECONDS_EXCLUSIVE) {
            throw new IllegalArgumentException("timestamp must be within years 0001..9999 ("
                    + MIN_SECONDS + " <= s < " + MAX_SECONDS_EXCLUSIVE + "), was " + seconds);
        }
        if (Math.abs(seconds) < 1.0) {
            return new BigDecimal(seconds).movePointRight(6).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        }
        // The same rounding without BigDecimal (the per-row hot path): p + err is the exact product
        // (fma), p - r is exact (Sterbenz; 0 once p is past 2^53), and for |seconds| >= 1 both are
        // multiples of 2^(e-46), so their sum is exact too; round that exact remainder half-even.
        double p = seconds * 1e6;
        double err = Math.fma(seconds, 1e6, -p);
        double r = Math.rint(p);
        double frac = (p - r) + err;
        long micros = (long) r + (long) Math.floor(frac);
        double rem = frac - Math.floor(frac);
        if (rem > 0.5 || (rem == 0.5 && (micros & 1) != 0)) {
            micros++;
        }
        return micros;
    }

    /**
     * Formats epoch microseconds as PostgreSQL timestamptz input in UTC:
     * {@code 2024-12-12 10:58:43.123456+00}.
     *
     * @param micros microseconds since the epoch, within years 0001..9999
     * @return the text, always with six fraction digits
     */
    public static String formatUtc(long micros) {
        StringBuilder sb = new StringBuilder(29);
        appendUtc(sb, micros);
        return sb.toString();
    }

    /** Appends {@link #formatUtc(long)} to {@code sb} without intermediate strings. */
    public static void appendUtc(StringBuilder sb, long micros) {
        long day = Math.floorDiv(micros, MICROS_PER_DAY);
        long inDay = Math.floorMod(micros, MICROS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(day);
        long secOfDay = inDay / MICROS_PER_SECOND;
        pad(sb, date.getYear(), 4).append('-');
        pad(sb, date.getMonthValue(), 2).append('-');
        pad(sb, date.getDayOfMonth(), 2).append(' ');
        pad(sb, secOfDay / 3600, 2).append(':');
        pad(sb, secOfDay / 60 % 60, 2).append(':');
        pad(sb, secOfDay % 60, 2).append('.');
        pad(sb, inDay % MICROS_PER_SECOND, 6).append("+00");
    }

    private static StringBuilder pad(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    /**
     * Parses SQLite date-time text ({@code CURRENT_TIMESTAMP} writes {@code 2024-12-12 10:58:43}, UTC)
     * to epoch microseconds. Without a zone suffix the text is UTC, as SQLite defines it.
     *
     * @param text SQLite time value, formats 2..10 of the SQLite date and time functions
     * @return microseconds since the epoch
     * @throws IllegalArgumentException naming the text when it is not such a value, names an
     *                                  impossible date, or has non-zero digits below a microsecond
     */
    public static long parseSqliteDateTime(String text) {
        if (text.length() == 19 && text.charAt(10) == ' ') {
            long fast = parseCurrentTimestamp(text);
            if (fast != Long.MIN_VALUE) {
                return fast;
            }
        }
        Matcher m = SQLITE_DATETIME.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a SQLite date-time (YYYY-MM-DD HH:MM:SS[.fff][Z|±HH:MM]): '"
                    + text + "'");
        }
        LocalDate date;
        try {
            date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("impossible date in '" + text + "': " + e.getMessage(), e);
        }
        int h = Integer.parseInt(m.group(4));
        int min = Integer.parseInt(m.group(5));
        int s = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        if (h > 23 || min > 59 || s > 59) {
            throw new IllegalArgumentException("time of day out of range in '" + text + "'");
        }
        long micros = fractionMicros(m.group(7), text);
        long offsetSeconds = zoneOffsetSeconds(m.group(8), text);
        long seconds = date.toEpochDay() * 86_400L + h * 3600L + min * 60L + s - offsetSeconds;
        if (seconds < MIN_SECONDS || seconds >= MAX_SECONDS_EXCLUSIVE) {
            throw new IllegalArgumentException("date-time outside years 0001..9999 in UTC: '" + text + "'");
        }
        return seconds * MICROS_PER_SECOND + micros;
    }

    /** {@code YYYY-MM-DD HH:MM:SS} without a regex (every legacy row has one); MIN_VALUE when not that form. */
    private static long parseCurrentTimestamp(String t) {
        int y = num(t, 0, 4);
        int mo = num(t, 5, 2);
        int d = num(t, 8, 2);
        int h = num(t, 11, 2);
        int mi = num(t, 14, 2);
        int s = num(t, 17, 2);
        if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 28 || h > 23 || mi > 59 || s > 59 || t.charAt(4) != '-'
                || t.charAt(7) != '-' || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        long seconds = LocalDate.of(y, mo, d).toEpochDay() * 86_400L + h * 3600L + mi * 60L + s;
        return seconds * MICROS_PER_SECOND;
    }

    private static int num(String t, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1_000_000;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static long fractionMicros(String digits, String text) {
        if (digits == null) {
            return 0;
        }
        String padded = (digits + "000000000").substring(0, 9);
        if (!padded.endsWith("000")) {
            throw new IllegalArgumentException("fraction finer than a microsecond in '" + text + "'");
        }
        return Long.parseLong(padded.substring(0, 6));
    }

    private static long zoneOffsetSeconds(String zone, String text) {
        if (zone == null || zone.equals("Z")) {
            return 0;
        }
        int hh = Integer.parseInt(zone.substring(1, 3));
        int mm = Integer.parseInt(zone.substring(4, 6));
        if (hh > 14 || mm > 59) {
            throw new IllegalArgumentException("zone offset out of range in '" + text + "'");
        }
        long off = hh * 3600L + mm * 60L;
        return zone.charAt(0) == '-' ? -off : off;
    }
}
