package org.cea.tools.migrate;

/**
 * Rows in PostgreSQL COPY text format: tab-separated, {@code \N} for NULL, backslash escapes for
 * backslash, tab, newline and carriage return. Appends to a caller's buffer so a batch allocates
 * one builder, not one string per field.
 */
final class CopyText {
    private CopyText() {
    }

    static void appendMessage(StringBuilder sb, MessageRecord r) {
        sb.append(r.id()).append('\t');
        Timestamps.appendUtc(sb, r.timestampMicros());
        sb.append('\t').append(r.canId()).append('\t');
        if (r.nodeId() == null) {
            sb.append("\\N");
        } else {
            sb.append(r.nodeId().intValue());
        }
        sb.append('\t');
        text(sb, r.messageType());
        sb.append('\t').append(r.dlc()).append('\t');
        text(sb, r.rawData());
        sb.append('\t');
        text(sb, r.decodedJson());
        sb.append('\t');
        if (r.createdAtMicros() == null) {
            sb.append("\\N");
        } else {
            Timestamps.appendUtc(sb, r.createdAtMicros());
        }
        sb.append('\n');
    }

    static void appendReading(StringBuilder sb, ReadingRecord r) {
        Timestamps.appendUtc(sb, r.timeMicros());
        sb.append('\t');
        text(sb, r.sensor());
        sb.append('\t').append(r.value()).append('\n');
    }

    static void text(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("\\N");
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\': sb.append("\\\\"); break;
                case '\t': sb.append("\\t"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                default: sb.append(c);
            }
        }
    }
}
