package org.cea.tools.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * can-migrate against a private PostgreSQL with generated legacy files. Values that arrive are
 * checked by SQL restating the generator's formulas ({@link LegacyDb}) and by literal expected
 * values for the awkward rows, never by the tool's own verifier.
 */
class MigrateIT {
    private static final long ROWS = 200_000;
    /** Awkward rows that must be quarantined: id to (SQLite SET clause, expected reason fragment). */
    private static final Map<Long, String[]> QUARANTINED = new LinkedHashMap<>();
    /** Awkward rows that must arrive: id to (SQLite SET clause, PostgreSQL predicate of the expected value). */
    private static final Map<Long, String[]> AWKWARD_OK = new LinkedHashMap<>();

    static {
        q(1_001, "timestamp = NULL", "timestamp is NULL");
        q(6_004, "timestamp = 9e999", "timestamp must be finite");
        q(11_007, "timestamp = 'yesterday'", "timestamp is TEXT 'yesterday'");
        q(16_010, "decoded_data = '{''temp'': 1}'", "decoded_data is not valid JSON");
        q(21_013, "decoded_data = '{\"a\": 1'", "decoded_data is not valid JSON");
        q(26_016, "decoded_data = '\"\\u0000\"'", "\\u0000 cannot be stored in jsonb");
        q(31_019, "can_id = NULL", "can_id is NULL");
        q(36_022, "raw_data = NULL", "raw_data is NULL");
        q(41_025, "dlc = NULL", "dlc is NULL");
        q(46_028, "created_at = 'garbage'", "created_at: not a SQLite date-time");
        q(51_031, "decoded_data = ''", "decoded_data is not valid JSON");
        ok(56_034, "timestamp = 1734001123.123457", "\"timestamp\" = '2024-12-12 10:58:43.123457+00'");
        ok(61_037, "timestamp = 1734001123", "\"timestamp\" = '2024-12-12 10:58:43+00'");
        ok(66_040, "timestamp = -1.5", "\"timestamp\" = '1969-12-31 23:59:58.5+00'");
        ok(71_043, "timestamp = 1734001123.999999", "\"timestamp\" = '2024-12-12 10:58:43.999999+00'");
        ok(76_046, "message_type = 'tab' || char(9) || 'x' || char(10) || 'y|z\\w' || char(13)",
                "message_type = E'tab\\tx\\ny|z\\\\w\\r'");
        ok(81_049, "decoded_data = '{\"z\": [1, 2.50, {\"b\": null, \"a\": true}], \"é\": \"ü\\u00e9\\n\", \"a\": 1e2, \"a\": 3}'",
                "decoded_data::text = '{\"a\": 3, \"z\": [1, 2.50, {\"a\": true, \"b\": null}], \"é\": \"üé\\n\"}'");
        ok(86_052, "created_at = NULL", "created_at IS NULL");
        ok(91_055, "created_at = '2024-12-12 10:58:43.250'", "created_at = '2024-12-12 10:58:43.25+00'");
        ok(96_058, "raw_data = '\uD83C\uDF31 AA'", "raw_data = '\uD83C\uDF31 AA'");
        ok(101_061, "decoded_data = '{\"big\": 12345678901234567890, \"neg\": -0.0, \"exp\": 1.5E-3}'",
                "decoded_data::text = '{\"big\": 12345678901234567890, \"exp\": 0.0015, \"neg\": 0.0}'");
    }

    private static void q(long id, String set, String reason) {
        QUARANTINED.put(id, new String[] {set, reason});
    }

