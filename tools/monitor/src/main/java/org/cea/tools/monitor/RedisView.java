package org.cea.tools.monitor;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cea.redisio.LiveKeys;
import org.cea.redisio.ScannerStatus;
import org.cea.redisio.WorkerStatus;

/** The Redis + backend status screen as lines: a pure function of a {@link RedisSnapshot}. */
final class RedisView {
    /** A sensor without a reading for longer than this is stale (the live keys' TTL, DESIGN.md). */
    static final Duration SENSOR_STALE = Duration.ofMillis(LiveKeys.TTL_MS);
    /** A worker status older than this is stale (the limit of can-api's {@code /health}). */
    static final Duration WORKER_STALE = Duration.ofSeconds(30);
    private static final String SENSOR_ROW = "  %-16s  %10s  %-5s  %8s  %s";

    private RedisView() {
    }

    /**
     * Renders a snapshot: header, Redis state and stream lengths, the worker's status with its age,
     * the newest service failures, and every profile sensor with value, unit, age and staleness
     * (last, as the longest section: what a small terminal cuts).
     *
     * @param s    what was collected
     * @param zone time zone for the header
     * @return the lines, without line terminators
     */
    static List<String> render(RedisSnapshot s, ZoneId zone) {
        List<String> out = new ArrayList<>();
        out.add("CEA Redis + backend status · " + s.target() + " · " + Text.stamp(s.takenAtMillis(), zone));
        if (!s.up()) {
            out.add("redis: DOWN — " + s.error() + ", retrying");
            return out;
        }
        out.add("redis: ok · " + "can:raw " + s.rawLength() + " entries · can:dead " + s.deadLength() + " entries");
        for (String p : s.problems()) {
            out.add("  unreadable: " + p);
        }
        alerts(s, zone, out);
        out.add("");
        worker(s.workerStatus(), s.takenAtMillis(), out);
        scanner(s.scannerStatus(), s.takenAtMillis(), zone, out);
        out.add("");
        failures(s, out);
        out.add("");
        sensors(s, out);
        return out;
    }

    private static void worker(Map<String, String> w, long now, List<String> out) {
        if (w.isEmpty()) {
            out.add("worker: no " + WorkerStatus.KEY + " hash — is can-worker running?");
            return;
        }
        String head = "worker " + field(w, "consumer") + ": ";
        Long updated = parseLong(w.get("updated_at"));
        if (updated == null) {
            out.add(head + "updated_at unreadable ('" + field(w, "updated_at") + "') — STALE");
        } else {
            long age = now - updated;
            out.add(head + "updated " + Text.age(age) + " ago" + (age > WORKER_STALE.toMillis()
                    ? " — STALE (no update for more than " + WORKER_STALE.toSeconds() + " s: is can-worker running?)"
                    : ""));
        }
        out.add("  processed " + field(w, "processed") + " · rate " + field(w, "rate") + "/s · pending "
                + field(w, "pending") + " · lag " + field(w, "lag"));
        String lost = w.containsKey("lost_frames") && !"{}".equals(w.get("lost_frames"))
                ? " " + w.get("lost_frames") : "";
        out.add("  dead-lettered " + field(w, "dead_lettered") + " · invalid readings " + field(w, "invalid_readings")
                + " · lost frames " + field(w, "lost_frames_total") + lost + " · lost entries " + field(w, "lost_entries"));
        String db = w.get("db");
        String error = w.getOrDefault("last_error", "");
        out.add("  db " + ("down".equalsIgnoreCase(db) ? "DOWN" : field(w, "db")) + " · last error: "
                + (error.isBlank() ? "none" : error));
        String jobs = w.get(WorkerStatus.DB_JOBS);
        if (jobs != null) {
            for (String line : JobLines.ofJson(jobs)) {
                out.add("  " + line);
            }
        }
    }

