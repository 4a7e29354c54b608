package org.cea.tools.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.cea.redisio.ConsistencyStatus;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.MessageRow;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * can-consistency against a legacy SQLite file written as the scanner writes it and a PostgreSQL
 * database written as the worker writes it: five minutes of 2026-01-01 10:00..10:05 UTC, CAN ids
 * 0x101 and 0x202, four rows each per minute at seconds 5, 20, 35, 50 (+1 µs); raw_data names the
 * node, minute and second ({@code 01 03 00 50 00 00 00 00}). Expected reports are written out by hand.
 */
class ConsistencyIT {
    /** 2026-01-01T10:00:00Z. */
    private static final long BASE_US = 1_767_261_600_000_000L;
    private static final long NOON_MS = 1_767_268_800_000L;
    private static final int[] SECONDS = {5, 20, 35, 50};
    private static final String RANGE = "--from=2026-01-01T10:00Z";

    private Path dir;
    private String legacy;
    private String db;
    private String database;
    private RedisServer redis;

    private static String raw(int canId, int minute, int second) {
        return String.format(Locale.ROOT, "%02X %02X 00 %02d 00 00 00 00", canId >> 8, minute, second);
    }

    private static long at(int minute, int second) {
        return BASE_US + minute * 60_000_000L + second * 1_000_000L + 1;
    }

