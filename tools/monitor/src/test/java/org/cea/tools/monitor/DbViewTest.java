package org.cea.tools.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.StoredMessage;
import org.junit.jupiter.api.Test;

class DbViewTest {
    /** 2026-01-01T00:00:00Z (1767225600 s). */
    private static final long NOW = 1_767_225_600_000L;
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void rendersRateCountsNewestMessagesAndLatestReadings() {
        List<StoredMessage> newestFirst = List.of(
                // 2025-12-31T23:59:59.250Z = NOW - 750 ms
                new StoredMessage(2, (NOW - 750) * 1000, 0x101, false, 1, "PT100", 8, "FF 08 1C 07 00 00 00 11",
                        "{\"temp_dry_c\":23.55,\"temp_wet_c\":18.2,\"status\":0,\"seq\":17}", "1-0"),
                new StoredMessage(1, (NOW - 61_000) * 1000, 0x123, true, null, null, 2, "AA BB", null, null));
        Map<String, Long> minute = Map.of("PT100", 30L, "UNKNOWN", 6L);
        Map<String, Long> hour = Map.of("PT100", 1800L, "UNKNOWN", 6L, "BARO", 900L);
        Map<String, ReadingRow> readings = Map.of(
                "dry_bulb_b", new ReadingRow((NOW - 750) * 1000, "dry_bulb_b", 23.550000000000001),
                "co2_v", new ReadingRow((NOW - 125_000) * 1000, "co2_v", 412.0),
                "vpd_b", new ReadingRow((NOW - 7_200_000) * 1000, "vpd_b", 1.2484288005));
        DbSnapshot s = new DbSnapshot("jdbc:sqlite:/var/cea.db", NOW, null, "SQLITE", newestFirst, minute, hour, 12.5,
                readings);
        String c1 = "co2_v 412 (2 min)";            // 125 s = 2 whole minutes
        String c2 = "dry_bulb_b 23.55 (0.8 s)";      // 750 ms, one decimal
        assertEquals(List.of(
                "CEA database tail · jdbc:sqlite:/var/cea.db · 2026-01-01 00:00:00 UTC",
                // 36 messages in the last minute / 60 s = 0.6 rows/s
                "database: ok · backend SQLITE · written 12.5 rows/s now, 0.6 rows/s over the last minute",
                "",
                "  TYPE           LAST MIN  LAST HOUR",
                "  BARO                  0        900",
                "  PT100                30       1800",
                "  UNKNOWN               6          6",
                "  total                36       2706",
                "",
                "newest 2 messages, newest first:",
                "  TIME                CAN ID      NODE  TYPE        DATA",
                "  12-31 23:59:59.250  0x101          1  PT100       {\"temp_dry_c\":23.55,\"temp_wet_c\":18.2,\"status\":0,\"seq\":17}",
                "  12-31 23:58:59.000  0x00000123     —  —           raw AA BB",
                "",
                "newest reading per sensor (sensor_readings), with its age:",
                "  " + c1 + " ".repeat(33 - c1.length()) + "  " + c2 + " ".repeat(33 - c2.length()) + "  vpd_b 1.248 (2 h)"),
                DbView.render(s, UTC));
    }

    @Test
    void showsTheDatabasesJobsAndALateOneMakesItUnhealthy() {
        java.time.Instant now = java.time.Instant.ofEpochMilli(NOW);
        org.cea.tsdb.JobHealth.Job late = new org.cea.tsdb.JobHealth.Job(1003, "refresh sensor_readings_1h",
                java.time.Duration.ofMinutes(30), true, 5, 0, "Success", now.minusSeconds(3700), now.minusSeconds(3700),
                now.minusSeconds(1900), null);
        org.cea.tsdb.JobHealth.Job ok = new org.cea.tsdb.JobHealth.Job(1000, "compression sensor_readings",
                java.time.Duration.ofHours(12), true, 1, 0, "Success", now, now, now.plusSeconds(3600), null);
        DbSnapshot s = new DbSnapshot("postgresql://cea:***@db:5432/cea_sensors", NOW, null, "TIMESCALEDB", List.of(),
                Map.of(), Map.of(), null, Map.of(), List.of(), org.cea.tsdb.JobHealth.of(List.of(ok, late), now));
        List<String> lines = DbView.render(s, UTC);
        // 3700 s without a success > 2 x 1800 s
        assertEquals(List.of("db jobs: DEGRADED — refresh sensor_readings_1h: not run since its last success at 2025-12-31T22:58:20Z,"
                        + " 3700 s ago (limit 2 x 1800 s)",
                "  LATE     refresh sensor_readings_1h: not run since its last success at 2025-12-31T22:58:20Z, 3700 s ago (limit 2 x 1800 s)"),
                lines.subList(2, 4));
        org.junit.jupiter.api.Assertions.assertFalse(s.healthy());
        DbSnapshot fine = new DbSnapshot("x", NOW, null, "TIMESCALEDB", List.of(), Map.of(), Map.of(), null, Map.of(),
                List.of(), org.cea.tsdb.JobHealth.of(List.of(ok), now));
        assertEquals("db jobs: ok · 1 scheduled jobs", DbView.render(fine, UTC).get(2));
        org.junit.jupiter.api.Assertions.assertTrue(fine.healthy());
    }

    @Test
    void saysSoWhenTheDatabaseIsEmptyAndTheRateIsNotKnownYet() {
        DbSnapshot s = new DbSnapshot("postgresql://cea:***@db:5432/cea_sensors", NOW, null, "POSTGRES", List.of(),
                Map.of(), Map.of(), null, Map.of());
        assertEquals(List.of(
                "CEA database tail · postgresql://cea:***@db:5432/cea_sensors · 2026-01-01 00:00:00 UTC",
                "database: ok · backend POSTGRES · written — rows/s now, 0.0 rows/s over the last minute",
                "",
                "  TYPE           LAST MIN  LAST HOUR",
                "  (no messages in the last hour)",
                "",
                "newest 0 messages, newest first:",
                "  TIME                CAN ID      NODE  TYPE        DATA",
                "  (no messages yet)",
                "",
                "newest reading per sensor (sensor_readings), with its age:",
                "  (no readings)"), DbView.render(s, UTC));
    }

    @Test
    void showsTheDatabaseDownWithTheMessage() {
        DbSnapshot s = DbSnapshot.down("jdbc:sqlite:/x.db", NOW, "no SQLite database at /x.db (has the worker run yet?)");
        assertEquals(List.of(
                "CEA database tail · jdbc:sqlite:/x.db · 2026-01-01 00:00:00 UTC",
                "database: DOWN — no SQLite database at /x.db (has the worker run yet?), retrying"),
                DbView.render(s, UTC));
    }
}
