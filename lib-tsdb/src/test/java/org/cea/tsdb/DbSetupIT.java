package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;

/** {@code bin/cea-db-setup} against the shared test cluster: schema, roles, rerun. */
class DbSetupIT {
    private static final Path ROOT = TestServers.projectRoot();

    private static String run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder();
        pb.command().add(ROOT.resolve("bin/cea-db-setup").toString());
        pb.command().addAll(List.of(args));
        pb.environment().putAll(env);
        pb.environment().put("PSQL", TestServers.postgres().binary("psql").toString());
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "cea-db-setup timed out");
        return p.exitValue() + "\n" + out;
    }

    @Test
    void createsDatabaseAndRolesAndRerunsHarmlessly() throws Exception {
        PostgresCluster pg = TestServers.postgres();
        String db = "setup_" + Long.toHexString(System.nanoTime());
        Map<String, String> env = Map.of("CEA_WRITER_PASSWORD", "wr1te'r \"pw", "CEA_READER_PASSWORD", "r3ader-pw");
        String first = run(env, "--url", "postgresql://postgres@127.0.0.1:" + pg.port(), "--db", db);
        assertTrue(first.startsWith("0\n"), first);
        assertFalse(first.contains("wr1te"), first);
        String second = run(env, "--url", "postgresql://postgres@127.0.0.1:" + pg.port() + "/postgres", "--db", db);
        assertTrue(second.startsWith("0\n"), second);

        // passwords are stored as SCRAM secrets
        assertEquals("t|t", pg.psql(db, "SELECT string_agg((rolpassword LIKE 'SCRAM-SHA-256$%')::text, '|')"
                + " FROM pg_authid WHERE rolname IN ('cea_writer', 'cea_reader')").replace("true", "t"));
        // the writer inserts and selects through the Store; the reader only reads
        try (Store w = Store.open("postgresql://cea_writer:ignored-by-trust@127.0.0.1:" + pg.port() + "/" + db)) {
            assertEquals(1, w.writeBatch(List.of(StoreBehaviour.pt100("w-1", StoreBehaviour.T0, 1, 1)),
                    List.of(new ReadingRow(StoreBehaviour.T0, "co2_b", 400))).messagesWritten());
        }
        try (Store r = Store.open("postgresql://cea_reader@127.0.0.1:" + pg.port() + "/" + db)) {
            assertEquals(1, r.recentMessages(MessageQuery.latest(5)).size());
            TsdbException e = assertThrows(TsdbException.class, () -> r.writeBatch(
                    List.of(StoreBehaviour.pt100("r-1", StoreBehaviour.T0, 1, 1)), List.of()));
            assertTrue(e.getMessage().contains("42501"), e.getMessage());
        }
        assertEquals("f", pg.psql(db, "SELECT has_table_privilege('cea_writer', 'can_messages', 'DELETE')").substring(0, 1));
    }

    @Test
    void onPlainPostgresTheWriterKeepsTheRollupTablesAndTheReaderReadsThem() throws Exception {
        try (PostgresCluster pg = PostgresCluster.startPlain()) {
            String db = "setup_plain";
            Map<String, String> env = Map.of("CEA_WRITER_PASSWORD", "w-pw", "CEA_READER_PASSWORD", "r-pw");
            String out = run(env, "--url", "postgresql://postgres@127.0.0.1:" + pg.port(), "--db", db);
            assertTrue(out.startsWith("0\n"), out);
            try (Store w = Store.open("postgresql://cea_writer@127.0.0.1:" + pg.port() + "/" + db)) {
                w.writeBatch(List.of(), List.of(new ReadingRow(StoreBehaviour.T0, "co2_b", 400),
                        new ReadingRow(StoreBehaviour.T0 + 1_000_000, "co2_b", 420)));
            }
            assertEquals("2|400|420", pg.psql(db, "SELECT samples || '|' || min_value || '|' || max_value"
                    + " FROM sensor_readings_rollup_1h WHERE sensor = 'co2_b'").trim());
            try (Store r = Store.open("postgresql://cea_reader@127.0.0.1:" + pg.port() + "/" + db)) {
                Summary s = r.summarize("co2_b", List.of(new SummaryWindow(Times.instant(StoreBehaviour.T0 - Buckets.DAY),
                        Times.instant(StoreBehaviour.T0 + Buckets.DAY), 300.0, 410.0))).get(0);
                assertEquals(List.of(2L, 1L), List.of(s.count(), s.inBand()));
            }
            // the writer keeps the rollup through the owner's triggers, with no write privilege of its own
            // on it; it may read it, as bin/cea-backup's pg_dump does
            assertEquals("t|t", pg.psql(db, "SELECT has_table_privilege('cea_writer', 'sensor_readings_rollup_1m', 'SELECT')"
                    + " || '|' || has_table_privilege('cea_writer', 'sensor_readings_rollup_1h', 'SELECT')").trim()
                    .replace("true", "t"));
            assertEquals("f|f|f", pg.psql(db, "SELECT has_table_privilege('cea_writer', 'sensor_readings_rollup_1h', 'INSERT')"
                    + " || '|' || has_table_privilege('cea_writer', 'sensor_readings_rollup_1h', 'UPDATE')"
                    + " || '|' || has_table_privilege('cea_reader', 'sensor_readings_rollup_1h', 'INSERT')").trim()
                    .replace("false", "f"));
            // a role granted only the raw tables (set up by hand) reads raw rows, never an error
            pg.psql(db, "CREATE ROLE grafana_like LOGIN; GRANT SELECT ON sensor_readings TO grafana_like");
            try (Store g = Store.open("postgresql://grafana_like@127.0.0.1:" + pg.port() + "/" + db)) {
                assertEquals(2, g.summarize("co2_b", List.of(new SummaryWindow(Times.instant(StoreBehaviour.T0 - Buckets.DAY),
                        Times.instant(StoreBehaviour.T0 + Buckets.DAY), 300.0, 410.0))).get(0).count());
                assertEquals(2, g.history("co2_b", Times.instant(StoreBehaviour.T0 - Buckets.DAY),
                        Times.instant(StoreBehaviour.T0 + Buckets.DAY), 48).stream().mapToLong(HistoryPoint::count).sum());
            }
        }
    }

    @Test
    void refusesToRunWithoutPasswordsAndOnBadFlags() throws Exception {
        String out = run(Map.of(), "--url", "postgresql://postgres@127.0.0.1:" + TestServers.postgres().port(), "--db", "x");
        assertTrue(out.startsWith("2\n") && out.contains("CEA_WRITER_PASSWORD is not set"), out);
        String bad = run(Map.of(), "--frobnicate");
        assertTrue(bad.startsWith("2\n") && bad.contains("unknown argument '--frobnicate'") && bad.contains("Usage:"), bad);
        String badDb = run(Map.of(), "--db", "Robert'); DROP");
        assertTrue(badDb.startsWith("2\n") && badDb.contains("--db must be"), badDb);
    }

    @Test
    void noPasswordIsCommittedInTheSqlFiles() throws IOException {
        for (String f : List.of("sql/timescaledb_setup.sql", "sql/roles.sql")) {
            String text = Files.readString(ROOT.resolve(f));
            assertFalse(text.matches("(?is).*PASSWORD\\s+'[^']*'.*"), f + " contains a literal password");
        }
    }
}