    /**
     * The scanner's status, when it wrote one (a scanner with Redis does every 5 s): its age, frames
     * and the wall-clock jumps it saw, the newest with size, direction and time.
     */
    private static void scanner(Map<String, String> sc, long now, ZoneId zone, List<String> out) {
        if (sc.isEmpty()) {
            return;
        }
        Long updated = parseLong(sc.get("updated_at"));
        String age = updated == null ? "updated_at unreadable ('" + field(sc, "updated_at") + "') — STALE"
                : "updated " + Text.age(now - updated) + " ago" + (now - updated > ScannerStatus.STALE_MS
                        ? " — STALE (no update for more than " + ScannerStatus.STALE_MS / 1000 + " s: is can-scanner running?)"
                        : "");
        out.add("scanner " + field(sc, "source") + ": " + age);
        String jumps = sc.getOrDefault("clock_jumps", "0");
        Long at = parseLong(sc.get("clock_jump_at"));
        out.add("  frames " + field(sc, "frames") + " · clock jumps " + jumps + ("0".equals(jumps) ? ""
                : " — CLOCK JUMPED, last " + field(sc, "clock_jump_last")
                        + (at == null ? "" : " at " + Text.stamp(at, zone))
                        + " (timestamps across it are not comparable)"));
    }

    /** Active alerts (only when there are any): critical first, with state, age and the grower's sentence. */
    private static void alerts(RedisSnapshot s, ZoneId zone, List<String> out) {
        if (s.alerts().isEmpty()) {
            return;
        }
        long critical = s.alerts().stream().filter(a -> a.firing() && a.critical()).count();
        out.add("");
        out.add("alerts: " + s.alerts().size() + " active" + (critical > 0 ? " · " + critical + " CRITICAL firing — DEGRADED" : ""));
        for (org.cea.redisio.Alert a : s.alerts()) {
            out.add(String.format(Locale.ROOT, "  %-8s %-7s %-28s since %s%s", a.severity().toUpperCase(Locale.ROOT),
                    a.state(), a.id(), Text.age(s.takenAtMillis() - a.since()), a.ackedBy() == null ? "" : " · acked by "
                    + a.ackedBy()));
            out.add("           " + a.message());
        }
    }

    private static void sensors(RedisSnapshot s, List<String> out) {
        long stale = s.sensors().stream().filter(x -> isStale(x, s.takenAtMillis())).count();
        out.add("sensors: " + s.sensors().size() + " in the profile · " + (s.sensors().size() - stale) + " live · "
                + stale + " stale (no reading in " + SENSOR_STALE.toSeconds() + " s)");
        out.add(String.format(Locale.ROOT, SENSOR_ROW, "SENSOR", "VALUE", "UNIT", "AGE", "").stripTrailing());
        for (RedisSnapshot.Sensor x : s.sensors()) {
            boolean st = isStale(x, s.takenAtMillis());
            String value = x.live() == null ? Text.NONE : Text.value(x.live().value());
            String age = x.live() == null ? Text.NONE : Text.age(s.takenAtMillis() - x.live().tsMillis());
            out.add(String.format(Locale.ROOT, SENSOR_ROW, x.name(), value, x.unit(), age, st ? "stale" : "")
                    .stripTrailing());
        }
    }

    private static void failures(RedisSnapshot s, List<String> out) {
        if (s.failures().isEmpty()) {
            out.add("service failures: none");
            return;
        }
        out.add("service failures (newest first, " + s.failures().size() + " shown):");
        for (String f : s.failures()) {
            out.add("  " + f.replaceAll("\\s+", " ").trim());
        }
    }

    /** No live value, or one whose reading is older than {@link #SENSOR_STALE}. */
    static boolean isStale(RedisSnapshot.Sensor x, long now) {
        // stamped beyond the skew allowance in the future: taken before the clock was stepped back
        return x.live() == null || now - x.live().tsMillis() > SENSOR_STALE.toMillis()
                || x.live().tsMillis() - now > LiveKeys.CLOCK_SKEW_MS;
    }

    private static String field(Map<String, String> w, String name) {
        String v = w.get(name);
        return v == null || v.isBlank() ? Text.NONE : v;
    }

    private static Long parseLong(String s) {
        try {
            return s == null ? null : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
