package org.cea.tools.consistency;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.cea.tsdb.DigestRow;

/** How the reports write minutes, times, CAN ids and rows. Pure functions. */
final class Format {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mmxxx", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx", Locale.ROOT);
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneId.of("UTC"));

    private Format() {
    }

    /** {@code 2026-11-26 10:03+01:00}. */
    static String minute(long micros, ZoneId zone) {
        return MINUTE.format(instant(micros).atZone(zone));
    }

    /** {@code 2026-11-26 10:03:17.123456+01:00}. */
    static String time(long micros, ZoneId zone) {
        return TIME.format(instant(micros).atZone(zone));
    }

    /** {@code 2026-11-26T09:03:17.123456Z}, for JSON. */
    static String iso(long micros) {
        return ISO.format(instant(micros));
    }

    /** {@code 0x101} for ids that fit 11 bits, {@code 0x0001ABCD} above (as the stream writes them). */
    static String canId(int id) {
        return id >= 0 && id <= 0x7FF ? String.format(Locale.ROOT, "0x%03X", id)
                : String.format(Locale.ROOT, "0x%08X", id);
    }

    /** A row: {@code 2026-11-26 10:03:17.123456+01:00 dlc 8 [12 0A A5 07 00 00 00 11]}. */
    static String row(DigestRow r, ZoneId zone) {
        return time(r.timestampMicros(), zone) + " dlc " + r.dlc() + " [" + r.rawData() + "]";
    }

    /** The head of a difference: {@code 2026-11-26 10:03+01:00 0x101: legacy 60 rows, database 59 rows}. */
    static String head(Difference d, ZoneId zone) {
        return minute(d.minuteMicros(), zone) + " " + canId(d.canId()) + ": legacy " + rows(d.legacyRows())
                + ", database " + rows(d.databaseRows());
    }

    /**
     * A difference on one line (the {@code newest_difference} the monitors show): the head, then how
     * many rows are on one side only and the first of each.
     */
    static String oneLine(Difference d, ZoneId zone) {
        StringBuilder sb = new StringBuilder(head(d, zone));
        if (d.listed()) {
            side(sb, "; only in legacy ", d.onlyLegacyTotal(), d.onlyLegacy(), zone);
            side(sb, "; only in database ", d.onlyDatabaseTotal(), d.onlyDatabase(), zone);
        }
        if (d.note() != null) {
            sb.append(" (").append(d.note()).append(')');
        }
        return sb.toString();
    }

    private static void side(StringBuilder sb, String label, long total, List<DigestRow> rows, ZoneId zone) {
        sb.append(label).append(total);
        if (!rows.isEmpty()) {
            sb.append(", first ").append(row(rows.get(0), zone));
        }
    }

    /** {@code 1 row}, {@code 60 rows}. */
    static String rows(long n) {
        return n + (n == 1 ? " row" : " rows");
    }

    /** Seconds with one decimal: {@code 6.2 s}. */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
