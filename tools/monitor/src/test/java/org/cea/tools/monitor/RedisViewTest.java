package org.cea.tools.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.cea.redisio.LiveValue;
import org.junit.jupiter.api.Test;

class RedisViewTest {
    /** 2026-01-01T00:00:00Z: 56 years of 365 days + 14 leap days = 20454 days = 1767225600 s. */
    private static final long NOW = 1_767_225_600_000L;
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static Map<String, String> worker(long updatedAt) {
        return Map.ofEntries(Map.entry("consumer", "pi-42"), Map.entry("processed", "12345"), Map.entry("rate", "45.0"),
                Map.entry("pending", "3"), Map.entry("lag", "0"), Map.entry("dead_lettered", "2"),
                Map.entry("invalid_readings", "1"), Map.entry("lost_frames", "{\"1\":4}"),
                Map.entry("lost_frames_total", "4"), Map.entry("lost_entries", "0"), Map.entry("db", "ok"),
                Map.entry("last_error", ""), Map.entry("updated_at", Long.toString(updatedAt)));
    }

    private static List<RedisSnapshot.Sensor> sensors() {
        return List.of(
                new RedisSnapshot.Sensor("dry_bulb_b", "°C", new LiveValue("dry_bulb_b", 23.55, NOW - 1_200)),
                new RedisSnapshot.Sensor("wet_bulb_b", "°C", new LiveValue("wet_bulb_b", 18.2, NOW - 10_001)),
                new RedisSnapshot.Sensor("co2_v", "ppm", null));
    }

    @Test
    void rendersWorkerStreamsFailuresAndSensorsWithAgesAndStaleness() {
        RedisSnapshot s = new RedisSnapshot("redis://127.0.0.1:6390/0", NOW, null, worker(NOW - 3_000), 1200, 2,
                sensors(), List.of("2025-12-31T23:59:00Z CEA service failed: can-worker.service (failed)"), List.of());
        assertEquals(List.of(
                "CEA Redis + backend status · redis://127.0.0.1:6390/0 · 2026-01-01 00:00:00 UTC",
                "redis: ok · can:raw 1200 entries · can:dead 2 entries",
                "",
                "worker pi-42: updated 3.0 s ago",
                "  processed 12345 · rate 45.0/s · pending 3 · lag 0",
                "  dead-lettered 2 · invalid readings 1 · lost frames 4 {\"1\":4} · lost entries 0",
                "  db ok · last error: none",
                "",
                "service failures (newest first, 1 shown):",
                "  2025-12-31T23:59:00Z CEA service failed: can-worker.service (failed)",
                "",
                // 3 sensors, 1 live; wet_bulb_b is 10.001 s old (over the 10 s TTL), co2_v has no key
                "sensors: 3 in the profile · 1 live · 2 stale (no reading in 10 s)",
                "  SENSOR                 VALUE  UNIT        AGE",
                "  dry_bulb_b             23.55  °C        1.2 s",
                "  wet_bulb_b              18.2  °C         10 s  stale",
                "  co2_v                      —  ppm           —  stale"),
                RedisView.render(s, UTC));
    }

