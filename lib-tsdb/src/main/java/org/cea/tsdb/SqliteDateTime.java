package org.cea.tsdb;

import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SQLite date-time text (what {@code CURRENT_TIMESTAMP} and the date functions write) to epoch microseconds. */
final class SqliteDateTime {
    /** SQLite date-time text: {@code YYYY-MM-DD HH:MM[:SS[.fff]]}, {@code T} allowed, optional Z or ±HH:MM. */
    private static final Pattern SQLITE_DATETIME = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})[ T](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?"
                    + "(Z|[+-]\\d{2}:\\d{2})?");

    private SqliteDateTime() {
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
    static long parse(String text) {
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
        if (seconds < Times.MIN_SECONDS || seconds >= Times.MAX_SECONDS_EXCLUSIVE) {
            throw new IllegalArgumentException("date-time outside years 0001..9999 in UTC: '" + text + "'");
        }
        return seconds * Times.MICROS_PER_SECOND + micros;
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
        return seconds * Times.MICROS_PER_SECOND;
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
