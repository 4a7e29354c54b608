package org.cea.tools.consistency;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The time flags: {@code --from}/{@code --to} instants and {@code --last}/{@code --settle} durations. */
final class TimeArgs {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

    private TimeArgs() {
    }

    /**
     * An instant: {@code now}; ISO-8601 with a zone ({@code 2026-11-26T10:00:00Z},
     * {@code 2026-11-26T10:00+01:00}); a local date-time ({@code 2026-11-26T10:00},
     * {@code 2026-11-26 10:00:30}) or date ({@code 2026-11-26}, midnight) in {@code zone}; or
     * {@code @SECONDS} since the epoch.
     *
     * @return Unix milliseconds
     * @throws IllegalArgumentException naming the flag and the forms accepted
     */
    static long instant(String flag, String text, ZoneId zone, long nowMillis) {
        String t = text.trim();
        try {
            if (t.equals("now")) {
                return nowMillis;
            }
            if (t.startsWith("@")) {
                return Math.multiplyExact(Long.parseLong(t.substring(1)), 1000L);
            }
            String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
            if (iso.length() == 10) {
                return LocalDate.parse(iso).atStartOfDay(zone).toInstant().toEpochMilli();
            }
            if (iso.endsWith("Z") || iso.matches(".*[+-]\\d{2}:\\d{2}$")) {
                return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(iso).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--" + flag + " '" + text + "': not a time (now, 2026-11-26,"
                    + " 2026-11-26 10:00, 2026-11-26T10:00:00Z, 2026-11-26T10:00+01:00 or @UNIX_SECONDS)", e);
        }
    }

    /**
     * A duration: a number and a unit, {@code 45s}, {@code 90m}, {@code 24h}, {@code 30d}.
     *
     * @throws IllegalArgumentException naming the flag and the form
     */
    static Duration duration(String flag, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--" + flag + " '" + text + "': not a duration (a number and s, m, h"
                    + " or d: 45s, 90m, 24h, 30d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** The minute boundary at or before {@code millis}, in µs. */
    static long floorMinuteMicros(long millis) {
        return Math.floorDiv(millis, 60_000L) * 60_000_000L;
    }

    /** The minute boundary at or after {@code millis}, in µs. */
    static long ceilMinuteMicros(long millis) {
        return -Math.floorDiv(-millis, 60_000L) * 60_000_000L;
    }

    /** The first minute still open at {@code nowMillis}: a minute is closed once {@code settle} has passed after its end. */
    static long openFromMicros(long nowMillis, Duration settle) {
        return floorMinuteMicros(nowMillis - settle.toMillis() - 60_000L) + 60_000_000L;
    }

    /** An instant for messages. */
    static String show(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
