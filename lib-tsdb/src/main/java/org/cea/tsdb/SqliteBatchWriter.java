package org.cea.tsdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;

/**
 * The rows of one batch into the legacy SQLite file: a message is skipped when its stream entry id
 * is in {@code ingested_entries}, extended frames are marked in {@code message_extended}, readings
 * go in with {@code INSERT OR IGNORE}. The caller ({@link SqliteStore}) owns the transaction.
 */
final class SqliteBatchWriter {
    private static final String INSERT_MESSAGE = "INSERT INTO can_messages (timestamp, can_id, node_id, message_type,"
            + " dlc, raw_data, decoded_data) VALUES (?, ?, ?, ?, ?, ?, ?)";

    private SqliteBatchWriter() {
    }

    /** counts: messages written, skipped, readings written, skipped. With {@code isolate} each row gets a savepoint. */
    static void writeAll(Connection c, BatchRows rows, int[] counts, boolean isolate) throws SQLException {
        try (PreparedStatement seen = c.prepareStatement("SELECT 1 FROM ingested_entries WHERE source_id = ?");
             PreparedStatement msg = c.prepareStatement(INSERT_MESSAGE);
             PreparedStatement ext = c.prepareStatement("INSERT INTO message_extended (message_id) VALUES (last_insert_rowid())");
             PreparedStatement ing = c.prepareStatement(
                     "INSERT INTO ingested_entries (source_id, message_id) VALUES (?, last_insert_rowid())");
             PreparedStatement rd = c.prepareStatement(
                     "INSERT OR IGNORE INTO sensor_readings (time, sensor, value) VALUES (?, ?, ?)")) {
            for (int k = 0; k < rows.messages.size(); k++) {
                Savepoint sp = isolate ? c.setSavepoint() : null;
                try {
                    boolean written = writeMessage(rows.messages.get(k), seen, msg, ext, ing);
                    counts[written ? 0 : 1]++;
                    release(c, sp);
                } catch (SQLException e) {
                    if (sp == null || !SqlErrors.isBadData(e)) {
                        throw e;
                    }
                    c.rollback(sp);
                    rows.rejectMessage(k, e);
                }
            }
            writeReadings(c, rows, rd, counts, isolate);
        }
    }

    private static boolean writeMessage(MessageRow m, PreparedStatement seen, PreparedStatement msg,
                                        PreparedStatement ext, PreparedStatement ing) throws SQLException {
        if (m.sourceId() != null) {
            seen.setString(1, m.sourceId());
            try (ResultSet rs = seen.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        msg.setDouble(1, m.timestampMicros() / 1e6);
        msg.setInt(2, m.canId());
        if (m.nodeId() == null) {
            msg.setNull(3, Types.INTEGER);
        } else {
            msg.setInt(3, m.nodeId());
        }
        msg.setString(4, m.messageType());
        msg.setInt(5, m.dlc());
        msg.setString(6, m.rawData());
        msg.setString(7, m.decodedJson());
        msg.executeUpdate();
        if (m.extended() && m.canId() <= 0x7FF) {
            ext.executeUpdate();
        }
        if (m.sourceId() != null) {
            ing.setString(1, m.sourceId());
            ing.executeUpdate();
        }
        return true;
    }

    private static void writeReadings(Connection c, BatchRows rows, PreparedStatement rd, int[] counts, boolean isolate)
            throws SQLException {
        for (int k = 0; k < rows.readings.size(); k++) {
            ReadingRow r = rows.readings.get(k);
            rd.setLong(1, r.timeMicros());
            rd.setString(2, r.sensor());
            rd.setDouble(3, r.value());
            if (!isolate) {
                rd.addBatch();
                continue;
            }
            Savepoint sp = c.setSavepoint();
            try {
                counts[rd.executeUpdate() == 1 ? 2 : 3]++;
                release(c, sp);
            } catch (SQLException e) {
                if (!SqlErrors.isBadData(e)) {
                    throw e;
                }
                c.rollback(sp);
                rows.rejectReading(k, e);
            }
        }
        if (!isolate && !rows.readings.isEmpty()) {
            for (int n : rd.executeBatch()) {
                counts[n == 1 ? 2 : 3]++;
            }
        }
    }

    private static void release(Connection c, Savepoint sp) throws SQLException {
        if (sp != null) {
            c.releaseSavepoint(sp);
        }
    }
}
