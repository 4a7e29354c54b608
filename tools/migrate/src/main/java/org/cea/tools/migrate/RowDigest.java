package org.cea.tools.migrate;

/**
 * The canonical text of one message row, computed in Java from the source and in SQL from the
 * target, so per-id-range checksums can be compared: fields separated by {@code |}, integers in
 * decimal, times as epoch microseconds, text and JSON prefixed with their length in characters (so
 * no separator inside a value can shift a field), {@code N} for NULL, JSON in jsonb's text form.
 * Each row's text is hashed with MD5 on both sides; the first 8 bytes, as a signed big-endian
 * 64-bit integer, are XOR-ed over an id range. XOR needs no ordering, so PostgreSQL can compute it
 * with a parallel scan; the row count of the range, compared beside it, catches a duplicated row
 * (whose two hashes would cancel out).
 */
final class RowDigest {
    private RowDigest() {
    }

    /** The 64-bit row hash: first 8 bytes of MD5 of {@link #line}, big-endian, as {@link #SQL_HASH} computes it. */
    static long hash(java.security.MessageDigest md5, MessageRecord r) {
        byte[] d = md5.digest(line(r).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xFF);
        }
        return h;
    }

    /** The same text as {@link #SQL_LINE}, for a source row. */
    static String line(MessageRecord r) {
        StringBuilder sb = new StringBuilder(192);
        sb.append(r.id()).append('|').append(r.timestampMicros()).append('|').append(r.canId()).append('|');
        sb.append(r.nodeId() == null ? "N" : r.nodeId().toString()).append('|');
        counted(sb, r.messageType()).append('|').append(r.dlc()).append('|');
        counted(sb, r.rawData()).append('|');
        counted(sb, r.canonicalJson()).append('|');
        sb.append(r.createdAtMicros() == null ? "N" : r.createdAtMicros().toString());
        return sb.toString();
    }

    private static StringBuilder counted(StringBuilder sb, String s) {
        if (s == null) {
            return sb.append('N');
        }
        return sb.append(s.codePointCount(0, s.length())).append(':').append(s);
    }

    /** Epoch microseconds of a timestamptz column, exact (extract returns numeric since PostgreSQL 14). */
    static String micros(String column) {
        return "(extract(epoch from " + column + ") * 1000000)::bigint";
    }

    /** SQL expression producing {@link #line(MessageRecord)} for a {@code can_messages} row. */
    static final String SQL_LINE = "concat_ws('|', id, " + micros("\"timestamp\"") + ", can_id,"
            + " coalesce(node_id::text, 'N'),"
            + " coalesce(length(message_type) || ':' || message_type, 'N'), dlc,"
            + " coalesce(length(raw_data) || ':' || raw_data, 'N'),"
            + " coalesce(length(decoded_data::text) || ':' || decoded_data::text, 'N'),"
            + " coalesce(" + micros("created_at") + "::text, 'N'))";

    /** SQL expression of {@link #hash} for a {@code can_messages} row. */
    static final String SQL_HASH = "('x' || substr(md5(" + SQL_LINE + "), 1, 16))::bit(64)::bigint";

    /** {@link #SQL_HASH} for a row that already has its epoch microseconds as column {@code t}. */
    static final String SQL_HASH_OF_T = "('x' || substr(md5(" + SQL_LINE.replace(micros("\"timestamp\""), "t")
            + "), 1, 16))::bit(64)::bigint";
}
