package org.cea.tools.api;

import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.WorkerStatus;
import org.cea.tools.api.ApiHandler.Reply;

/**
 * The JSON endpoints. Live values come from Redis ({@link LiveState}), history from the database
 * ({@link HistorySource}); each half answers 503 on its own when its backend is down.
 */
final class Endpoints {
    /** Longest history or stats range. */
    static final Duration MAX_RANGE = Duration.ofDays(366);
    /** Most buckets a history query returns. */
    static final int MAX_POINTS = 5_000;
    /** Most messages one query returns. */
    static final int MAX_LIMIT = 1_000;
    /** The worker counts as down when its status hash is older than this. */
    static final Duration WORKER_STALE = Duration.ofSeconds(30);
    private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private final SensorCatalog catalog;
    private final LiveState live;
    private final HistorySource history;
    private final LiveHub hub;
    private final Clock clock;
    private final long staleAfterMs;
    private final AlertEndpoints alerts;

    Endpoints(SensorCatalog catalog, LiveState live, HistorySource history, LiveHub hub, Clock clock, long staleAfterMs) {
        this.catalog = catalog;
        this.live = live;
        this.history = history;
        this.hub = hub;
        this.clock = clock;
        this.staleAfterMs = staleAfterMs;
        this.alerts = new AlertEndpoints(live, history, clock);
    }

    /** {@code /api/alerts*}. */
    AlertEndpoints alerts() {
        return alerts;
    }

    /** {@code GET /api/sensors}: every sensor's live value in one Redis round trip. */
    Reply sensors(QueryParams p) {
        Map<String, LiveReading> all = readLive(catalog.names());
        long now = clock.millis();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SensorInfo s : catalog.sensors()) {
            rows.add(LiveHub.view(s, all.get(s.name()), now, staleAfterMs));
        }
        return Reply.json(200, Json.obj("ts", now, "stale_after_ms", staleAfterMs, "sensors", rows));
    }

    /** {@code GET /api/sensors/{name}}. */
    Reply sensor(String name, QueryParams p) {
        SensorInfo s = known(name);
        LiveReading r = readLive(List.of(name)).get(name);
        return Reply.json(200, LiveHub.view(s, r, clock.millis(), staleAfterMs));
    }

    /** {@code GET /api/sensors/{name}/history?from=&to=&points=}. */
    Reply history(String name, QueryParams p) {
        SensorInfo s = known(name);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant[] range = p.range(now, Duration.ofHours(24), MAX_RANGE);
        int points = (int) p.integer("points", 300, 1, MAX_POINTS);
        List<Map<String, Object>> data = new ArrayList<>();
        for (HistorySource.Bucket b : history.history(name, range[0], range[1], points)) {
            data.add(Json.obj("t", b.bucket().toEpochMilli(), "avg", b.avg(), "min", b.min(), "max", b.max(),
                    "count", b.count()));
        }
        return Reply.json(200, Json.obj("sensor", name, "unit", s.unit(), "room", s.room(), "from", range[0].toString(),
                "to", range[1].toString(), "points", points, "data", data));
    }

    /** {@code GET /api/messages?limit=&type=&node=&after_id=}. */
    Reply messages(QueryParams p) {
        int limit = (int) p.integer("limit", 100, 1, MAX_LIMIT);
        String type = p.string("type");
        if (type != null) {
            checkType(type);
        }
        Long node = p.optionalInteger("node", 0, 255);
        Long afterId = p.optionalInteger("after_id", 0, Long.MAX_VALUE);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (HistorySource.Message m : history.messages(limit, type, node == null ? null : node.intValue(), afterId)) {
            rows.add(Json.obj("id", m.id(), "timestamp", m.timestamp().toString(), "ts_ms", m.timestamp().toEpochMilli(),
                    "can_id", String.format(m.extended() ? "0x%08X" : "0x%03X", m.canId()), "extended", m.extended(),
                    "node_id", m.nodeId(), "type", m.messageType(), "dlc", m.dlc(), "raw_data", m.rawData(),
                    "decoded", decoded(m.decodedJson())));
        }
        return Reply.json(200, Json.obj("count", rows.size(), "messages", rows));
    }

    /** {@code GET /api/stats?from=&to=}: message counts per type (default: the last hour). */
    Reply stats(QueryParams p) {
        Instant[] range = p.range(clock.instant().truncatedTo(ChronoUnit.MILLIS), Duration.ofHours(1), MAX_RANGE);
        Map<String, Long> counts = history.countsByType(range[0], range[1]);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return Reply.json(200, Json.obj("from", range[0].toString(), "to", range[1].toString(), "total", total,
                "counts", counts));
    }

    /**
     * {@code GET /health}: 200 {@code ok} when Redis, the database and the worker are fine, no
     * sensor is stale and no critical alert fires; 503 {@code unavailable} naming the failing parts,
     * or 503 {@code degraded} naming what is degraded ({@code stale_sensors}, {@code critical_alerts}).
     */
    Reply health(QueryParams p) {
        List<String> failing = new ArrayList<>();
        List<String> degraded = new ArrayList<>();
        Map<String, Object> body = Json.obj("status", null, "failing", failing, "degraded", degraded, "ts", clock.millis());
        Map<String, Object> redis = Json.obj("ok", true, "live_subscription", hub.subscribed(), "ws_clients", hub.clients());
        Map<String, Object> worker = Json.obj("ok", null);
        body.put("redis", redis);
        try {
            redis.put("ping_ms", live.ping() / 1e6);
            redis.put("stream_length", live.streamLength());
            workerHealth(live.workerStatus(), worker);
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
        Map<String, Object> db = Json.obj("ok", true);
        try {
            db.put("backend", history.check());
        } catch (ApiException e) {
            db.put("ok", false);
            db.put("error", e.getMessage());
            failing.add("database");
        }
        body.put("database", db);
        body.put("worker", worker);
        String status = !failing.isEmpty() ? "unavailable" : !degraded.isEmpty() ? "degraded" : "ok";
        body.put("status", status);
        return Reply.json("ok".equals(status) ? 200 : 503, body);
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
        Map<String, Object> fields = new java.util.TreeMap<>();
        status.forEach((k, v) -> fields.put(k, number(v)));
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

    private SensorInfo known(String name) {
        return catalog.sensor(name).orElseThrow(() -> ApiException.notFound("unknown sensor '" + name
                + "'; known sensors: " + String.join(", ", catalog.names())));
    }

    private void checkType(String type) {
        if (!catalog.messageTypes().isEmpty() && !catalog.messageTypes().contains(type)) {
            throw ApiException.badParameter("type", "unknown message type '" + type + "'; known types: "
                    + String.join(", ", catalog.messageTypes()));
        }
        if (!TYPE_NAME.matcher(type).matches()) {
            throw ApiException.badParameter("type", "parameter 'type' must be a message type name ([A-Za-z0-9_], 1..64 chars), was '"
                    + type + "'");
        }
    }

    private Map<String, LiveReading> readLive(List<String> names) {
        try {
            return live.readAll(names);
        } catch (RedisIoException e) {
            throw ApiException.unavailable("redis", "live values unavailable: " + e.getMessage());
        }
    }

    private static Object decoded(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JsonParser.parseString(json);
        } catch (JsonParseException e) {
            return json;
        }
    }
}
