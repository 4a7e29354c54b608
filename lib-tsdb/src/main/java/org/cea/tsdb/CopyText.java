package org.cea.tsdb;

import java.nio.charset.StandardCharsets;

/**
 * Renders staging rows in PostgreSQL's COPY text format (tab-separated, {@code \N} for null,
 * backslash escapes) into one reusable buffer: the batch insert is a hot path, and building one
 * string per batch instead of per row keeps allocation to a few objects per batch.
 */
final class CopyText {
    private final StringBuilder sb = new StringBuilder(1 << 16);

    void reset() {
        sb.setLength(0);
    }

    boolean isEmpty() {
        return sb.length() == 0;
    }

    /**
     * Appends one staging row for a message: n, source_id, ts_us, can_id, extended, node_id, type, dlc, raw, json.
     * {@code n} orders the insert, so ids follow the batch order (a scan of the staging table need not).
     */
    void message(int n, MessageRow m) {
        sb.append(n).append('\t');
        text(m.sourceId()).append('\t').append(m.timestampMicros()).append('\t');
        messageTail(m);
    }

    /**
     * Appends one {@code can_messages} row for COPY straight into the table: source_id, timestamp,
     * can_id, extended, node_id, message_type, dlc, raw_data, decoded_data.
     */
    void messageRow(MessageRow m) {
        text(m.sourceId()).append('\t');
        timestamp(m.timestampMicros()).append('\t');
        messageTail(m);
    }

    /**
     * Appends one legacy {@code can_messages} row with its preserved id: id, timestamp, can_id,
     * node_id, message_type, dlc, raw_data, decoded_data, created_at ({@link BulkLoader#COPY_MESSAGES}).
     */
    void legacyMessageRow(BulkLoader.Message r) {
        sb.append(r.id()).append('\t');
        timestamp(r.timestampMicros()).append('\t').append(r.canId()).append('\t');
        frameColumns(r.nodeId(), r.messageType(), r.dlc(), r.rawData(), r.decodedJson()).append('\t');
        if (r.createdAtMicros() == null) {
            sb.append("\\N");
        } else {
            timestamp(r.createdAtMicros());
        }
        sb.append('\n');
    }

    /** Characters buffered so far, for flushing a long COPY in chunks. */
    int length() {
        return sb.length();
    }

    /** The columns after the timestamp, common to both message row forms: can_id … decoded_data. */
    private void messageTail(MessageRow m) {
        sb.append(m.canId()).append('\t').append(m.extended() ? 't' : 'f').append('\t');
        frameColumns(m.nodeId(), m.messageType(), m.dlc(), m.rawData(), m.decodedJson()).append('\n');
    }

    /** node_id, message_type, dlc, raw_data, decoded_data: the columns every message row form has in this order. */
    private StringBuilder frameColumns(Integer nodeId, String messageType, int dlc, String rawData, String json) {
        if (nodeId == null) {
            sb.append("\\N");
        } else {
            sb.append(nodeId.intValue());
        }
        sb.append('\t');
        text(messageType).append('\t').append(dlc).append('\t');
        text(rawData).append('\t');
        return text(json);
    }

    /** Appends one {@code sensor_readings} row for COPY straight into the table: time, sensor, value. */
    void readingRow(BulkLoader.Reading r) {
        timestamp(r.timeMicros()).append('\t');
        text(r.sensor()).append('\t').append(r.value()).append('\n');
    }

    /** {@code YYYY-MM-DD HH:MM:SS.ffffff+00}, see {@link Times#appendUtc}. */
    private StringBuilder timestamp(long micros) {
        return Times.appendUtc(sb, micros);
    }

    /** Appends one staging row for a reading: ts_us, sensor, value (shortest repr that round-trips). */
    void reading(ReadingRow r) {
        sb.append(r.timeMicros()).append('\t');
        text(r.sensor()).append('\t').append(r.value()).append('\n');
    }

    private StringBuilder text(String s) {
        if (s == null) {
            return sb.append("\\N");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb;
    }

    byte[] bytes() {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
