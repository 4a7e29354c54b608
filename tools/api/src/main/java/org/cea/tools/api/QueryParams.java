package org.cea.tools.api;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validated access to a request's query parameters. Every failure is an {@link ApiException} (400)
 * naming the parameter, the allowed form or range and the value that was sent. Values are parsed
 * into numbers and instants here; no value is ever placed into SQL text.
 */
final class QueryParams {
    private static final Pattern RELATIVE = Pattern.compile("now(?:-(\\d{1,9})([smhd]))?");
    private static final String TIME_FORMS = "an ISO-8601 time (2026-11-26T01:00:00Z, 2026-11-26T02:00:00%2B01:00,"
            + " or 2026-11-26T02:00 in the facility's time zone), a date (2026-11-26), Unix milliseconds, 'now' or"
            + " now-<n>[s|m|h|d]";
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /** An ISO time whose {@code +hh:mm} offset arrived as a space: an unencoded '+' in a query string. */
    private static final Pattern PLUS_AS_SPACE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+ \\d{2}(:?\\d{2})?");
    private static final Pattern OFFSET = Pattern.compile(".*T.*([+-]\\d{2}(:?\\d{2})?|[Zz])");
    /** Earliest time a history range may start: the tables hold nothing before the epoch. */
    static final Instant EARLIEST = Instant.EPOCH;
    /** Latest time a range may end: four-digit years. */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    private final Map<String, String> values;
    private final ZoneId zone;

    private QueryParams(Map<String, String> values, ZoneId zone) {
        this.values = values;
        this.zone = zone;
    }

    /** The same parameters, with plain dates and local times read in {@code zone} (default UTC). */
    QueryParams inZone(ZoneId zone) {
        return new QueryParams(values, zone);
    }

    /** The zone plain dates and times without an offset are read in. */
    ZoneId zone() {
        return zone;
    }

