package org.cea.tools.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.cea.testsupport.Processes;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.StoredMessage;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.Test;

class DbCollectorIT {
    @Test
    void tailsPostgres() {
        String url = TestServers.postgres().url(TestServers.newDatabase("monitor_it"));
        checkTail(url, Set.of("POSTGRES", "TIMESCALEDB"));
    }

    @Test
    void tailsARealSqliteFile() {
        Path dir = Processes.tempDir("cea-monitor-");
        try {
            checkTail("jdbc:sqlite:" + dir.resolve("cea.db"), Set.of("SQLITE"));
        } finally {
            Processes.deleteTree(dir);
        }
    }

    /** Writes the fixture, collects twice (2 s apart on the injected monotonic clock) and checks both. */
    private static void checkTail(String url, Set<String> backends) {
        long now = System.currentTimeMillis();
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        try (Store store = Store.open(url); DbCollector c = new DbCollector(url, 3, () -> now, nanos::get)) {
            Fixtures.writeMessages(store, now);
            DbSnapshot s = c.collect();
            assertTrue(s.up(), s.error());
            assertTrue(backends.contains(s.backend()), s.backend());
            // the 3 newest rows by id, newest first: the unknown frame, then PT100 node 2, then node 1
            List<StoredMessage> m = s.newestFirst();
            assertEquals(3, m.size());
            assertNull(m.get(0).messageType());
            assertTrue(m.get(0).extended());
            assertEquals(0x123, m.get(0).canId());
            assertEquals("AA BB", m.get(0).rawData());
            assertEquals(2, m.get(1).nodeId());
            assertEquals(1, m.get(2).nodeId());
            assertEquals((now - 10_000) * 1000, m.get(2).timestampMicros());
            assertEquals(Map.of("PT100", 2L, "UNKNOWN", 1L), s.lastMinute());
            assertEquals(Map.of("BARO", 1L, "PT100", 2L, "UNKNOWN", 1L), s.lastHour()); // LAB is 2 h old
            assertNull(s.rowsPerSecNow(), "no rate before a second collection");
            assertEquals(23.55, s.latestReadings().get("dry_bulb_b").value());

            Fixtures.writeMore(store, now, "more", 4);
            nanos.addAndGet(2_000_000_000L);
            DbSnapshot t = c.collect();
            assertEquals(2.0, t.rowsPerSecNow(), 1e-9, "4 new rows in 2 s");
            assertEquals(Map.of("PT100", 6L, "UNKNOWN", 1L), t.lastMinute());
            assertEquals("PT100", t.newestFirst().get(0).messageType());
            assertEquals(3, t.newestFirst().get(0).nodeId());
        }
    }

    @Test
    void reportsAMissingSqliteFileAsDownWithoutCreatingIt() {
        Path dir = Processes.tempDir("cea-monitor-");
        Path file = dir.resolve("absent.db");
        try (DbCollector c = new DbCollector(file.toString(), 5, System::currentTimeMillis, System::nanoTime)) {
            DbSnapshot s = c.collect();
            assertFalse(s.up());
            assertEquals("no SQLite database at " + file + " (has the worker run yet?)", s.error());
            assertFalse(Files.exists(file), "the monitor must not create the database");
        } finally {
            Processes.deleteTree(dir);
        }
    }

    @Test
    void reportsAnUnreachablePostgresAsDownAndKeepsTrying() {
        String url = "postgresql://postgres:secret@127.0.0.1:" + Processes.freePort() + "/cea_sensors";
        try (DbCollector c = new DbCollector(url, 5, System::currentTimeMillis, System::nanoTime)) {
            for (int i = 0; i < 2; i++) {
                DbSnapshot s = c.collect();
                assertFalse(s.up());
                assertFalse(s.error().isBlank());
                assertFalse(s.error().contains("secret") || s.target().contains("secret"), s.error());
            }
        }
    }
}
