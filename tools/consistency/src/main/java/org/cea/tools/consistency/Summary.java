package org.cea.tools.consistency;

import java.time.ZoneId;
import java.util.Locale;

/** The one-line summary a cron job or a log keeps: outcome, range, minutes, rows, the newest difference, time. */
final class Summary {
    private Summary() {
    }

    /**
     * E.g. {@code can-consistency: EQUAL 2026-11-25 12:00+00:00..2026-11-26 12:00+00:00: 1439 minutes
     * compared, 0 differ, 1 open; legacy 1295100 rows, database 1295100 rows; 6.2 s}.
     */
    static String line(Report.Header h, Comparison.Totals t, long elapsedNanos, ZoneId zone) {
        StringBuilder sb = new StringBuilder("can-consistency: ").append(t.equal() ? "EQUAL " : "DIFFER ");
        sb.append(Format.minute(h.fromMicros(), zone)).append("..").append(Format.minute(h.toMicros(), zone));
        sb.append(": ").append(t.minutesCompared).append(" minutes compared, ").append(t.minutesDiffer).append(" differ");
        if (t.differences > t.minutesDiffer) {
            sb.append(" (").append(t.differences).append(" minute/CAN id pairs)");
        }
        sb.append(", ").append(t.minutesOpen).append(" open; legacy ").append(t.legacyRows).append(" rows, database ")
                .append(t.databaseRows).append(" rows");
        if (t.newestDifference != null) {
            sb.append("; newest difference ").append(Format.minute(t.newestDifference.minuteMicros(), zone)).append(' ')
                    .append(Format.canId(t.newestDifference.canId()));
        }
        double s = elapsedNanos / 1e9;
        long perSide = s <= 0 ? 0 : Math.round((t.legacyRows + t.openLegacyRows + t.databaseRows + t.openDatabaseRows)
                / 2.0 / s);
        return sb.append(String.format(Locale.ROOT, "; %.1f s, %d rows/s per side", s, perSide)).toString();
    }
}
