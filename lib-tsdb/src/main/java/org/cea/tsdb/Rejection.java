package org.cea.tsdb;

import java.util.Objects;

/**
 * One row of a batch that was not written: null in the caller's list, or refused by the database
 * as bad data. A value, so a caller can act on it (dead-letter the stream entry it came from)
 * without parsing text.
 *
 * @param table    which of the caller's lists the row was in
 * @param index    the row's index in that list, &gt;= 0
 * @param sourceId the message row's stream entry id; null for a reading or a message without one
 * @param sqlState the database's SQLSTATE (PostgreSQL), null when there is none (SQLite, a null row)
 * @param message  what was wrong, the driver's words with passwords masked; never blank
 */
public record Rejection(Table table, int index, String sourceId, String sqlState, String message) {
    /** Which list of {@link Store#writeBatch} a rejected row came from. */
    public enum Table {
        /** A {@code can_messages} row. */
        MESSAGES,
        /** A {@code sensor_readings} row. */
        READINGS
    }

    /** Checks the fields. */
    public Rejection {
        Objects.requireNonNull(table, "table");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("message must not be blank");
        }
    }

    /** One line for a log: {@code messages[3] (source 1-0) [SQLSTATE 22003]: numeric field overflow}. */
    public String describe() {
        return table.name().toLowerCase() + "[" + index + "]" + (sourceId != null ? " (source " + sourceId + ")" : "")
                + (sqlState != null ? " [SQLSTATE " + sqlState + "]" : "") + ": " + message;
    }
}
