package org.cea.tsdb;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rows of one batch that reached the writer, with their index in the caller's lists, and the
 * rejection lines collected so far (null elements, rows the database refused).
 */
final class BatchRows {
    final List<MessageRow> messages = new ArrayList<>();
    final int[] messageIndex;
    final List<ReadingRow> readings = new ArrayList<>();
    final int[] readingIndex;
    final List<Rejection> rejected = new ArrayList<>();
    private final int nullRows;

    BatchRows(List<MessageRow> inMessages, List<ReadingRow> inReadings) {
        Objects.requireNonNull(inMessages, "messages");
        Objects.requireNonNull(inReadings, "readings");
        messageIndex = new int[inMessages.size()];
        for (int i = 0; i < inMessages.size(); i++) {
            MessageRow m = inMessages.get(i);
            if (m == null) {
                rejected.add(new Rejection(Rejection.Table.MESSAGES, i, null, null, "null row"));
            } else {
                messageIndex[messages.size()] = i;
                messages.add(m);
            }
        }
        readingIndex = new int[inReadings.size()];
        for (int i = 0; i < inReadings.size(); i++) {
            ReadingRow r = inReadings.get(i);
            if (r == null) {
                rejected.add(new Rejection(Rejection.Table.READINGS, i, null, null, "null row"));
            } else {
                readingIndex[readings.size()] = i;
                readings.add(r);
            }
        }
        nullRows = rejected.size();
    }

    /** Forgets rejections made by the database (before a retry on a fresh connection); keeps the null rows. */
    void clearDatabaseRejections() {
        rejected.subList(nullRows, rejected.size()).clear();
    }

    /** Records that message {@code k} (index into {@link #messages}) was refused by the database. */
    void rejectMessage(int k, SQLException e) {
        MessageRow m = messages.get(k);
        rejected.add(new Rejection(Rejection.Table.MESSAGES, messageIndex[k], m.sourceId(), e.getSQLState(),
                SqlErrors.message(e) + " (can_id 0x" + Integer.toHexString(m.canId()).toUpperCase() + " at "
                        + m.timestampMicros() + " us)"));
    }

    /** Records that reading {@code k} (index into {@link #readings}) was refused by the database. */
    void rejectReading(int k, SQLException e) {
        ReadingRow r = readings.get(k);
        rejected.add(new Rejection(Rejection.Table.READINGS, readingIndex[k], null, e.getSQLState(),
                SqlErrors.message(e) + " (" + r.sensor() + " at " + r.timeMicros() + " us)"));
    }
}