    @BeforeEach
    void write() {
        dir = Processes.tempDir("cea-consistency-");
        legacy = dir.resolve("can_messages.db").toString();
        db = TestServers.newDatabase("consistency");
        database = TestServers.postgres().url(db);
        redis = TestServers.redis();
        List<MessageRow> plain = new ArrayList<>();
        List<MessageRow> entries = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            for (int id : new int[] {0x101, 0x202}) {
                for (int s : SECONDS) {
                    plain.add(new MessageRow(null, at(m, s), id, false, id >> 8, "PT100", 8, raw(id, m, s), null));
                    entries.add(new MessageRow(at(m, s) / 1000 + "-" + id, at(m, s), id, false, id >> 8, "PT100", 8,
                            raw(id, m, s), null));
                }
            }
        }
        try (Store l = Store.open(legacy); Store d = Store.open(database)) {
            assertEquals(40, l.writeBatch(plain, List.of()).messagesWritten());
            assertEquals(40, d.writeBatch(entries, List.of()).messagesWritten());
        }
    }

    @AfterEach
    void cleanup() {
        Processes.deleteTree(dir);
    }

    private ConsistencyCliTest.Run run(long nowMillis, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--legacy", legacy, "--db-url", database));
        if (!List.of(args).contains("--no-record")) {
            all.addAll(List.of("--redis-url", redis.url()));
        }
        all.addAll(List.of(args));
        int exit = new ConsistencyCli(() -> nowMillis, System::nanoTime, ZoneId.of("UTC")).run(all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), false);
        return new ConsistencyCliTest.Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Map<String, String> recorded() {
        try (JedisPooled jedis = new JedisPooled(redis.url())) {
            return jedis.hgetAll(ConsistencyStatus.KEY);
        }
    }

    private void sqlite(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy); Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate(sql), sql);
        }
    }

    /** Deletes from PostgreSQL, changes a row in SQLite, duplicates one in PostgreSQL. */
    private void breakThreeMinutes() throws SQLException {
        PostgresCluster pg = TestServers.postgres();
        pg.psql(db, "DELETE FROM can_messages WHERE can_id = 257 AND raw_data = '" + raw(0x101, 0, 20) + "'");
        sqlite("UPDATE can_messages SET raw_data = 'FF FF FF FF FF FF FF FF' WHERE can_id = 514 AND raw_data = '"
                + raw(0x202, 1, 35) + "'");
        pg.psql(db, "INSERT INTO can_messages (timestamp, can_id, node_id, message_type, dlc, raw_data)"
                + " SELECT timestamp, can_id, node_id, message_type, dlc, raw_data FROM can_messages"
                + " WHERE can_id = 257 AND raw_data = '" + raw(0x101, 3, 50) + "'");
    }

    @Test
    void equalPathsExitZeroWithOneSummaryLineAndAreRecorded() throws Exception {
        ConsistencyCliTest.Run r = run(NOON_MS, RANGE, "--to=2026-01-01T10:05Z");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(List.of("legacy   jdbc:sqlite:" + legacy + " (SQLITE)",
                "range    2026-01-01 10:00+00:00 .. 2026-01-01 10:05+00:00 (5 minutes)"),
                List.of(lines.get(0), lines.get(2)));
        assertTrue(lines.get(1).startsWith("database postgresql://postgres@127.0.0.1:"), r.out());
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(3).startsWith("can-consistency: EQUAL 2026-01-01 10:00+00:00..2026-01-01 10:05+00:00:"
                + " 5 minutes compared, 0 differ, 0 open; legacy 40 rows, database 40 rows; "), lines.get(3));
        Map<String, String> h = recorded();
        assertEquals("equal", h.get("result"));
        assertEquals(Long.toString(BASE_US / 1000), h.get("from"));
        assertEquals(Long.toString(BASE_US / 1000 + 300_000), h.get("to"));
        assertEquals("5", h.get("minutes_compared"));
        assertEquals("40", h.get("legacy_rows"));
        assertEquals(Long.toString(BASE_US / 1000 + 240_000), h.get("newest_minute"));
        assertEquals("8", h.get("newest_minute_database_rows"));
        assertEquals("", h.get("newest_difference"));

        ConsistencyCliTest.Run quiet = run(NOON_MS, RANGE, "--to=2026-01-01T10:05Z", "--quiet", "--no-record");
        assertEquals(0, quiet.exit());
        assertEquals(1, quiet.out().lines().count(), quiet.out());
        assertTrue(quiet.out().startsWith("can-consistency: EQUAL "), quiet.out());
    }

    @Test
    void aDeletedAChangedAndADuplicatedRowAreEachNamedWithMinuteCanIdSideAndValues() throws Exception {
        breakThreeMinutes();
        ConsistencyCliTest.Run r = run(NOON_MS, RANGE, "--to=2026-01-01T10:05Z");
        assertEquals(1, r.exit(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(List.of(
                "DIFFERS 2026-01-01 10:00+00:00 0x101: legacy 4 rows, database 3 rows",
                "  only in legacy: 1 row",
                "    2026-01-01 10:00:20.000001+00:00 dlc 8 [01 00 00 20 00 00 00 00]",
                "  only in database: none",
                "DIFFERS 2026-01-01 10:01+00:00 0x202: legacy 4 rows, database 4 rows",
                "  only in legacy: 1 row",
                "    2026-01-01 10:01:35.000001+00:00 dlc 8 [FF FF FF FF FF FF FF FF]",
                "  only in database: 1 row",
                "    2026-01-01 10:01:35.000001+00:00 dlc 8 [02 01 00 35 00 00 00 00]",
                "DIFFERS 2026-01-01 10:03+00:00 0x101: legacy 4 rows, database 5 rows",
                "  only in legacy: none",
                "  only in database: 1 row",
                "    2026-01-01 10:03:50.000001+00:00 dlc 8 [01 03 00 50 00 00 00 00]"),
                lines.subList(3, lines.size() - 1));
        assertTrue(lines.get(lines.size() - 1).startsWith("can-consistency: DIFFER 2026-01-01 10:00+00:00..2026-01-01"
                + " 10:05+00:00: 5 minutes compared, 3 differ, 0 open; legacy 40 rows, database 40 rows; newest"
                + " difference 2026-01-01 10:03+00:00 0x101; "), r.out());
        Map<String, String> h = recorded();
        assertEquals("differ", h.get("result"));
        assertEquals("3", h.get("minutes_differ"));
        assertEquals("2026-01-01 10:03+00:00 0x101: legacy 4 rows, database 5 rows; only in legacy 0; only in database"
                + " 1, first 2026-01-01 10:03:50.000001+00:00 dlc 8 [01 03 00 50 00 00 00 00]", h.get("newest_difference"));
        assertEquals(Long.toString(BASE_US / 1000 + 180_000), h.get("newest_difference_minute"));
    }

    @Test
    void theJsonReportNamesTheSameDifferencesWithTheirRows() throws Exception {
        breakThreeMinutes();
        ConsistencyCliTest.Run r = run(NOON_MS, RANGE, "--to=2026-01-01T10:05Z", "--json", "--no-record");
        assertEquals(1, r.exit(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("differ", o.get("result").getAsString());
        assertEquals("2026-01-01T10:00:00.000000Z", o.get("from").getAsString());
        assertEquals("SQLITE", o.getAsJsonObject("legacy").get("backend").getAsString());
        // the test cluster runs TimescaleDB where it is installed (test-support PostgresCluster)
        assertEquals(TestServers.postgres().timescale() ? "TIMESCALEDB" : "POSTGRES",
                o.getAsJsonObject("database").get("backend").getAsString());
        JsonArray d = o.getAsJsonArray("differences");
        assertEquals(3, d.size());
        JsonObject changed = d.get(1).getAsJsonObject();
        assertEquals("2026-01-01T10:01:00.000000Z", changed.get("minute").getAsString());
        assertEquals(BASE_US / 1000 + 60_000, changed.get("minute_ms").getAsLong());
        assertEquals(514, changed.get("can_id").getAsInt());
        assertEquals("0x202", changed.get("can_id_hex").getAsString());
        JsonObject legacyRow = changed.getAsJsonObject("only_in_legacy").getAsJsonArray("rows").get(0).getAsJsonObject();
        assertEquals("2026-01-01T10:01:35.000001Z", legacyRow.get("timestamp").getAsString());
        assertEquals(at(1, 35), legacyRow.get("timestamp_us").getAsLong());
        assertEquals("FF FF FF FF FF FF FF FF", legacyRow.get("raw_data").getAsString());
        assertEquals(8, legacyRow.get("dlc").getAsInt());
        assertEquals("02 01 00 35 00 00 00 00", changed.getAsJsonObject("only_in_database").getAsJsonArray("rows").get(0)
                .getAsJsonObject().get("raw_data").getAsString());
        assertEquals(0, d.get(2).getAsJsonObject().getAsJsonObject("only_in_legacy").get("total").getAsInt());
        assertEquals(1, d.get(2).getAsJsonObject().getAsJsonObject("only_in_database").get("total").getAsInt());
        assertEquals(5, o.getAsJsonObject("minutes").get("compared").getAsInt());
        assertEquals(2, o.getAsJsonObject("minutes").get("equal").getAsInt());
        assertEquals(40, o.getAsJsonObject("rows").get("database").getAsInt());
        assertTrue(o.get("summary").getAsString().startsWith("can-consistency: DIFFER "));
    }

    @Test
    void minutesStillBeingWrittenAreOpenNotDifferentEvenWhileTheLegacyFileIsWritten() throws Exception {
        breakThreeMinutes();
        // at 10:04:30 with the default 60 s settle time, 10:03 and 10:04 are still open
        long now = BASE_US / 1000 + 270_000;
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (Store l = Store.open(legacy)) {
                for (int i = 0; i < 200; i++) {
                    l.writeBatch(List.of(new MessageRow(null, at(4, 55) + i, 0x303, false, 3, "PT100", 8, raw(0x303, 4, 55),
                            null)), List.of());
                }
            } catch (RuntimeException e) {
                failed.set(e);
            }
        }, "scanner-like-writer");
        writer.start();
        ConsistencyCliTest.Run r = run(now, RANGE, "--to=2026-01-01T10:05Z", "--rows=0");
        writer.join();
        assertNull(failed.get());
        assertEquals(1, r.exit(), r.out());
        List<String> lines = r.out().lines().toList();
        assertEquals("range    2026-01-01 10:00+00:00 .. 2026-01-01 10:05+00:00 (5 minutes; open from"
                + " 2026-01-01 10:03+00:00)", lines.get(2));
        assertTrue(lines.contains("open    2026-01-01 10:03+00:00: legacy 8 rows, database 9 rows (still being written:"
                + " not compared)"), r.out());
        assertFalse(r.out().contains("DIFFERS 2026-01-01 10:03"), r.out());
        assertTrue(r.out().contains("DIFFERS 2026-01-01 10:01+00:00 0x202"), r.out());
        assertTrue(lines.contains("    … not listed (see --rows)"), r.out());
        assertTrue(lines.get(lines.size() - 1).contains(": 3 minutes compared, 2 differ, 2 open; legacy 24 rows,"
                + " database 23 rows; newest difference 2026-01-01 10:01+00:00 0x202; "), r.out());
        assertEquals("2", recorded().get("minutes_open"));
    }

    @Test
    void overManyChunksTheDifferencesComeInTimeOrderWithTheirRows() throws Exception {
        // two more hours, one row every 30 s: 16 chunks of 15 minutes, read over two database connections
        List<MessageRow> plain = new ArrayList<>();
        List<MessageRow> entries = new ArrayList<>();
        for (int m = 5; m < 125; m++) {
            for (int s : new int[] {10, 40}) {
                plain.add(new MessageRow(null, at(m, s), 0x404, false, 4, "LAB", 8, raw(0x404, m, s), null));
                entries.add(new MessageRow("x-" + m + "-" + s, at(m, s), 0x404, false, 4, "LAB", 8, raw(0x404, m, s),
                        null));
            }
        }
        try (Store l = Store.open(legacy); Store d = Store.open(database)) {
            l.writeBatch(plain, List.of());
            d.writeBatch(entries, List.of());
        }
        // 10:47:40 (chunk 4) missing from the database, 11:58:10 (chunk 8) only in it, 12:04:10 (the last chunk) too
        TestServers.postgres().psql(db, "DELETE FROM can_messages WHERE can_id = 1028 AND raw_data = '" + raw(0x404, 47, 40) + "'");
        sqlite("DELETE FROM can_messages WHERE can_id = 1028 AND raw_data = '" + raw(0x404, 118, 10) + "'");
        sqlite("DELETE FROM can_messages WHERE can_id = 1028 AND raw_data = '" + raw(0x404, 124, 10) + "'");
        ConsistencyCliTest.Run r = run(NOON_MS + 3_600_000, RANGE, "--to=2026-01-01T12:05Z");
        assertEquals(1, r.exit(), r.out() + r.err());
        List<String> differs = r.out().lines().filter(l -> l.startsWith("DIFFERS") || l.startsWith("    2026")).toList();
        assertEquals(List.of("DIFFERS 2026-01-01 10:47+00:00 0x404: legacy 2 rows, database 1 row",
                "    2026-01-01 10:47:40.000001+00:00 dlc 8 [04 2F 00 40 00 00 00 00]",
                "DIFFERS 2026-01-01 11:58+00:00 0x404: legacy 1 row, database 2 rows",
                "    2026-01-01 11:58:10.000001+00:00 dlc 8 [04 76 00 10 00 00 00 00]",
                "DIFFERS 2026-01-01 12:04+00:00 0x404: legacy 1 row, database 2 rows",
                "    2026-01-01 12:04:10.000001+00:00 dlc 8 [04 7C 00 10 00 00 00 00]"), differs);
        assertTrue(r.out().lines().toList().get(r.out().lines().toList().size() - 1).contains(": 125 minutes compared,"
                + " 3 differ, 0 open; legacy 278 rows, database 279 rows;"), r.out());
    }

    @Test
    void anUnreachableDatabaseExitsThreeAndIsRecordedAsAnError() {
        String down = "postgresql://cea_reader:secret@127.0.0.1:" + Processes.freePort() + "/cea_sensors";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new ConsistencyCli(() -> NOON_MS, System::nanoTime, ZoneId.of("UTC")).run(new String[] {"--legacy",
            legacy, "--redis-url", redis.url()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("DB_URL", down), false);
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(3, exit, e);
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith("can-consistency: ") && e.contains("127.0.0.1") && !e.contains("secret"), e);
        Map<String, String> h = recorded();
        assertEquals("error", h.get("result"));
        assertFalse(h.get("error").isEmpty());
        assertFalse(h.toString().contains("secret"), h.toString());
        assertEquals("jdbc:sqlite:" + legacy, h.get("legacy"));
        assertTrue(h.get("database").startsWith("postgresql://cea_reader:***@127.0.0.1:"), h.get("database"));
    }
}
