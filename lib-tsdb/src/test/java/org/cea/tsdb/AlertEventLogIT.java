package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code alert_events}: written by cea_writer, read by cea_reader (roles from bin/cea-db-setup), idempotent, filtered; SQLite too. */
class AlertEventLogIT {
    private static final long T0 = 1_795_000_000_000L;

    static AlertEventRow row(String eventId, long ts, String alertId, String transition, String room) {
        return new AlertEventRow(eventId, ts, alertId, alertId.split(":")[0], "band", "warning", transition,
                "resolved".equals(transition) ? "resolved" : transition, room, "co2_b", 1520.5, 1500.0,
                "CO2 in " + room + " above 1500 ppm", T0 - 60_000, "firing".equals(transition) ? ts : null, null, null,
                "{\"transition\": \"" + transition + "\"}");
    }

    private static void behaves(AlertEventLog log) {
        List<AlertEventRow> rows = List.of(row("1-0", T0, "co2_high:flower_back", "pending", "flower_back"),
                row("2-0", T0 + 300_000, "co2_high:flower_back", "firing", "flower_back"),
                row("3-0", T0 + 400_000, "vpd_day:veg", "firing", "veg"),
                row("4-0", T0 + 900_000, "co2_high:flower_back", "resolved", "flower_back"));
        assertEquals(4, log.append(rows));
        // a replayed batch (the stream consumer re-read its pending entries) writes nothing twice
        assertEquals(0, log.append(rows.subList(1, 3)));
        List<AlertEventRow> all = log.recent(AlertEventQuery.latest(10));
        assertEquals(List.of("4-0", "3-0", "2-0", "1-0"), all.stream().map(AlertEventRow::eventId).toList());
        AlertEventRow firing = all.get(2);
        assertEquals(rows.get(1), firing);
        assertNull(all.get(3).firedAtMillis());
        List<AlertEventRow> one = log.recent(new AlertEventQuery(10, null, null, "co2_high:flower_back", null, null));
        assertEquals(3, one.size());
        assertEquals(List.of("3-0"), log.recent(new AlertEventQuery(10, null, null, null, null, "veg"))
                .stream().map(AlertEventRow::eventId).toList());
        // [T0 + 5 min, T0 + 15 min): the firing at exactly T0 + 5 min is in, the resolve at T0 + 15 min is out
        assertEquals(List.of("3-0", "2-0"), log.recent(new AlertEventQuery(10, Instant.ofEpochMilli(T0 + 300_000),
                Instant.ofEpochMilli(T0 + 900_000), null, null, null)).stream().map(AlertEventRow::eventId).toList());
        assertEquals(List.of("4-0"), log.recent(AlertEventQuery.latest(1)).stream().map(AlertEventRow::eventId).toList());
    }

    @Test
    void writerAppendsOnceReaderReadsAndCannotWrite() throws Exception {
        PostgresCluster pg = TestServers.postgres();
        String db = "alerts_" + Long.toHexString(System.nanoTime());
        setup(pg, db);
        try (AlertEventLog w = AlertEventLog.open("postgresql://cea_writer:x@127.0.0.1:" + pg.port() + "/" + db)) {
            behaves(w);
        }
        try (AlertEventLog r = AlertEventLog.open("postgresql://cea_reader@127.0.0.1:" + pg.port() + "/" + db)) {
            assertEquals(4, r.recent(AlertEventQuery.latest(10)).size());
            TsdbException e = assertThrows(TsdbException.class, () -> r.append(List.of(row("9-0", T0, "x", "firing", "veg"))));
            assertTrue(e.getMessage().contains("42501"), e.getMessage());
        }
        assertEquals("f", pg.psql(db, "SELECT has_table_privilege('cea_writer', 'alert_events', 'DELETE')").substring(0, 1));
    }

    @Test
    void aDatabaseWithoutTheTableGetsItWhenTheRoleMayCreateIt() {
        String db = TestServers.newDatabase("alerts_owner");
        try (AlertEventLog log = AlertEventLog.open(TestServers.postgres().url(db))) {
            behaves(log);
        }
    }

    @Test
    void sqliteFileKeepsTheSameHistory(@TempDir Path dir) {
        try (AlertEventLog log = AlertEventLog.open("jdbc:sqlite:" + dir.resolve("cea.db"))) {
            behaves(log);
        }
        // the worker's store opens the same file alongside
        try (Store s = Store.open("jdbc:sqlite:" + dir.resolve("cea.db")); AlertEventLog log = AlertEventLog.open(dir.resolve("cea.db").toString())) {
            assertEquals(Backend.SQLITE, s.backend());
            assertEquals(4, log.recent(AlertEventQuery.latest(10)).size());
        }
    }

    @Test
    void badQueriesAreRefusedWithTheLimit() {
        BadDataException e = assertThrows(BadDataException.class, () -> AlertEventQuery.latest(0));
        assertTrue(e.getMessage().contains("1..1000"), e.getMessage());
        assertThrows(BadDataException.class, () -> new AlertEventQuery(5, Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0),
                null, null, null));
    }

    private static void setup(PostgresCluster pg, String db) throws IOException, InterruptedException {
        Path root = TestServers.projectRoot();
        ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/cea-db-setup").toString(), "--url",
                "postgresql://postgres@127.0.0.1:" + pg.port(), "--db", db);
        pb.environment().put("PSQL", pg.binary("psql").toString());
        pb.environment().put("CEA_WRITER_PASSWORD", "w-pw");
        pb.environment().put("CEA_READER_PASSWORD", "r-pw");
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "cea-db-setup timed out");
        assertEquals(0, p.exitValue(), out);
        assertTrue(Files.exists(root.resolve("sql/roles.sql")));
    }
}
