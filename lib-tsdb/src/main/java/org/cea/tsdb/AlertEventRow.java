package org.cea.tsdb;

/**
 * One row of {@code alert_events}: an alert transition as cea-automation recorded it on stream
 * {@code alerts:events} (DESIGN.md, "Automation").
 *
 * @param eventId    the stream entry id; unique (a replayed event is written once)
 * @param tsMillis   Unix ms of the transition
 * @param alertId    the alert's id ({@code <rule>} or {@code <rule>:<subject>})
 * @param rule       rule name
 * @param kind       {@code band}, {@code stale}, {@code silent_node}, {@code faulted}, {@code out_of_range}, {@code pipeline}
 * @param severity   {@code info}, {@code warning}, {@code critical}
 * @param transition {@code pending}, {@code firing}, {@code resolved}, {@code acknowledged}, {@code reminder}
 * @param state      the alert's state after it
 * @param room       room, or null
 * @param sensor     sensor, or null
 * @param value      observed value, or null
 * @param threshold  limit, or null
 * @param message    the grower's sentence
 * @param sinceMillis   Unix ms the condition began, or null
 * @param firedAtMillis Unix ms it fired, or null
 * @param ackedBy    who acknowledged, or null
 * @param ackNote    their note, or null
 * @param detailJson the whole event as a JSON object text, or null
 */
public record AlertEventRow(String eventId, long tsMillis, String alertId, String rule, String kind, String severity,
                            String transition, String state, String room, String sensor, Double value, Double threshold,
                            String message, Long sinceMillis, Long firedAtMillis, String ackedBy, String ackNote,
                            String detailJson) {
    /** Validates the columns that are NOT NULL. */
    public AlertEventRow {
        for (String[] f : new String[][] {{"eventId", eventId}, {"alertId", alertId}, {"rule", rule}, {"kind", kind},
                {"severity", severity}, {"transition", transition}}) {
            if (f[1] == null || f[1].isBlank()) {
                throw new BadDataException("alert event " + eventId + ": " + f[0] + " must not be blank");
            }
        }
        if (value != null && !Double.isFinite(value) || threshold != null && !Double.isFinite(threshold)) {
            throw new BadDataException("alert event " + eventId + ": value and threshold must be finite or null");
        }
    }
}
