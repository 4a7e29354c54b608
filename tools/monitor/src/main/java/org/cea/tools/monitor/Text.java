package org.cea.tools.monitor;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formatting shared by the two views: ages, clock times, rates. Pure functions. */
final class Text {
    /** Shown where a value is unknown or absent. */
    static final String NONE = "—";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss.SSS", Locale.ROOT);

    private Text() {
    }

    /**
     * A duration for people: {@code 0.8 s} and {@code 9.9 s} below 10 s, whole seconds below 2 min,
     * whole minutes below 2 h, then whole hours. Negative ages (clock skew) show as {@code 0.0 s}.
     *
     * @param millis age in milliseconds
     */
    static String age(long millis) {
        long ms = Math.max(0, millis);
        if (ms < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        if (ms < 120_000) {
            return ms / 1000 + " s";
        }
        if (ms < 7_200_000) {
            return ms / 60_000 + " min";
        }
        return ms / 3_600_000 + " h";
    }

    /** Date, time to the second and zone of a Unix-ms instant, for headers. */
    static String stamp(long millis, ZoneId zone) {
        return STAMP.format(Instant.ofEpochMilli(millis).atZone(zone));
    }

    /** Month-day and time to the millisecond of a Unix-µs instant, for message rows. */
    static String clock(long micros, ZoneId zone) {
        return CLOCK.format(Instant.ofEpochMilli(Math.floorDiv(micros, 1000)).atZone(zone));
    }

    /**
     * A reading for people: at most 3 decimals, no trailing zeros, never in exponent form
     * ({@code 24.99} for 24.990000000000002, {@code 910} for 910.0, {@code 1.248} for 1.2484288).
     */
    static String value(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        String s = BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /** A rate with one decimal ({@code 12.5}). */
    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /** {@code s} cut to {@code width} characters (with an ellipsis when cut); width &gt;= 1. */
    static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, Math.max(0, width - 1)) + "…";
    }

    /** A one-line, non-empty error description: the message, and the root cause's when it adds something. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !m.contains(root.getMessage())) {
            m = m + " (" + root.getMessage() + ")";
        }
        m = m.replaceAll("\\s+", " ").trim();
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }
}