    private static void ok(long id, String set, String predicate) {
        AWKWARD_OK.put(id, new String[] {set, predicate});
    }

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        out.reset();
        err.reset();
        return new MigrateCli().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
    }

    private int run(String... args) {
        return run(out, err, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    static Path awkwardFile(Path dir, long rows) throws Exception {
        Path file = dir.resolve("legacy.db");
        LegacyDb.create(file, LegacyDb.LAX_DDL, rows);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (Map<Long, String[]> m : List.of(QUARANTINED, AWKWARD_OK)) {
                for (Map.Entry<Long, String[]> e : m.entrySet()) {
                    assertEquals(1, st.executeUpdate("UPDATE can_messages SET " + e.getValue()[0] + " WHERE id = " + e.getKey()));
                }
            }
        }
        return file;
    }

    private static String generatedIds() {
        List<Long> awkward = new ArrayList<>(QUARANTINED.keySet());
        awkward.addAll(AWKWARD_OK.keySet());
        return "id NOT IN (" + awkward.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
    }

    private static String sha256(Path p) throws IOException, java.security.NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void migratesEveryRowWithEqualValuesListsQuarantineAndRerunWritesNothing() throws Exception {
        Path file = awkwardFile(tmp, ROWS);
        String before = sha256(file);
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("mig_all");

        int rc = run("--sqlite", file.toString(), "--target", pg.url(db), "--no-readings", "--batch", "25000");
        assertEquals(0, rc, out() + err);
        assertTrue(out().contains("VERIFY OK"), out());
        assertTrue(out().contains("QUARANTINE: 11 row(s)"), out());
        for (Map.Entry<Long, String[]> e : QUARANTINED.entrySet()) {
            assertTrue(out().lines().anyMatch(l -> l.contains("id " + e.getKey() + ": ") && l.contains(e.getValue()[1])),
                    "report lists id " + e.getKey() + " with '" + e.getValue()[1] + "':\n" + out());
        }

        long expected = ROWS - QUARANTINED.size();
        assertEquals(expected + "|" + expected, pg.psql(db, "SELECT count(*), count(DISTINCT id) FROM can_messages"));
        assertEquals("0", pg.psql(db, LegacyDb.EXPECTED_MISMATCHES_SQL.replace("$GEN", generatedIds())));
        for (Map.Entry<Long, String[]> e : AWKWARD_OK.entrySet()) {
            assertEquals("1", pg.psql(db, "SELECT count(*) FROM can_messages WHERE id = " + e.getKey() + " AND "
                    + e.getValue()[1]), "id " + e.getKey() + ": " + e.getValue()[1]);
        }
        String quarantined = pg.psql(db, "SELECT string_agg(id || '=' || reason, E'\\n' ORDER BY id) FROM migration_quarantine");
        List<String> lines = quarantined.lines().toList();
        assertEquals(QUARANTINED.size(), lines.size(), quarantined);
        int i = 0;
        for (Map.Entry<Long, String[]> e : QUARANTINED.entrySet()) {
            String line = lines.get(i++);
            assertTrue(line.startsWith(e.getKey() + "=") && line.contains(e.getValue()[1]), line);
        }
        assertEquals("yesterday|TEXT", pg.psql(db, "SELECT timestamp_value, split_part(storage_classes, ',', 1)"
                + " FROM migration_quarantine WHERE id = 11007"));
        assertEquals("{'temp': 1}", pg.psql(db, "SELECT decoded_data FROM migration_quarantine WHERE id = 16010"));
        assertTrue(Long.parseLong(pg.psql(db, "SELECT nextval(pg_get_serial_sequence('can_messages', 'id'))")) > ROWS);

        assertEquals(0, run("--sqlite", file.toString(), "--target", pg.url(db), "--no-readings"), out() + err);
        assertTrue(out().contains("copied 0 rows, quarantined 0"), out());
        assertTrue(out().contains("VERIFY OK"), out());
        assertEquals(expected + "|" + expected, pg.psql(db, "SELECT count(*), count(DISTINCT id) FROM can_messages"));
        assertEquals("11", pg.psql(db, "SELECT count(*) FROM migration_quarantine"));

        assertEquals(before, sha256(file), "the SQLite file was modified");
        assertFalse(Files.exists(Path.of(file + "-journal")) || Files.exists(Path.of(file + "-wal")));
    }

    @Test
    void verifyFailsAndNamesATamperedRowAndAMissingRow() throws Exception {
        Path file = tmp.resolve("strict.db");
        LegacyDb.create(file, LegacyDb.STRICT_DDL, 60_000);
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("mig_tamper");
        assertEquals(0, run("--sqlite", file.toString(), "--target", pg.url(db), "--no-readings"), out() + err);
        assertEquals(0, run("--sqlite", file.toString(), "--target", pg.url(db), "--verify"), out() + err);

        pg.psql(db, "UPDATE can_messages SET \"timestamp\" = \"timestamp\" + interval '1 microsecond' WHERE id = 12345");
        assertEquals(1, run("--sqlite", file.toString(), "--target", pg.url(db), "--verify", "--sample", "0"));
        assertTrue(out().contains("VERIFY FAILED"), out());
        // T0 + 1237 us * 12345 = 10:58:43.123456 + 15.270765 s
        assertTrue(out().contains("id 12345: timestamp source '2024-12-12 10:58:58.394221+00'"
                + " target '2024-12-12 10:58:58.394222+00'"), out());
        assertTrue(out().contains("checksums: 7 id ranges compared, 1 differ"), out());

        pg.psql(db, "UPDATE can_messages SET \"timestamp\" = \"timestamp\" - interval '1 microsecond' WHERE id = 12345");
        pg.psql(db, "UPDATE can_messages SET decoded_data = jsonb_set(decoded_data, '{seq}', '18') WHERE id = 40001");
        pg.psql(db, "DELETE FROM can_messages WHERE id = 55555");
        assertEquals(1, run("--sqlite", file.toString(), "--target", pg.url(db), "--verify"));
        String report = out();
        assertTrue(report.lines().anyMatch(l -> l.contains("id 40001: decoded_data source '{\"seq\": 65")
                && l.contains("target '{\"seq\": 18")), report);
        assertTrue(report.contains("id 55555: missing in the target"), report);
        assertTrue(report.contains("row count: source 60000, target 59999"), report);
        assertFalse(report.contains("id 12345"), report);
    }

    @Test
    void readsWhileTheScannerKeepsWritingInWalModeAndARerunPicksUpTheNewRows() throws Exception {
        Path file = tmp.resolve("wal.db");
        try (Connection w = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = w.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute(LegacyDb.STRICT_DDL);
            LegacyDb.append(w, 1, 60_000);
            PostgresCluster pg = TestServers.postgres();
            String db = TestServers.newDatabase("mig_wal");
            Thread writer = new Thread(() -> {
                try {
                    for (long from = 60_001; from <= 80_000; from += 1000) {
                        LegacyDb.append(w, from, from + 999);
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "legacy-scanner");
            writer.start();
            int rc = run("--sqlite", file.toString(), "--target", pg.url(db), "--no-readings", "--batch", "5000");
            writer.join();
            assertEquals(0, rc, out() + err);
            assertEquals(0, run("--sqlite", file.toString(), "--target", pg.url(db), "--no-readings"), out() + err);
            assertTrue(out().contains("VERIFY OK"), out());
            assertEquals("80000|80000|0", pg.psql(db, "SELECT count(*), count(DISTINCT id), ("
                    + LegacyDb.EXPECTED_MISMATCHES_SQL.replace("$GEN", "true") + ") FROM can_messages"));
        }
    }

    @Test
    void dryRunChecksEverythingAndWritesNothing() throws Exception {
        Path file = awkwardFile(tmp, 110_000);
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("mig_dry");
        assertEquals(0, run("--sqlite", file.toString(), "--target", pg.url(db), "--no-readings", "--dry-run"), out() + err);
        assertTrue(out().contains("QUARANTINE: 11 row(s) would not fit"), out());
        assertTrue(out().contains("id 11007: timestamp is TEXT 'yesterday'"), out());
        assertTrue(out().contains("DRY RUN: nothing was written"), out());
        assertEquals("0", pg.psql(db, "SELECT count(*) FROM pg_class WHERE relname IN ('can_messages',"
                + " 'migration_checkpoint', 'migration_quarantine')"));
    }

    @Test
    void refusesToCopyOverRowsAnotherWriterPutInTheLegacyIdRange() throws Exception {
        Path file = tmp.resolve("small.db");
        LegacyDb.create(file, LegacyDb.STRICT_DDL, 1000);
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("mig_foreign");
        assertEquals(0, run("--sqlite", file.toString(), "--target", pg.url(db), "--no-readings", "--dry-run"));
        // the schema from lib-tsdb, then a live worker's row with id 5 (sequence not yet moved)
        org.cea.tsdb.Store.applySchema(pg.url(db));
        pg.psql(db, "INSERT INTO can_messages (id, \"timestamp\", can_id, dlc, raw_data) VALUES (5, now(), 257, 8, 'AA')");
        assertEquals(1, run("--sqlite", file.toString(), "--target", pg.url(db), "--no-readings"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("already has 1 row(s) with ids in 1..1000 (first id 5)"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals("1", pg.psql(db, "SELECT count(*) FROM can_messages"));
    }

    @Test
    void fillsSensorReadingsThroughTheFacilityProfile() throws Exception {
        Path file = tmp.resolve("facility.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute(LegacyDb.STRICT_DDL);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO can_messages (timestamp, can_id, node_id,"
                    + " message_type, dlc, raw_data, decoded_data) VALUES (?, ?, ?, ?, 8, ?, NULL)")) {
                // PT100 node 1: temp_dry_c 0x0933 = 2355 -> 23.55 degC, temp_wet_c 0x071C = 1820 -> 18.20 degC
                add(ps, 1734001123.5, 0x101, 1, "PT100", "33 09 1C 07 00 00 00 11");
                // SCD30 node 2: co2 0x0320 = 800 ppm, temp 0x0960 = 24.00 degC, rh 0x157C = 5500 -> 55.00 %
                add(ps, 1734001124.25, 0x203, 2, "SCD30", "20 03 60 09 7C 15 00 05");
                // unknown CAN id: stored, no reading
                add(ps, 1734001125.0, 0x7F0, null, null, "01 02 03 04 05 06 07 08");
            }
        }
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("mig_readings");
        Path etc = TestServers.projectRoot().resolve("etc");
        assertEquals(0, run("--sqlite", file.toString(), "--target", pg.url(db), "--facility",
                etc.resolve("facility.json").toString()), out() + err);
        String r = pg.psql(db, "SELECT string_agg(sensor || '=' || value || '@' || extract(epoch from time), ',' ORDER BY sensor)"
                + " FROM sensor_readings WHERE sensor IN ('dry_bulb_b', 'wet_bulb_b', 'co2_f', 'secondary_temp_f',"
                + " 'secondary_rh_f')");
        assertEquals("co2_f=800@1734001124.250000,dry_bulb_b=23.55@1734001123.500000,secondary_rh_f=55@1734001124.250000,"
                + "secondary_temp_f=24@1734001124.250000,wet_bulb_b=18.2@1734001123.500000", r);
        assertEquals("3", pg.psql(db, "SELECT count(*) FROM can_messages"));
        // rerun: the checkpoint keeps the readings from being written twice
        assertEquals(0, run("--sqlite", file.toString(), "--target", pg.url(db), "--facility",
                etc.resolve("facility.json").toString()), out() + err);
        assertEquals("0", pg.psql(db, "SELECT count(*) FROM (SELECT sensor, time FROM sensor_readings"
                + " GROUP BY 1, 2 HAVING count(*) > 1) d"));
    }

    /**
     * Issue 18: old legacy data migrated into a database whose hourly aggregate was refreshed up to
     * now was missing from it (below the watermark, never materialised). can-migrate refreshes the
     * aggregates over the migrated range: the aggregate (materialised part and all) and lib-tsdb's
     * history both equal the raw rows' count and mean of every hour.
     */
    @Test
    void theMigratedPeriodIsInTheHourlyAggregateAndItsHistoryIsTheRawRows() throws Exception {
        Path file = tmp.resolve("old.db");
        long t0 = 1_677_628_800L; // 2023-03-01T00:00:00Z
        int frames = 2 * 24 * 120; // two days, one SCD30 frame every 30 s
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute(LegacyDb.STRICT_DDL);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO can_messages (timestamp, can_id, node_id,"
                    + " message_type, dlc, raw_data, decoded_data) VALUES (?, ?, ?, ?, 8, ?, NULL)")) {
                for (int i = 0; i < frames; i++) {
                    int co2 = 400 + (i * 37) % 211;
                    add(ps, t0 + 30.0 * i + 0.25, 0x203, 2, "SCD30",
                            String.format("%02X %02X 60 09 7C 15 00 05", co2 & 0xFF, co2 >> 8));
                }
            }
            c.commit();
        }
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("mig_cagg");
        org.cea.tsdb.Backend backend = org.cea.tsdb.Store.applySchema(pg.url(db));
        boolean caggs = !pg.psql(db, "SELECT to_regclass('sensor_readings_1h')").isEmpty();
        if (caggs) {
            // the live system: readings up to now, the hourly aggregate refreshed (watermark = last hour)
            pg.psql(db, "INSERT INTO sensor_readings SELECT t, 'co2_f', 500 FROM generate_series(now() - INTERVAL '3 hours',"
                    + " now(), INTERVAL '1 minute') t");
            pg.psql(db, "CALL refresh_continuous_aggregate('sensor_readings_1h', NULL, now() - INTERVAL '1 hour')");
        }
        Path etc = TestServers.projectRoot().resolve("etc");
        assertEquals(0, run("--sqlite", file.toString(), "--target", pg.url(db), "--facility",
                etc.resolve("facility.json").toString()), out() + err);
        String range = "time >= to_timestamp(" + t0 + ") AND time < to_timestamp(" + (t0 + 2 * 86_400) + ")";
        String raw = pg.psql(db, "SELECT string_agg(b || '|' || n || '|' || round(a::numeric, 6), ',' ORDER BY b) FROM"
                + " (SELECT date_trunc('hour', time) AS b, count(*) AS n, avg(value) AS a FROM sensor_readings"
                + " WHERE sensor = 'co2_f' AND " + range + " GROUP BY 1) r");
        assertEquals(48, raw.split(",").length, raw);
        if (caggs) {
            assertTrue(out().contains("refreshed sensor_readings_1h over 2023-03-01"), out());
            String agg = pg.psql(db, "SELECT string_agg(bucket || '|' || samples || '|' || round(avg_value::numeric, 6), ','"
                    + " ORDER BY bucket) FROM sensor_readings_1h WHERE sensor = 'co2_f' AND "
                    + "bucket >= to_timestamp(" + t0 + ") AND bucket < to_timestamp(" + (t0 + 2 * 86_400) + ")");
            assertEquals(raw, agg);
        } else {
            assertEquals(org.cea.tsdb.Backend.POSTGRES, backend);
        }
        try (org.cea.tsdb.Store store = org.cea.tsdb.Store.open(pg.url(db))) {
            List<org.cea.tsdb.HistoryPoint> h = store.history("co2_f", java.time.Instant.ofEpochSecond(t0),
                    java.time.Instant.ofEpochSecond(t0 + 2 * 86_400), 48);
            String got = h.stream().map(p -> p.bucket().getEpochSecond()
                    + "|" + p.count() + "|" + new java.math.BigDecimal(p.avg()).setScale(6, java.math.RoundingMode.HALF_UP))
                    .collect(Collectors.joining(","));
            String want = pg.psql(db, "SELECT string_agg(extract(epoch FROM b)::bigint || '|' || n || '|'"
                    + " || round(a::numeric, 6), ',' ORDER BY b) FROM (SELECT date_trunc('hour', time) AS b, count(*) AS n,"
                    + " avg(value) AS a FROM sensor_readings WHERE sensor = 'co2_f' AND " + range + " GROUP BY 1) r");
            assertEquals(want, got);
        }
    }

    private static void add(PreparedStatement ps, double ts, int canId, Integer node, String type, String raw)
            throws java.sql.SQLException {
        ps.setDouble(1, ts);
        ps.setInt(2, canId);
        ps.setObject(3, node);
        ps.setString(4, type);
        ps.setString(5, raw);
        ps.executeUpdate();
    }
}
