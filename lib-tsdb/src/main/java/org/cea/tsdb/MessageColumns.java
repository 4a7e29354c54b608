package org.cea.tsdb;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The columns of a {@link StoredMessage} as each dialect selects and reads them: the one row builder
 * of {@code recentMessages} and {@code exportMessages} on both stores. The dialects differ in three
 * named places: where the columns come from ({@link #select}: PostgreSQL's own columns, SQLite's join
 * with {@code message_extended} and {@code ingested_entries}), the alias of {@code can_messages} in
 * it ({@link #alias}, for the filter), and how the timestamp reads ({@link #micros}).
 */
enum MessageColumns {
    /** {@code timestamptz} read as epoch microseconds by the server, {@code decoded_data} as jsonb text. */
    POSTGRES("SELECT id, (extract(epoch FROM timestamp) * 1000000)::bigint, can_id, extended, node_id, message_type,"
            + " dlc, raw_data, decoded_data::text, source_id FROM can_messages", "") {
        @Override
        long micros(ResultSet rs, int column) throws SQLException {
            return rs.getLong(column);
        }
    },
    /** REAL epoch seconds, rounded to the microsecond meant ({@link Times#secondsToMicros}). */
    SQLITE("SELECT m.id, m.timestamp, m.can_id, (m.can_id > 2047 OR x.message_id IS NOT NULL), m.node_id,"
            + " m.message_type, m.dlc, m.raw_data, m.decoded_data, i.source_id FROM can_messages m"
            + " LEFT JOIN message_extended x ON x.message_id = m.id"
            + " LEFT JOIN ingested_entries i ON i.message_id = m.id", "m.") {
        @Override
        long micros(ResultSet rs, int column) throws SQLException {
            return Times.secondsToMicros(rs.getDouble(column));
        }
    };

    /** {@code SELECT <the ten columns> FROM can_messages ...}, to be followed by a WHERE clause. */
    final String select;
    /** The alias of {@code can_messages} in {@link #select}, with its dot, or "". */
    final String alias;

    MessageColumns(String select, String alias) {
        this.select = select;
        this.alias = alias;
    }

    /** The timestamp column as epoch microseconds. */
    abstract long micros(ResultSet rs, int column) throws SQLException;

    /** The current row of a statement built on {@link #select}. */
    StoredMessage row(ResultSet rs) throws SQLException {
        int node = rs.getInt(5);
        Integer nodeId = rs.wasNull() ? null : node;
        return new StoredMessage(rs.getLong(1), micros(rs, 2), rs.getInt(3), rs.getBoolean(4), nodeId, rs.getString(6),
                rs.getInt(7), rs.getString(8), rs.getString(9), rs.getString(10));
    }
}
