package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreBehaviour {
    @TempDir
    Path dir;

    @Override
    protected Store openFresh() {
        return Store.open(dir.resolve("can_data.db").toString());
    }

    private List<String> query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("can_data.db"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    @Test
    void usesWalModeAndTheLegacyTableUnchanged() throws SQLException {
        assertEquals(Backend.SQLITE, store.backend());
        assertEquals(List.of("wal"), query("PRAGMA journal_mode"));
        assertEquals(List.of("id", "timestamp", "can_id", "node_id", "message_type", "dlc", "raw_data", "decoded_data",
                "created_at"), query("SELECT name FROM pragma_table_info('can_messages')"));
        assertEquals(List.of("INTEGER", "REAL", "INTEGER", "INTEGER", "TEXT", "INTEGER", "TEXT", "TEXT", "TEXT"),
                query("SELECT type FROM pragma_table_info('can_messages')"));
    }

    @Test
    void legacyRowsWrittenByOtherProgramsAreRead() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("can_data.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO can_messages (timestamp, can_id, node_id, message_type, dlc, raw_data, decoded_data)"
                    + " VALUES (1710028800.25, 769, 3, 'PT100', 8, '0B 09 1C 07 00 00 00 01', NULL),"
                    + " (1710028801.5, 4660, NULL, NULL, 1, 'FF', NULL)");
        }
        List<StoredMessage> got = store.recentMessages(MessageQuery.latest(5));
        assertEquals(2, got.size());
        assertEquals(1_710_028_800_250_000L, got.get(0).timestampMicros());
        assertEquals(false, got.get(0).extended());
        // 0x1234 cannot be a standard id
        assertEquals(true, got.get(1).extended());
    }

    @Test
    void opensAFileMadeByTheLegacyScannerAndAddsOnlySideTables() throws SQLException {
        store.close();
        Path legacy = dir.resolve("legacy.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE can_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp REAL NOT NULL,"
                    + " can_id INTEGER NOT NULL, node_id INTEGER, message_type TEXT, dlc INTEGER NOT NULL,"
                    + " raw_data TEXT NOT NULL, decoded_data TEXT, created_at TEXT DEFAULT CURRENT_TIMESTAMP)");
            st.executeUpdate("INSERT INTO can_messages (timestamp, can_id, dlc, raw_data) VALUES (1710028800.0, 291, 1, '01')");
        }
        store = Store.open("jdbc:sqlite:" + legacy);
        assertEquals(new WriteResult(1, 0, 0, 0, List.of()), store.writeBatch(List.of(pt100("l-1", T0 + 1, 1, 1)), List.of()));
        assertEquals(2, store.recentMessages(MessageQuery.latest(5)).size());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master"
                     + " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)")) {
            rs.next();
            assertEquals("can_messages,ingested_entries,message_extended,sensor_readings", rs.getString(1));
        }
    }

    @Test
    void applySchemaOnAFilePathReportsSqlite() {
        assertEquals(Backend.SQLITE, Store.applySchema(dir.resolve("other.db").toString()));
        assertEquals(Backend.SQLITE, Store.applySchema("jdbc:sqlite:" + dir.resolve("other.db")));
    }

    @Test
    void reopeningKeepsDataAndSchema() {
        store.writeBatch(List.of(pt100("x-1", T0, 1, 1)), List.of(new ReadingRow(T0, "co2_b", 410)));
        store.close();
        store = openFresh();
        assertEquals(new WriteResult(0, 1, 0, 1, List.of()),
                store.writeBatch(List.of(pt100("x-1", T0, 1, 1)), List.of(new ReadingRow(T0, "co2_b", 410))));
    }
}
