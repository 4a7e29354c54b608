package org.cea.tools.migrate;

/**
 * One row of the legacy SQLite {@code can_messages} table exactly as SQLite returned it: each
 * value is {@code null}, a {@link Long}, a {@link Double}, a {@link String} or a {@code byte[]},
 * whatever the declared column type (SQLite types values, not columns).
 *
 * @param id          the rowid, &gt;= 1
 * @param timestamp   epoch seconds, normally a Double
 * @param canId       normally a Long
 * @param nodeId      normally a Long or null
 * @param messageType normally a String or null
 * @param dlc         normally a Long
 * @param rawData     normally a String
 * @param decodedData normally JSON text or null
 * @param createdAt   normally {@code YYYY-MM-DD HH:MM:SS} UTC text
 */
public record LegacyRow(long id, Object timestamp, Object canId, Object nodeId, Object messageType, Object dlc,
                        Object rawData, Object decodedData, Object createdAt) {

    /** Checks the id, the one value SQLite guarantees (INTEGER PRIMARY KEY). */
    public LegacyRow {
        if (id < 1) {
            throw new IllegalArgumentException("id must be >= 1, was " + id);
        }
    }

    /**
     * A value as the report and the quarantine table show it: {@code NULL}, the number, the text,
     * or {@code x'..'} for a blob; NUL characters appear as {@code \x00} (PostgreSQL text cannot hold them).
     *
     * @param v a value of this row
     * @return a one-line rendering with its SQLite storage class recoverable from the form
     */
    public static String render(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            StringBuilder sb = new StringBuilder("x'");
            for (byte x : b) {
                sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return sb.append('\'').toString();
        }
        return v.toString().replace("\0", "\\x00");
    }

    /** SQLite storage class name of a value: NULL, INTEGER, REAL, TEXT or BLOB. */
    public static String storageClass(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Long || v instanceof Integer) {
            return "INTEGER";
        }
        if (v instanceof Double || v instanceof Float) {
            return "REAL";
        }
        if (v instanceof String) {
            return "TEXT";
        }
        return "BLOB";
    }
}
