package org.cea.tools.migrate;

/**
 * A legacy row that cannot be stored in the target table, kept with its original values.
 *
 * @param row    the row as read from SQLite
 * @param reason why it does not fit, naming the column and the value (never empty)
 */
public record QuarantinedRow(LegacyRow row, String reason) implements ConvertedRow {

    /** Checks that both parts are present. */
    public QuarantinedRow {
        if (row == null) {
            throw new IllegalArgumentException("row must not be null");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank (row " + row.id() + ")");
        }
    }

    /** The legacy id. */
    public long id() {
        return row.id();
    }
}