    /**
     * Checks the names: each must be in {@code allowed} and appear once.
     *
     * @param raw     parameter name to its values, as decoded from the query string
     * @param allowed the names this endpoint takes
     * @throws ApiException 400 on an unknown or repeated parameter
     */
    static QueryParams of(Map<String, List<String>> raw, Set<String> allowed) {
        Map<String, String> v = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : raw.entrySet()) {
            String name = e.getKey();
            if (!allowed.contains(name)) {
                throw ApiException.badParameter(name, "unknown parameter '" + name + "'; this endpoint takes "
                        + (allowed.isEmpty() ? "no parameters" : String.join(", ", new TreeSet<>(allowed))));
            }
            if (e.getValue().size() != 1) {
                throw ApiException.badParameter(name, "parameter '" + name + "' given " + e.getValue().size()
                        + " times; give it once");
            }
            v.put(name, e.getValue().get(0));
        }
        return new QueryParams(v, ZoneOffset.UTC);
    }

    /** The raw value, or null when absent. */
    String string(String name) {
        return values.get(name);
    }

    /**
     * An integer in {@code [min, max]}, or {@code def} when absent.
     *
     * @throws ApiException 400 when not an integer or out of range
     */
    long integer(String name, long def, long min, long max) {
        String s = values.get(name);
        if (s == null) {
            return def;
        }
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(name, "parameter '" + name + "' must be an integer " + min + ".." + max
                    + ", was '" + s + "'");
        }
        if (v < min || v > max) {
            throw ApiException.badParameter(name, "parameter '" + name + "' must be " + min + ".." + max
                    + ", was " + v);
        }
        return v;
    }

    /** Like {@link #integer} but null when absent. */
    Long optionalInteger(String name, long min, long max) {
        return values.containsKey(name) ? integer(name, 0, min, max) : null;
    }

    /**
     * A point in time: ISO-8601, Unix milliseconds, {@code now} or {@code now-<n><unit>}.
     *
     * @param def returned when absent
     * @param now the request's notion of now (wall clock)
     * @throws ApiException 400 when unparseable
     */
    Instant instant(String name, Instant def, Instant now) {
        return instant(name, def, now, false);
    }

    /**
     * Like {@link #instant(String, Instant, Instant)}; with {@code endOfDay} a plain date means the
     * end of that day (the start of the next), so {@code from=D&to=D} is the whole day D.
     */
    Instant instant(String name, Instant def, Instant now, boolean endOfDay) {
        String s = values.get(name);
        if (s == null) {
            return def;
        }
        if (PLUS_AS_SPACE.matcher(s).matches()) {
            throw ApiException.badParameter(name, "parameter '" + name + "' was '" + s + "': a '+' in a query string"
                    + " means a space, so the offset's '+' was lost; send it as %2B (" + s.replace(' ', '+').replace("+", "%2B")
                    + ") or give the time in UTC with Z");
        }
        try {
            String t = s.trim();
            if (DATE.matcher(t).matches()) {
                LocalDate d = LocalDate.parse(t);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
            }
            return parseInstant(t, now, zone);
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            throw ApiException.badParameter(name, "parameter '" + name + "' must be " + TIME_FORMS + ", was '" + s + "'");
        }
    }

    /**
     * A {@code from}/{@code to} pair with defaults, checked for order and maximum length.
     *
     * @param defaultLength {@code from} defaults to {@code to} minus this
     * @param maxLength     longest allowed range, or null for any (within 1970..9999)
     * @throws ApiException 400 when unparseable, reversed, empty or too long
     */
    Instant[] range(Instant now, Duration defaultLength, Duration maxLength) {
        Instant to = instant("to", now, now, true);
        Instant from = instant("from", to.minus(defaultLength), now);
        if (!from.isBefore(to)) {
            throw ApiException.badParameter(values.containsKey("from") ? "from" : "to", "time range is reversed or empty: from "
                    + from + " is not before to " + to);
        }
        if (from.isBefore(EARLIEST)) {
            throw ApiException.badParameter("from", "parameter 'from' must be on or after " + EARLIEST + ", was " + from);
        }
        if (to.isAfter(LATEST)) {
            throw ApiException.badParameter("to", "parameter 'to' must be on or before " + LATEST + ", was " + to);
        }
        Duration length = Duration.between(from, to);
        if (maxLength != null && length.compareTo(maxLength) > 0) {
            throw ApiException.badParameter("from", "time range too large: " + describe(length) + " from " + from
                    + " to " + to + "; at most " + describe(maxLength));
        }
        return new Instant[] {from, to};
    }

    static Instant parseInstant(String s, Instant now) {
        return parseInstant(s, now, ZoneOffset.UTC);
    }

    /** As {@link #parseInstant(String, Instant)}; a date-time without an offset is local time of {@code zone}. */
    static Instant parseInstant(String s, Instant now, ZoneId zone) {
        Matcher m = RELATIVE.matcher(s);
        if (m.matches()) {
            if (m.group(1) == null) {
                return now;
            }
            long n = Long.parseLong(m.group(1));
            long seconds = switch (m.group(2)) {
                case "s" -> n;
                case "m" -> Math.multiplyExact(n, 60L);
                case "h" -> Math.multiplyExact(n, 3600L);
                default -> Math.multiplyExact(n, 86_400L);
            };
            return now.minusSeconds(seconds);
        }
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(s));
        }
        if (s.endsWith("Z") || s.endsWith("z")) {
            return Instant.parse(s.toUpperCase(java.util.Locale.ROOT));
        }
        if (OFFSET.matcher(s).matches()) {
            return OffsetDateTime.parse(s).toInstant();
        }
        return LocalDateTime.parse(s).atZone(zone).toInstant();
    }

    private static String describe(Duration d) {
        if (d.toHours() >= 24) {
            return String.format(java.util.Locale.ROOT, "%.1f days", d.toSeconds() / 86_400.0);
        }
        return d.toMinutes() + " minutes";
    }
}
