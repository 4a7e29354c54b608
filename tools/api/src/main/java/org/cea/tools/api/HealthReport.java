package org.cea.tools.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.WorkerStatus;
import org.cea.tools.api.ApiHandler.Reply;

/**
 * {@code GET /health}: 200 {@code ok} when Redis, the database and the worker are fine, no sensor
 * is stale and no critical alert fires; 503 {@code unavailable} naming the failing parts, or 503
 * {@code degraded} naming what is degraded ({@code stale_sensors}, {@code critical_alerts},
 * {@code db_jobs}: a scheduled TimescaleDB job failing, late or paused, from the worker's report).
 */
final class HealthReport {
    /** The worker counts as down when its status hash is older than this. */
    static final Duration WORKER_STALE = Duration.ofSeconds(30);
    private final SensorCatalog catalog;
    private final LiveState live;
    private final HistorySource history;
    private final LiveHub hub;
    private final Clock clock;
    private final long staleAfterMs;
    private final AlertEndpoints alerts;

    HealthReport(SensorCatalog catalog, LiveState live, HistorySource history, LiveHub hub, Clock clock,
                 long staleAfterMs, AlertEndpoints alerts) {
        this.catalog = catalog;
        this.live = live;
        this.history = history;
        this.hub = hub;
        this.clock = clock;
        this.staleAfterMs = staleAfterMs;
        this.alerts = alerts;
    }

    /** The report; 200 only when {@code status} is {@code ok}. */
    Reply health() {
        List<String> failing = new ArrayList<>();
        List<String> degraded = new ArrayList<>();
        Map<String, Object> body = Json.obj("status", null, "failing", failing, "degraded", degraded, "ts", clock.millis());
        Map<String, Object> worker = Json.obj("ok", null);
        Map<String, String> workerStatus = redis(body, worker, failing, degraded);
        body.put("database", database(workerStatus, failing, degraded));
        body.put("worker", worker);
        String status = !failing.isEmpty() ? "unavailable" : !degraded.isEmpty() ? "degraded" : "ok";
        body.put("status", status);
        return Reply.json("ok".equals(status) ? 200 : 503, body);
    }

    /** Redis, the worker's status, stale sensors and alerts (all read from Redis); returns the worker's status hash. */
    private Map<String, String> redis(Map<String, Object> body, Map<String, Object> worker, List<String> failing,
                                      List<String> degraded) {
        Map<String, Object> redis = Json.obj("ok", true, "live_subscription", hub.subscribed(), "ws_clients", hub.clients(),
                "ws_slow_clients_dropped", hub.slowDrops());
        Map<String, String> workerStatus = Map.of();
        body.put("redis", redis);
        try {
            redis.put("ping_ms", live.ping() / 1e6);
            redis.put("stream_length", live.streamLength());
            workerStatus = live.workerStatus();
            workerHealth(workerStatus, worker);
            if (!Boolean.TRUE.equals(worker.get("ok"))) {
                failing.add("worker");
            }
            degraded.addAll(alerts.health(body, staleSensors(), catalog.names().size(), staleAfterMs));
        } catch (RedisIoException e) {
            redis.put("ok", false);
            redis.put("error", e.getMessage());
            worker.put("error", "unknown: Redis is unavailable");
            failing.add("redis");
        }
        return workerStatus;
    }

    private Map<String, Object> database(Map<String, String> workerStatus, List<String> failing, List<String> degraded) {
        Map<String, Object> db = Json.obj("ok", true);
        try {
            db.put("backend", history.check());
        } catch (ApiException e) {
            db.put("ok", false);
            db.put("error", e.getMessage());
            failing.add("database");
        }
        Object jobs = dbJobs(workerStatus.get(WorkerStatus.DB_JOBS));
        db.put("jobs", jobs);
        if (jobs instanceof Map<?, ?> m && "degraded".equals(m.get("state"))) {
            degraded.add("db_jobs");
        }
        return db;
    }

    /**
     * The worker's report of the database's scheduled jobs ({@code worker:status} field
     * {@code db_jobs}) as a JSON value; {@code state} {@code unknown} when no worker has written one.
     */
    private static Object dbJobs(String json) {
        if (json == null || json.isBlank()) {
            return Json.obj("state", "unknown", "reason", "no " + WorkerStatus.DB_JOBS + " in " + WorkerStatus.KEY
                    + " (can-worker not running, or older than the job report)");
        }
        try {
            return new com.google.gson.Gson().fromJson(json, Map.class);
        } catch (RuntimeException e) {
            return Json.obj("state", "unknown", "reason", WorkerStatus.DB_JOBS + " is not JSON: " + e.getMessage());
        }
    }

    /** Profile sensors without a live reading within the stale limit, in profile order. */
    private List<String> staleSensors() {
        Map<String, LiveReading> all = live.readAll(catalog.names());
        long now = clock.millis();
        List<String> stale = new ArrayList<>();
        for (String name : catalog.names()) {
            LiveReading r = all.get(name);
            if (r == null || r.isStale(now, staleAfterMs)) {
                stale.add(name);
            }
        }
        return stale;
    }

    private void workerHealth(Map<String, String> status, Map<String, Object> out) {
        if (status.isEmpty()) {
            out.put("ok", false);
            out.put("error", "no " + WorkerStatus.KEY + " hash in Redis: is can-worker running?");
            return;
        }
        Map<String, Object> fields = new TreeMap<>();
        status.forEach((k, v) -> {
            if (!k.equals(WorkerStatus.DB_JOBS)) { // shown parsed under database.jobs
                fields.put(k, number(v));
            }
        });
        out.put("status", fields);
        Instant updated = parseTime(status.get("updated_at"));
        if (updated == null) {
            out.put("ok", false);
            out.put("error", "worker:status has no readable updated_at: '" + status.get("updated_at") + "'");
            return;
        }
        long age = Duration.between(updated, clock.instant()).toMillis();
        out.put("age_ms", age);
        out.put("lag", number(status.get("lag")));
        boolean ok = age <= WORKER_STALE.toMillis();
        out.put("ok", ok);
        if (!ok) {
            out.put("error", "worker:status last updated " + age / 1000 + " s ago (limit " + WORKER_STALE.toSeconds() + " s)");
        }
    }

    /** Unix ms, Unix s (with fraction) or ISO-8601; null when none of these. */
    static Instant parseTime(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(s.trim());
            return d > 1e11 ? Instant.ofEpochMilli((long) d) : Instant.ofEpochMilli((long) (d * 1000));
        } catch (NumberFormatException notNumber) {
            try {
                return QueryParams.parseInstant(s.trim(), Instant.EPOCH);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    private static Object number(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(v);
                return Double.isFinite(d) ? d : v;
            } catch (NumberFormatException e2) {
                return v;
            }
        }
    }
}