    @Test
    void showsTheWorkersReportOfFailingDatabaseJobsAndIsNotHealthy() {
        Map<String, String> w = new java.util.HashMap<>(worker(NOW - 3_000));
        w.put("db_jobs", "{\"state\":\"degraded\",\"reason\":\"refresh sensor_readings_1m: 4 failed runs in a row (limit 3)\","
                + "\"checked_at\":1,\"jobs\":[{\"id\":1000,\"name\":\"compression sensor_readings\",\"status\":\"ok\",\"why\":\"\"},"
                + "{\"id\":1002,\"name\":\"refresh sensor_readings_1m\",\"status\":\"failing\","
                + "\"why\":\"4 failed runs in a row (limit 3), last error: boom\"}]}");
        List<RedisSnapshot.Sensor> live = List.of(new RedisSnapshot.Sensor("dry_bulb_b", "°C", new LiveValue("dry_bulb_b", 23.55, NOW - 1_200)));
        RedisSnapshot s = new RedisSnapshot("redis://h:1/0", NOW, null, w, 0, 0, live, List.of(), List.of());
        List<String> lines = RedisView.render(s, UTC);
        int db = lines.indexOf("  db ok · last error: none");
        assertEquals(List.of("  db jobs: DEGRADED — refresh sensor_readings_1m: 4 failed runs in a row (limit 3)",
                "    FAILING  refresh sensor_readings_1m: 4 failed runs in a row (limit 3), last error: boom"),
                lines.subList(db + 1, db + 3));
        org.junit.jupiter.api.Assertions.assertFalse(s.healthy());
        w.put("db_jobs", "{\"state\":\"not_applicable\",\"reason\":\"plain PostgreSQL\",\"checked_at\":1,\"jobs\":[]}");
        RedisSnapshot plain = new RedisSnapshot("redis://h:1/0", NOW, null, w, 0, 0, live, List.of(), List.of());
        assertEquals("  db jobs: not applicable (plain PostgreSQL)", RedisView.render(plain, UTC).get(db + 1));
        org.junit.jupiter.api.Assertions.assertTrue(plain.healthy());
    }

    @Test
    void flagsAWorkerStatusOlderThan30SecondsAsStale() {
        RedisSnapshot s = new RedisSnapshot("redis://h:1/0", NOW, null, worker(NOW - 45_000), 0, 0, List.of(), List.of(), List.of());
        List<String> lines = RedisView.render(s, UTC);
        assertEquals("worker pi-42: updated 45 s ago — STALE (no update for more than 30 s: is can-worker running?)",
                lines.get(3));
        // exactly 30 s is still fresh, as in can-api's /health (age <= 30 s)
        RedisSnapshot edge = new RedisSnapshot("redis://h:1/0", NOW, null, worker(NOW - 30_000), 0, 0, List.of(), List.of(), List.of());
        assertEquals("worker pi-42: updated 30 s ago", RedisView.render(edge, UTC).get(3));
    }

    @Test
    void saysWhenNoWorkerHasReportedAndWhenTheDatabaseIsDown() {
        RedisSnapshot none = new RedisSnapshot("redis://h:1/0", NOW, null, Map.of(), 5, 0, List.of(), List.of(), List.of());
        List<String> lines = RedisView.render(none, UTC);
        assertEquals("worker: no worker:status hash — is can-worker running?", lines.get(3));
        assertEquals("service failures: none", lines.get(5));
        assertEquals("sensors: 0 in the profile · 0 live · 0 stale (no reading in 10 s)", lines.get(7));

        Map<String, String> w = new java.util.HashMap<>(worker(NOW - 1_000));
        w.put("db", "down");
        w.put("last_error", "insert failed: connection refused");
        RedisSnapshot dbDown = new RedisSnapshot("redis://h:1/0", NOW, null, w, 0, 0, List.of(), List.of(), List.of());
        assertEquals("  db DOWN · last error: insert failed: connection refused", RedisView.render(dbDown, UTC).get(6));
    }

    @Test
    void showsRedisDownWithTheMessageAndNothingElse() {
        RedisSnapshot s = RedisSnapshot.down("redis://127.0.0.1:6390/0", NOW, "Connection refused");
        assertEquals(List.of(
                "CEA Redis + backend status · redis://127.0.0.1:6390/0 · 2026-01-01 00:00:00 UTC",
                "redis: DOWN — Connection refused, retrying"), RedisView.render(s, UTC));
    }

    @Test
    void aReadingStampedBeyondTheSkewAllowanceInTheFutureIsStale() {
        // taken before the clock was stepped back (LiveKeys.CLOCK_SKEW_MS = 2 s)
        org.junit.jupiter.api.Assertions.assertFalse(RedisView.isStale(
                new RedisSnapshot.Sensor("co2_v", "ppm", new LiveValue("co2_v", 812.0, NOW + 2_000)), NOW));
        org.junit.jupiter.api.Assertions.assertTrue(RedisView.isStale(
                new RedisSnapshot.Sensor("co2_v", "ppm", new LiveValue("co2_v", 812.0, NOW + 3_600_000)), NOW));
    }

