package org.cea.tools.monitor;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.StoredMessage;

/** The database tail's screen as lines: a pure function of a {@link DbSnapshot}. */
final class DbView {
    /** Sensors per line in the latest-readings section. */
    static final int READINGS_PER_LINE = 3;
    /** Width of one sensor cell in that section, characters. */
    static final int CELL_WIDTH = 33;
    private static final String MESSAGE_ROW = "  %-18s  %-10s  %4s  %-10s  %s";
    private static final String COUNT_ROW = "  %-12s  %9s  %9s";

    private DbView() {
    }

    /**
     * Renders a snapshot: header, database state and write rate, messages per type over the last
     * minute and hour, the newest messages (newest first), and the newest reading per sensor.
     *
     * @param s    what was collected
     * @param zone time zone for clock times
     * @return the lines, without line terminators
     */
    static List<String> render(DbSnapshot s, ZoneId zone) {
        List<String> out = new ArrayList<>();
        out.add("CEA database tail · " + s.target() + " · " + Text.stamp(s.takenAtMillis(), zone));
        if (!s.up()) {
            out.add("database: DOWN — " + s.error() + ", retrying");
            return out;
        }
        long minuteTotal = s.lastMinute().values().stream().mapToLong(Long::longValue).sum();
        String now = s.rowsPerSecNow() == null ? Text.NONE : Text.rate(s.rowsPerSecNow());
        out.add("database: ok · backend " + s.backend() + " · written " + now + " rows/s now, "
                + Text.rate(minuteTotal / 60.0) + " rows/s over the last minute");
        if (s.jobs() != null) {
            out.addAll(JobLines.of(s.jobs()));
        }
        alerts(s, out);
        out.add("");
        counts(s, out);
        out.add("");
        messages(s, zone, out);
        out.add("");
        readings(s, out);
        return out;
    }

    /** Active alerts by the history (only when there is any history). */
    private static void alerts(DbSnapshot s, List<String> out) {
        if (s.alertEvents().isEmpty()) {
            return;
        }
        List<org.cea.tsdb.AlertEventRow> active = s.activeAlerts();
        out.add("");
        out.add("alerts (alert_events): " + active.size() + " active" + (s.activeAlerts().stream().noneMatch(r -> "critical".equals(r.severity())
                && !"pending".equals(r.state())) ? "" : " — DEGRADED: a critical alert fires"));
        for (org.cea.tsdb.AlertEventRow r : active) {
            out.add(String.format(Locale.ROOT, "  %-8s %-12s %-28s %s ago: %s", r.severity().toUpperCase(Locale.ROOT),
                    r.transition(), r.alertId(), Text.age(s.takenAtMillis() - r.tsMillis()), r.message()));
        }
    }

    private static void counts(DbSnapshot s, List<String> out) {
        out.add(String.format(Locale.ROOT, COUNT_ROW, "TYPE", "LAST MIN", "LAST HOUR"));
        TreeSet<String> types = new TreeSet<>(s.lastHour().keySet());
        types.addAll(s.lastMinute().keySet());
        if (types.isEmpty()) {
            out.add("  (no messages in the last hour)");
            return;
        }
        long minute = 0;
        long hour = 0;
        for (String type : types) {
            long m = s.lastMinute().getOrDefault(type, 0L);
            long h = s.lastHour().getOrDefault(type, 0L);
            minute += m;
            hour += h;
            out.add(String.format(Locale.ROOT, COUNT_ROW, type, m, h));
        }
        out.add(String.format(Locale.ROOT, COUNT_ROW, "total", minute, hour));
    }

    private static void messages(DbSnapshot s, ZoneId zone, List<String> out) {
        out.add("newest " + s.newestFirst().size() + " messages, newest first:");
        out.add(String.format(Locale.ROOT, MESSAGE_ROW, "TIME", "CAN ID", "NODE", "TYPE", "DATA"));
        if (s.newestFirst().isEmpty()) {
            out.add("  (no messages yet)");
        }
        for (StoredMessage m : s.newestFirst()) {
            out.add(String.format(Locale.ROOT, MESSAGE_ROW, Text.clock(m.timestampMicros(), zone), canId(m),
                    m.nodeId() == null ? Text.NONE : m.nodeId().toString(),
                    m.messageType() == null ? Text.NONE : m.messageType(),
                    m.decodedJson() != null ? m.decodedJson() : "raw " + m.rawData()));
        }
    }

    private static void readings(DbSnapshot s, List<String> out) {
        out.add("newest reading per sensor (sensor_readings), with its age:");
        if (s.latestReadings().isEmpty()) {
            out.add("  (no readings)");
            return;
        }
        StringBuilder line = new StringBuilder();
        int n = 0;
        for (Map.Entry<String, ReadingRow> e : new TreeMap<>(s.latestReadings()).entrySet()) {
            long ageMs = s.takenAtMillis() - Math.floorDiv(e.getValue().timeMicros(), 1000);
            String cell = e.getKey() + " " + Text.value(e.getValue().value()) + " (" + Text.age(ageMs) + ")";
            line.append("  ").append(String.format(Locale.ROOT, "%-" + CELL_WIDTH + "s", cell));
            if (++n % READINGS_PER_LINE == 0) {
                out.add(line.toString().stripTrailing());
                line.setLength(0);
            }
        }
        if (line.length() > 0) {
            out.add(line.toString().stripTrailing());
        }
    }

    /** {@code 0x101} for standard ids, {@code 0x00000101} for extended ones (they are different frames). */
    static String canId(StoredMessage m) {
        return m.extended() ? String.format(Locale.ROOT, "0x%08X", m.canId()) : String.format(Locale.ROOT, "0x%03X", m.canId());
    }
}
