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

    /** The columns after the timestamp, common to both message row forms: can_id … decoded_data. */
    private void messageTail(MessageRow m) {
        sb.append(m.canId()).append('\t').append(m.extended() ? 't' : 'f').append('\t');
        if (m.nodeId() == null) {
            sb.append("\\N");
        } else {
            sb.append(m.nodeId().intValue());
        }
        sb.append('\t');
        text(m.messageType()).append('\t').append(m.dlc()).append('\t');
        text(m.rawData()).append('\t');
        text(m.decodedJson()).append('\n');
    }

    /** Appends one {@code sensor_readings} row for COPY straight into the table: time, sensor, value. */
    void readingRow(ReadingRow r) {
        timestamp(r.timeMicros()).append('\t');
        text(r.sensor()).append('\t').append(r.value()).append('\n');
    }

    /**
     * {@code YYYY-MM-DD HH:MM:SS.ffffff+00} without java.time objects (days to civil date after
     * H. Hinnant's {@code civil_from_days}); micros is 0..{@link Times#MAX_MICROS}.
     */
    private StringBuilder timestamp(long micros) {
        long days = micros / 86_400_000_000L;
        long rest = micros % 86_400_000_000L;
        long z = days + 719_468;
        long era = z / 146_097;
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        pad(year, 4).append('-');
        pad(month, 2).append('-');
        pad(day, 2).append(' ');
        pad(rest / 3_600_000_000L, 2).append(':');
        pad(rest / 60_000_000L % 60, 2).append(':');
        pad(rest / 1_000_000L % 60, 2).append('.');
        return pad(rest % 1_000_000L, 6).append("+00");
    }

    private StringBuilder pad(long v, int width) {
        long limit = 1;
        for (int i = 1; i < width; i++) {
            limit *= 10;
        }
        while (limit > 1 && v < limit) {
            sb.append('0');
            limit /= 10;
        }
        return sb.append(v);
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