    @Test
    void activeAlertsAreShownCriticalFirstAndACriticalOneIsDegraded() {
        org.cea.redisio.Alert warn = new org.cea.redisio.Alert("vpd_day:veg", "vpd_day", "band", "warning", "firing", "veg", "vpd_v",
                null, 1.72, 1.6, "vpd_v in veg is 1.72 kPa, above 1.6 kPa.", NOW - 600_000, NOW - 300_000, "anna", "door", NOW - 1000,
                NOW - 1000, null);
        org.cea.redisio.Alert crit = new org.cea.redisio.Alert("silent_node:veg", "silent_node", "silent_node", "critical", "firing",
                "veg", null, 3, null, 20.0, "Node 3 (veg) sent no frame at all since 12:00:00.", NOW - 65_000, NOW - 65_000, null,
                null, null, NOW - 65_000, null);
        List<RedisSnapshot.Sensor> live = List.of(new RedisSnapshot.Sensor("co2_v", "ppm", new LiveValue("co2_v", 800, NOW - 500)));
        RedisSnapshot s = new RedisSnapshot("redis://h:1/0", NOW, null, worker(NOW - 1_000), 0, 0, live, List.of(), List.of(),
                List.of(crit, warn));
        List<String> lines = RedisView.render(s, java.time.ZoneOffset.UTC);
        int at = lines.indexOf("alerts: 2 active · 1 CRITICAL firing — DEGRADED");
        assertTrue(at > 0, String.join("\n", lines));
        assertTrue(lines.get(at + 1).startsWith("  CRITICAL firing  silent_node:veg"), lines.get(at + 1));
        assertEquals("           Node 3 (veg) sent no frame at all since 12:00:00.", lines.get(at + 2));
        assertTrue(lines.get(at + 3).contains("vpd_day:veg") && lines.get(at + 3).endsWith("acked by anna"), lines.get(at + 3));
        assertFalse(s.healthy());
        RedisSnapshot onlyWarning = new RedisSnapshot("redis://h:1/0", NOW, null, worker(NOW - 1_000), 0, 0, live, List.of(),
                List.of(), List.of(warn));
        assertTrue(onlyWarning.healthy(), "a warning alone is not degraded");
        RedisSnapshot stale = new RedisSnapshot("redis://h:1/0", NOW, null, worker(NOW - 1_000), 0, 0,
                List.of(new RedisSnapshot.Sensor("co2_v", "ppm", null)), List.of(), List.of());
        assertFalse(stale.healthy(), "a stale sensor is degraded");
    }

    @Test
    void showsTheScannerStatusWithItsClockJumps() {
        Map<String, String> scanner = Map.of("source", "socketcan:can0", "frames", "5400", "clock_jumps", "2",
                "clock_jump_last", "3600.000 s backward", "clock_jump_at", Long.toString(NOW - 60_000),
                "updated_at", Long.toString(NOW - 2_000));
        RedisSnapshot s = new RedisSnapshot("redis://h:1/0", NOW, null, Map.of(), 0, 0, List.of(), List.of(), List.of(),
                List.of(), scanner);
        List<String> lines = RedisView.render(s, UTC);
        assertEquals(List.of("worker: no worker:status hash — is can-worker running?",
                "scanner socketcan:can0: updated 2.0 s ago",
                "  frames 5400 · clock jumps 2 — CLOCK JUMPED, last 3600.000 s backward at 2025-12-31 23:59:00 UTC"
                        + " (timestamps across it are not comparable)"), lines.subList(3, 6));
        Map<String, String> calm = Map.of("source", "sim", "frames", "10", "clock_jumps", "0", "clock_jump_last", "",
                "clock_jump_at", "", "updated_at", Long.toString(NOW - 40_000));
        List<String> quiet = RedisView.render(new RedisSnapshot("redis://h:1/0", NOW, null, Map.of(), 0, 0, List.of(),
                List.of(), List.of(), List.of(), calm), UTC);
        assertEquals(List.of("scanner sim: updated 40 s ago — STALE (no update for more than 30 s: is can-scanner running?)",
                "  frames 10 · clock jumps 0"), quiet.subList(4, 6));
    }
}
