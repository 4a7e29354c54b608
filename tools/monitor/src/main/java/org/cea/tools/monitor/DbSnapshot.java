package org.cea.tools.monitor;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cea.tsdb.AlertEventRow;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.StoredMessage;

/**
 * What the database tail shows at one moment.
 *
 * @param target          the database URL, password masked
 * @param takenAtMillis   wall-clock Unix ms of the collection (the "now" of the counts and ages)
 * @param error           why the database could not be read, or null when it could
 * @param backend         {@code SQLITE}, {@code POSTGRES} or {@code TIMESCALEDB}; null when down
 * @param newestFirst     the newest messages, newest first
 * @param lastMinute      messages per type with a timestamp in the minute before {@code takenAtMillis}
 * @param lastHour        the same over the hour before
 * @param rowsPerSecNow   rows written per second since the previous collection (from the growth of
 *                        the newest row id), or null on the first collection / after a reconnect
 * @param latestReadings  newest {@code sensor_readings} row per sensor, by sensor name
 * @param alertEvents     the newest {@code alert_events} rows, newest first (empty without the table)
 * @param jobs            the scheduled TimescaleDB jobs' health (read every 30 s), null when not read
 */
record DbSnapshot(String target, long takenAtMillis, String error, String backend, List<StoredMessage> newestFirst,
                  Map<String, Long> lastMinute, Map<String, Long> lastHour, Double rowsPerSecNow,
                  Map<String, ReadingRow> latestReadings, List<AlertEventRow> alertEvents,
                  org.cea.tsdb.JobHealth.Report jobs) {
    /** A snapshot without a job report. */
    DbSnapshot(String target, long takenAtMillis, String error, String backend, List<StoredMessage> newestFirst,
               Map<String, Long> lastMinute, Map<String, Long> lastHour, Double rowsPerSecNow,
               Map<String, ReadingRow> latestReadings, List<AlertEventRow> alertEvents) {
        this(target, takenAtMillis, error, backend, newestFirst, lastMinute, lastHour, rowsPerSecNow, latestReadings,
                alertEvents, null);
    }

    /** A snapshot without alert history. */
    DbSnapshot(String target, long takenAtMillis, String error, String backend, List<StoredMessage> newestFirst,
               Map<String, Long> lastMinute, Map<String, Long> lastHour, Double rowsPerSecNow,
               Map<String, ReadingRow> latestReadings) {
        this(target, takenAtMillis, error, backend, newestFirst, lastMinute, lastHour, rowsPerSecNow, latestReadings, List.of());
    }

    /** Copies the collections; checks the rate. */
    DbSnapshot {
        alertEvents = List.copyOf(alertEvents);
        Objects.requireNonNull(target, "target");
        newestFirst = List.copyOf(newestFirst);
        lastMinute = Map.copyOf(lastMinute);
        lastHour = Map.copyOf(lastHour);
        latestReadings = Map.copyOf(latestReadings);
        if (rowsPerSecNow != null && !(rowsPerSecNow >= 0)) {
            throw new IllegalArgumentException("rowsPerSecNow must be >= 0 or null, was " + rowsPerSecNow);
        }
    }

    /** The database could not be read: only the error is shown. */
    static DbSnapshot down(String target, long takenAtMillis, String error) {
        return new DbSnapshot(target, takenAtMillis, Objects.requireNonNull(error, "error"), null, List.of(), Map.of(),
                Map.of(), null, Map.of());
    }

    /** True when the database answered. */
    boolean up() {
        return error == null;
    }

    /** Alerts whose newest event in {@link #alertEvents} is not a resolution, newest first. */
    List<AlertEventRow> activeAlerts() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<AlertEventRow> out = new java.util.ArrayList<>();
        for (AlertEventRow r : alertEvents) {
            if (seen.add(r.alertId()) && !"resolved".equals(r.transition())) {
                out.add(r);
            }
        }
        return out;
    }

    /** The database answered and its alert history shows no critical alert firing ({@code --once} exits 3 otherwise). */
    boolean healthy() {
        return up() && (jobs == null || jobs.state() != org.cea.tsdb.JobHealth.State.DEGRADED) && activeAlerts().stream().noneMatch(r -> "critical".equals(r.severity()) && !"pending".equals(r.state()));
    }
}
