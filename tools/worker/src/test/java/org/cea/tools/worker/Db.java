package org.cea.tools.worker;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Counting queries for the ITs, by plain JDBC (PostgreSQL or SQLite). */
final class Db {
    private Db() {
    }

    /** The first column of the first row as a long; -1 while the table does not exist or the server is down. */
    static long scalar(String jdbcUrl, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Rows in can_messages. */
    static long messages(String jdbcUrl) {
        return scalar(jdbcUrl, "SELECT count(*) FROM can_messages");
    }

    /**
     * Asserts can_messages holds exactly {@code frames} rows, each frame once (by stream entry id and
     * by (can_id, timestamp): the fixtures give every frame its own timestamp), and sensor_readings
     * exactly {@code readings} rows.
     */
    static void assertExactlyOnce(String jdbcUrl, long frames, long readings) {
        long rows = messages(jdbcUrl);
        // PostgreSQL keeps the stream entry id in can_messages; the legacy SQLite table is unchanged
        // and the ids live beside it in ingested_entries
        long ids = jdbcUrl.startsWith("jdbc:sqlite:")
                ? scalar(jdbcUrl, "SELECT count(DISTINCT e.source_id) FROM ingested_entries e JOIN can_messages m ON m.id = e.message_id")
                : scalar(jdbcUrl, "SELECT count(DISTINCT source_id) FROM can_messages");
        long frameKeys = scalar(jdbcUrl, "SELECT count(*) FROM (SELECT DISTINCT can_id, timestamp FROM can_messages) t");
        long readingRows = scalar(jdbcUrl, "SELECT count(*) FROM sensor_readings");
        String detail = "can_messages=" + rows + " distinct source ids=" + ids + " distinct frames=" + frameKeys
                + " sensor_readings=" + readingRows + "; expected frames=" + frames + " readings=" + readings;
        if (rows != frames || ids != frames || frameKeys != frames || readingRows != readings) {
            throw new AssertionError("loss or duplicates: " + detail);
        }
    }
}
