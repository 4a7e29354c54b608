package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;

class PostgresStoreIT extends StoreBehaviour {
    private String db;

    @Override
    protected Store openFresh() {
        db = TestServers.newDatabase("tsdb");
        return Store.open(TestServers.postgres().url(db));
    }

    private String psql(String sql) {
        return TestServers.postgres().psql(db, sql);
    }

    private static final String CATALOG = "SELECT string_agg(x, ',' ORDER BY x) FROM ("
            + " SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable AS x"
            + " FROM information_schema.columns WHERE table_schema = 'public'"
            + " UNION ALL SELECT indexname || '=' || indexdef FROM pg_indexes WHERE schemaname = 'public') c";

    @Test
    void schemaAppliesTwiceWithoutChanges() {
        String before = psql(CATALOG);
        assertEquals(store.backend(), Store.applySchema(TestServers.postgres().url(db)));
        assertEquals(store.backend(), Store.applySchema(TestServers.postgres().url(db)));
        assertEquals(before, psql(CATALOG));
        // the mission's columns in order, then the additive ones
        assertEquals("id,timestamp,can_id,node_id,message_type,dlc,raw_data,decoded_data,created_at,source_id,extended",
                psql("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns"
                        + " WHERE table_name = 'can_messages'"));
        assertEquals("bigint,timestamp with time zone,integer,integer,text,integer,text,jsonb,timestamp with time zone,text,boolean",
                psql("SELECT string_agg(data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns"
                        + " WHERE table_name = 'can_messages'"));
        for (String idx : List.of("idx_can_messages_timestamp", "idx_can_messages_node_id",
                "idx_can_messages_message_type", "idx_can_messages_can_id", "can_messages_source_id_key",
                "sensor_readings_sensor_time_key")) {
            assertEquals("1", psql("SELECT count(*) FROM pg_indexes WHERE indexname = '" + idx + "'"), idx);
        }
        assertTrue(psql("SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_can_messages_timestamp'").contains("DESC"));
    }

    @Test
    void servicesOpeningAnEmptyDatabaseAtOnceAllSucceed() throws Exception {
        String fresh = TestServers.newDatabase("race");
        List<java.util.concurrent.Callable<Backend>> opens = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            opens.add(() -> {
                try (Store s = Store.open(TestServers.postgres().url(fresh))) {
                    return s.backend();
                }
            });
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (java.util.concurrent.Future<Backend> f : pool.invokeAll(opens)) {
                assertEquals(store.backend(), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("1", TestServers.postgres().psql(fresh, "SELECT count(*) FROM pg_tables WHERE tablename = 'can_messages'"));
    }

    @Test
    void upgradesADatabaseMadeByTheOriginalSetup() {
        String old = TestServers.newDatabase("original");
        TestServers.postgres().psql(old, "CREATE TABLE can_messages (id BIGSERIAL, timestamp TIMESTAMPTZ NOT NULL,"
                + " can_id INTEGER NOT NULL, node_id INTEGER, message_type TEXT, dlc INTEGER NOT NULL,"
                + " raw_data TEXT NOT NULL, decoded_data JSONB, created_at TIMESTAMPTZ DEFAULT NOW());"
                + " INSERT INTO can_messages (timestamp, can_id, node_id, message_type, dlc, raw_data)"
                + " VALUES ('2024-03-10 00:00:00+00', 257, 1, 'PT100', 8, '00 00 00 00 00 00 00 00')");
        Store.applySchema(TestServers.postgres().url(old));
        try (Store s = Store.open(TestServers.postgres().url(old))) {
            StoredMessage m = s.recentMessages(MessageQuery.latest(5)).get(0);
            assertEquals(T0, m.timestampMicros());
            assertFalse(m.extended());
            assertEquals(null, m.sourceId());
            assertEquals(1, s.writeBatch(List.of(pt100("u-1", T0 + 1, 1, 1)), List.of()).messagesWritten());
        }
    }

    @Test
    void theBackendIsTheOneTheClusterRuns() {
        // the test cluster preloads TimescaleDB where it is installed (-Dcea.pg.timescale=off: never)
        if (TestServers.postgres().timescale()) {
            assertEquals(Backend.TIMESCALEDB, store.backend());
            assertEquals("0", psql("SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_sensor_readings_time_brin'"));
        } else {
            assertEquals(Backend.POSTGRES, store.backend());
            assertEquals("1", psql("SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_sensor_readings_time_brin'"));
        }
        assertTrue(store.toString().contains("postgresql://postgres@127.0.0.1:"), store.toString());
    }

    @Test
    void decodedDataIsJsonbAndTimestampsKeepMicroseconds() {
        store.writeBatch(List.of(pt100("p-1", T0 + 654_321, 2, 5)), List.of(new ReadingRow(T0 + 7, "co2_b", 401.25)));
        assertEquals("object|18.2|2024-03-10 00:00:00.654321+00",
                psql("SET TIME ZONE 'UTC'; SELECT jsonb_typeof(decoded_data) || '|' || (decoded_data->>'temp_wet_c')"
                        + " || '|' || timestamp FROM can_messages"));
        assertEquals("2024-03-10 00:00:00.000007+00|co2_b|401.25",
                psql("SET TIME ZONE 'UTC'; SELECT time || '|' || sensor || '|' || value FROM sensor_readings"));
    }

    @Test
    void aRowThePostgresRefusesIsRejectedAndTheRestOfTheBatchIsWritten() {
        // valid JSON syntax, but beyond the numeric range of JSONB: only the database can refuse it
        MessageRow huge = new MessageRow("h-2", T0 + 2, 0x101, false, 1, "PT100", 8, "00 00 00 00 00 00 00 02",
                "{\"temp_dry_c\":1e999999}");
        WriteResult w = store.writeBatch(List.of(pt100("h-1", T0 + 1, 1, 1), huge, pt100("h-3", T0 + 3, 1, 3)),
                List.of(new ReadingRow(T0, "co2_b", 400)));
        assertEquals(2, w.messagesWritten());
        assertEquals(1, w.readingsWritten());
        assertEquals(1, w.rejectedCount());
        Rejection rej = w.rejected().get(0);
        assertEquals(Rejection.Table.MESSAGES, rej.table());
        assertEquals(1, rej.index());
        assertEquals("h-2", rej.sourceId());
        assertTrue(rej.sqlState().startsWith("22"), rej.toString());
        assertTrue(rej.message().contains("can_id 0x101 at " + (T0 + 2) + " us"), rej.toString());
        assertEquals("h-1,h-3", psql("SELECT string_agg(source_id, ',' ORDER BY id) FROM can_messages"));
        // the batch can be replayed: the good rows are skipped, the bad one is rejected again
        WriteResult again = store.writeBatch(List.of(pt100("h-1", T0 + 1, 1, 1), huge, pt100("h-3", T0 + 3, 1, 3)),
                List.of());
        assertEquals(new WriteResult(0, 2, 0, 0, again.rejected()), again);
        assertEquals(1, again.rejectedCount());
    }

    @Test
    void unreachableServerIsUnavailableAndThePasswordIsNotShown() {
        int port = Processes.freePort();
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> Store.open("postgresql://cea_writer:hunter2@127.0.0.1:" + port + "/cea_sensors"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void missingDatabaseIsNotUnavailable() {
        PostgresCluster pg = TestServers.postgres();
        TsdbException e = assertThrows(TsdbException.class, () -> Store.open(pg.url("no_such_db")));
        assertFalse(e instanceof StoreUnavailableException, e.toString());
        assertTrue(e.getMessage().contains("3D000"), e.getMessage());
    }
}
