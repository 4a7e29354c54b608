package org.cea.tools.migrate;

import org.cea.tsdb.JsonbText;
import org.cea.tsdb.Times;

/**
 * Converts legacy rows to target rows by the documented type mapping (docs/MIGRATION.md), or
 * explains why a row does not fit. Pure and stateless: the migration and the verifier use the same
 * mapping, so the verifier's source side is what the mapping says, not what was written.
 */
public final class RowConverter {
    /** Largest CAN identifier (29-bit extended). */
    public static final long MAX_CAN_ID = 0x1FFF_FFFFL;
    /** Largest DLC accepted (CAN FD payload length). */
    public static final long MAX_DLC = 64;

    private RowConverter() {
    }

    /**
     * Converts one row.
     *
     * @param r a legacy row
     * @return a {@link MessageRecord}, or a {@link QuarantinedRow} naming the first problem found
     */
    public static ConvertedRow convert(LegacyRow r) {
        try {
            long micros = timestampMicros(r.timestamp());
            int canId = (int) requiredInteger("can_id", r.canId(), 0, MAX_CAN_ID);
            Integer nodeId = r.nodeId() == null ? null
                    : (int) requiredInteger("node_id", r.nodeId(), Integer.MIN_VALUE, Integer.MAX_VALUE);
            String type = optionalText("message_type", r.messageType());
            int dlc = (int) requiredInteger("dlc", r.dlc(), 0, MAX_DLC);
            String raw = optionalText("raw_data", r.rawData());
            if (raw == null) {
                throw new IllegalArgumentException("raw_data is NULL (required)");
            }
            String json = optionalText("decoded_data", r.decodedData());
            String canonical = null;
            if (json != null) {
                try {
                    canonical = JsonbText.canonical(json);
                } catch (JsonbText.InvalidJsonException e) {
                    throw new IllegalArgumentException("decoded_data is not valid JSON: " + e.getMessage(), e);
                }
            }
            Long created = createdAtMicros(r.createdAt());
            return new MessageRecord(r.id(), micros, canId, nodeId, type, dlc, raw, json, canonical, created);
        } catch (IllegalArgumentException e) {
            return new QuarantinedRow(r, e.getMessage());
        }
    }

    private static long timestampMicros(Object v) {
        if (v == null) {
            throw new IllegalArgumentException("timestamp is NULL (required)");
        }
        if (v instanceof Double d) {
            return Times.secondsToMicros(d);
        }
        if (v instanceof Long l) {
            if (l < Times.MIN_SECONDS || l >= Times.MAX_SECONDS_EXCLUSIVE) {
                throw new IllegalArgumentException("timestamp must be within years 0001..9999, was " + l);
            }
            return l * Times.MICROS_PER_SECOND;
        }
        throw new IllegalArgumentException("timestamp is " + LegacyRow.storageClass(v) + " '"
                + LegacyRow.render(v) + "', expected REAL epoch seconds");
    }

    private static long requiredInteger(String column, Object v, long min, long max) {
        if (v == null) {
            throw new IllegalArgumentException(column + " is NULL (required)");
        }
        if (!(v instanceof Long l)) {
            throw new IllegalArgumentException(column + " is " + LegacyRow.storageClass(v) + " '"
                    + LegacyRow.render(v) + "', expected INTEGER");
        }
        if (l < min || l > max) {
            throw new IllegalArgumentException(column + " must be " + min + ".." + max + ", was " + l);
        }
        return l;
    }

    private static String optionalText(String column, Object v) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(column + " is " + LegacyRow.storageClass(v) + " '"
                    + LegacyRow.render(v) + "', expected TEXT");
        }
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(column + " contains a NUL character (PostgreSQL text cannot hold it)");
        }
        return s;
    }

    private static Long createdAtMicros(Object v) {
        String text = optionalText("created_at", v);
        if (text == null) {
            return null;
        }
        try {
            return Times.parseSqliteDateTime(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("created_at: " + e.getMessage(), e);
        }
    }
}
