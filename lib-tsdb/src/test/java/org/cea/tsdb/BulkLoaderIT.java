package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;

/** The bulk-load path on a real PostgreSQL: batches with the caller's hook in one transaction, index deferral. */
class BulkLoaderIT {
    /** A legacy row as can-migrate hands it over. */
    private record Legacy(long id, long timestampMicros, int canId, Integer nodeId, String messageType, int dlc,
                          String rawData, String decodedJson, Long createdAtMicros) implements BulkLoader.Message {
    }

    private final String db = TestServers.newDatabase("bulk");

    private String psql(String sql) {
        return TestServers.postgres().psql(db, "SET TIME ZONE 'UTC'; " + sql);
    }

    private BulkLoader open() {
        BulkLoader l = BulkLoader.open(TestServers.postgres().url(db), k -> null, "bulk-loader-it");
        l.ensureSchema();
        l.transaction("creating the ledger", c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS ledger (batch int)");
            }
            return null;
        });
        return l;
    }

    private static BulkLoader.Hook ledger(int batch) {
        return c -> {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO ledger VALUES (" + batch + ")");
            }
        };
    }

    @Test
    void aBatchAndItsHookCommitTogetherAndAFailedHookLeavesNothingOfTheBatch() {
        try (BulkLoader l = open()) {
            // date -u -d @1734001123 -> 2024-12-12 10:58:43; -1.5 s is 1969-12-31 23:59:58.5
            l.writeBatch("batch 1", List.of(
                    new Legacy(5, 1_734_001_123_123_456L, 0x101, 1, "PT100", 8, "00 11", "{\"t\": 1.50}", null),
                    new Legacy(7, -1_500_000L, 0x102, null, null, 2, "a\tb\\c", null, 1_734_001_123_000_000L)),
                    List.of(new ReadingRow(1_734_001_123_123_456L, "dry_bulb_b", 21.25)), ledger(1));
            assertEquals("5|2024-12-12 10:58:43.123456+00|257|1|PT100|8|00 11|{\"t\": 1.50}|",
                    psql("SELECT id, timestamp, can_id, node_id, message_type, dlc, raw_data, decoded_data, created_at"
                            + " FROM can_messages WHERE id = 5"));
            assertEquals("7|1969-12-31 23:59:58.5+00|||a\tb\\c||2024-12-12 10:58:43+00", psql("SELECT id, timestamp,"
                    + " node_id, message_type, raw_data, decoded_data, created_at FROM can_messages WHERE id = 7"));
            assertEquals("dry_bulb_b|21.25", psql("SELECT sensor, value FROM sensor_readings"));
            TsdbException e = assertThrows(TsdbException.class, () -> l.writeBatch("batch 2",
                    List.of(new Legacy(9, 0, 1, 1, "X", 0, "", null, null)), List.of(), c -> {
                        throw new SQLException("checkpoint refused", "23505");
                    }));
            assertTrue(e.getMessage().contains("writing batch 2") && e.getMessage().contains("23505"), e.getMessage());
            assertEquals("2|1", psql("SELECT (SELECT count(*) FROM can_messages), (SELECT count(*) FROM ledger)"));
        }
    }

    @Test
    void deferredIndexesAreRebuiltAtFinishAndTheSequencePassesTheFloor() {
        try (BulkLoader l = open()) {
            assertTrue(l.messagesEmpty());
            String before = psql("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes"
                    + " WHERE tablename = 'can_messages'");
            List<String> recorded = new ArrayList<>();
            List<String> dropped = l.deferIndexes((c, defs) -> recorded.addAll(defs));
            assertEquals(dropped.size(), recorded.size());
            assertTrue(dropped.size() >= 4, "the four secondary indexes of the schema, was " + dropped);
            assertEquals("0", psql("SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_can_messages_node_id'"));
            l.writeBatch("batch 1", List.of(new Legacy(41, 0, 1, 1, "X", 0, "", null, null)), List.of(), ledger(1));
            assertEquals(new BulkLoader.IdRangeRows(1, 41), l.rowsInIdRange(40, 100));
            l.finish(recorded, List.of(), 1000, ledger(2));
            assertEquals(before, psql("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes"
                    + " WHERE tablename = 'can_messages'"));
            assertEquals("2", psql("SELECT count(*) FROM ledger"));
            assertEquals("1001", psql("SELECT nextval(pg_get_serial_sequence('can_messages', 'id'))"));
        }
    }
}
