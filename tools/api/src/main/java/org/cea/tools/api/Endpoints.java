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
import java.util.Set;
import java.util.regex.Pattern;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.WorkerStatus;
import org.cea.tools.api.ApiHandler.Reply;

/**
 * The JSON endpoints. Live values come from Redis ({@link LiveState}), history from the database
 * ({@link HistorySource}); each half answers 503 on its own when its backend is down.
 */
final class Endpoints {
    /** Longest stats range; beyond it, history is served in buckets of at least {@link #COARSE_BUCKET}. */
    static final Duration MAX_RANGE = Duration.ofDays(366);
    /** Narrowest bucket of a history range longer than {@link #MAX_RANGE}. */
    static final Duration COARSE_BUCKET = Duration.ofDays(1);
    /** How long the database's newest readings are reused for "last seen" of expired live values. */
    static final Duration LAST_SEEN_CACHE = Duration.ofSeconds(10);
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
    private volatile Map<String, org.cea.tsdb.ReadingRow> lastSeenDb = Map.of();
    private volatile long lastSeenDbAt = Long.MIN_VALUE;

    Endpoints(SensorCatalog catalog, LiveState live, HistorySource history, LiveHub hub, Clock clock, long staleAfterMs) {
        this.catalog = catalog;
        this.live = live;
        this.history = history;
        this.hub = hub;
        this.clock = clock;
        this.staleAfterMs = staleAfterMs;
        this.alerts = new AlertEndpoints(live, history, clock, catalog);
    }

    /** {@code /api/alerts*}. */
    AlertEndpoints alerts() {
        return alerts;
    }

    /** The facility's local time zone (plain dates in parameters, day and night). */
    java.time.ZoneId zone() {
        return catalog.zone();
    }

    /**
     * {@code GET /api/sensors}: every sensor's live value in one Redis round trip, with its display
     * name, band and state; a sensor whose live key expired carries its last known reading.
     */
    Reply sensors(QueryParams p) {
        Map<String, LiveReading> all = readLive(catalog.names());
        Set<String> faulted = faultedSensors();
        long now = clock.millis();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SensorInfo s : catalog.sensors()) {
            rows.add(row(s, all.get(s.name()), now, faulted));
        }
        return Reply.json(200, Json.obj("ts", now, "stale_after_ms", staleAfterMs, "time_zone", catalog.zone().getId(),
                "rooms", rooms(), "sensors", rows));
    }

    /** {@code GET /api/sensors/{name}}. */
    Reply sensor(String name, QueryParams p) {
        SensorInfo s = known(name);
        LiveReading r = readLive(List.of(name)).get(name);
        return Reply.json(200, row(s, r, clock.millis(), faultedSensors()));
    }

    /** Rooms in profile order: name, display name, CAN node, lights schedule (or null). */
    private List<Map<String, Object>> rooms() {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (SensorInfo s : catalog.sensors()) {
            if (seen.add(s.room())) {
                SensorCatalog.Lights l = catalog.lights(s.room()).orElse(null);
                out.add(Json.obj("room", s.room(), "label", s.roomLabel(), "node", catalog.node(s.room()).orElse(null),
                        "lights", l == null ? null : Json.obj("on", l.on().toString(), "off", l.off().toString())));
            }
        }
        return out;
    }

    private Map<String, Object> row(SensorInfo s, LiveReading r, long now, Set<String> faulted) {
        LiveReading reading = r == null ? LiveReading.absent(s.name()) : r;
        Map<String, Object> row = LiveHub.view(catalog, s, reading, now, staleAfterMs);
        LiveReading last = reading.value() != null ? reading : lastSeen(s.name());
        row.put("last_value", last == null ? null : s.round(last.value()));
        row.put("last_ts", last == null ? null : last.tsMillis());
        if (faulted.contains(s.name())) {
            row.put("state", "faulted");
        } else if (reading.value() == null && last != null) {
            row.put("state", "stale");
        }
        return row;
    }

    /** Sensors named by an active {@code faulted} or {@code out_of_range} alert (empty when none or unknown). */
    private Set<String> faultedSensors() {
        Set<String> out = new java.util.HashSet<>();
        try {
            for (org.cea.redisio.Alert a : live.activeAlerts()) {
                if (a.sensor() != null && ("faulted".equals(a.kind()) || "out_of_range".equals(a.kind()))) {
                    out.add(a.sensor());
                }
            }
        } catch (RedisIoException e) {
            throw ApiException.unavailable("redis", "live values unavailable: " + e.getMessage());
        }
        return out;
    }

    /** The newest reading seen over pub/sub, else the database's newest row (cached), else null. */
    private LiveReading lastSeen(String name) {
        LiveReading r = hub.lastSeen(name);
        if (r != null) {
            return r;
        }
        long now = System.nanoTime();
        if (now - lastSeenDbAt > LAST_SEEN_CACHE.toNanos() || lastSeenDbAt == Long.MIN_VALUE) {
            lastSeenDbAt = now;
            try {
                lastSeenDb = history.latest();
            } catch (ApiException e) {
                lastSeenDb = Map.of();   // the live half answers while the database is down
            }
        }
        org.cea.tsdb.ReadingRow row = lastSeenDb.get(name);
        return row == null ? null : new LiveReading(name, row.value(), Math.floorDiv(row.timeMicros(), 1000L));
    }

    /**
     * {@code GET /api/sensors/{name}/history?from=&to=&points=}: any range; one longer than
     * {@link #MAX_RANGE} is served in buckets of at least {@link #COARSE_BUCKET}. Values are rounded
     * to the sensor's precision.
     */
    Reply history(String name, QueryParams p) {
        SensorInfo s = known(name);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant[] range = p.range(now, Duration.ofHours(24), null);
        int points = (int) p.integer("points", 300, 1, MAX_POINTS);
        Duration length = Duration.between(range[0], range[1]);
        if (length.compareTo(MAX_RANGE) > 0) {
            // a range of n days (not aligned to UTC midnight) meets at most ceil(n) + 1 day buckets
            long days = -Math.floorDiv(-length.toMillis(), COARSE_BUCKET.toMillis());
            points = (int) Math.min(points, days + 1);
        }
        List<Map<String, Object>> data = new ArrayList<>();
        for (HistorySource.Bucket b : history.history(name, range[0], range[1], points)) {
            data.add(Json.obj("t", b.bucket().toEpochMilli(), "avg", s.round(b.avg()), "min", s.round(b.min()),
                    "max", s.round(b.max()), "count", b.count()));
        }
        return Reply.json(200, Json.obj("sensor", name, "unit", s.unit(), "room", s.room(), "from", range[0].toString(),
                "to", range[1].toString(), "points", points,
                "bucket_ms", org.cea.tsdb.Store.bucketWidth(range[0], range[1], points).toMillis(),
                "label", s.label(), "room_label", s.roomLabel(), "precision", s.precision(), "data", data));
    }

    /**
     * A checked export request: what {@code /api/export} or {@code /api/export/messages} will stream.
     *
     * @param sensors  sensor names in the order asked, or null for the {@code can_messages} rows
     * @param from     start, inclusive
     * @param to       end, exclusive
     * @param filename the download's file name
     */
    record Export(List<String> sensors, Instant from, Instant to, String filename) {
    }

    /**
     * Checks {@code /api/export?sensors=&from=&to=&format=csv} ({@code messages}: false) or
     * {@code /api/export/messages?from=&to=&format=csv} (true): any range (default the last 24 h),
     * sensors a comma-separated list of known names or {@code all}, format {@code csv}.
     *
     * @throws ApiException 400 naming the parameter, 404 for an unknown sensor
     */
    Export export(QueryParams p, boolean messages) {
        String format = p.string("format");
        if (format != null && !format.equals("csv")) {
            throw ApiException.badParameter("format", "parameter 'format' must be csv, was '" + format + "'");
        }
        Instant[] range = p.range(clock.instant().truncatedTo(ChronoUnit.MILLIS), Duration.ofHours(24), null);
        String stamp = range[0].toString().replace(":", "") + "_" + range[1].toString().replace(":", "");
        if (messages) {
            return new Export(null, range[0], range[1], "can_messages_" + stamp + ".csv");
        }
        String list = p.string("sensors");
        if (list == null || list.isBlank()) {
            throw ApiException.badParameter("sensors", "parameter 'sensors' is required: comma-separated sensor names"
                    + " (e.g. dry_bulb_b,wet_bulb_b) or 'all'");
        }
        List<String> names = new ArrayList<>();
        if (list.trim().equals("all")) {
            names.addAll(catalog.names());
        } else {
            for (String n : list.split(",", -1)) {
                String name = n.trim();
                if (catalog.sensor(name).isEmpty()) {
                    throw ApiException.badParameter("sensors", "parameter 'sensors': unknown sensor '" + name
                            + "'; known sensors: " + String.join(", ", catalog.names()));
                }
                if (names.contains(name)) {
                    throw ApiException.badParameter("sensors", "parameter 'sensors' names '" + name + "' twice");
                }
                names.add(name);
            }
        }
        String what = names.size() == 1 ? names.get(0) : names.size() + "_sensors";
        return new Export(names, range[0], range[1], "readings_" + what + "_" + stamp + ".csv");
    }

    /** Opens the export's own store (503 when the database is down). */
    org.cea.tsdb.Store openExport() {
        return history.openExport();
    }

    /** Most local days one summary request covers. */
    static final int MAX_SUMMARY_DAYS = 366;
    /** Base names summarized by default, when the room has them. */
    private static final List<String> SUMMARY_BASES = List.of("dry_bulb", "rh", "vpd", "co2");

    /**
     * {@code GET /api/summaries?room=&from=&to=&sensors=}: per local day of the facility's zone and
     * per period of the room's lights ({@code day}: lights-on to lights-off, {@code night}: from
     * lights-off to the next lights-on; a room without a schedule has one period {@code all}, the
     * calendar day), for each sensor: min, mean, max and the share of readings within the band
     * that applies in that period (the rules' band, else the valid range).
     */
    Reply summaries(QueryParams p) {
        String room = p.string("room");
        List<SensorInfo> roomSensors = catalog.sensors().stream().filter(s -> s.room().equals(room)).toList();
        if (room == null || roomSensors.isEmpty()) {
            List<String> rooms = catalog.sensors().stream().map(SensorInfo::room).distinct().toList();
            throw ApiException.badParameter("room", "parameter 'room' must be one of " + String.join(", ", rooms)
                    + (room == null ? "" : ", was '" + room + "'"));
        }
        java.time.ZoneId zone = catalog.zone();
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), zone);
        Instant from = p.instant("from", today.minusDays(6).atStartOfDay(zone).toInstant(), clock.instant(), false);
        Instant to = p.instant("to", today.plusDays(1).atStartOfDay(zone).toInstant(), clock.instant(), true);
        java.time.LocalDate first = java.time.LocalDate.ofInstant(from, zone);
        java.time.LocalDate last = java.time.LocalDate.ofInstant(to.minusNanos(1), zone);
        if (!from.isBefore(to)) {
            throw ApiException.badParameter("from", "time range is reversed or empty: from " + from + " is not before to " + to);
        }
        if (first.plusDays(MAX_SUMMARY_DAYS).isBefore(last.plusDays(1))) {
            throw ApiException.badParameter("from", "at most " + MAX_SUMMARY_DAYS + " days per request, was " + first + " .. " + last);
        }
        List<SensorInfo> chosen = summarySensors(p.string("sensors"), roomSensors);
        List<String[]> periods = new ArrayList<>();   // date, period name
        List<Instant[]> spans = new ArrayList<>();
        SensorCatalog.Lights lights = catalog.lights(room).orElse(null);
        for (java.time.LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            if (lights == null) {
                periods.add(new String[] {d.toString(), "all"});
                spans.add(new Instant[] {d.atStartOfDay(zone).toInstant(), d.plusDays(1).atStartOfDay(zone).toInstant()});
                continue;
            }
            Instant on = d.atTime(lights.on()).atZone(zone).toInstant();
            Instant off = (lights.off().isAfter(lights.on()) ? d : d.plusDays(1)).atTime(lights.off()).atZone(zone).toInstant();
            Instant nextOn = d.plusDays(1).atTime(lights.on()).atZone(zone).toInstant();
            periods.add(new String[] {d.toString(), "day"});
            spans.add(new Instant[] {on, off});
            periods.add(new String[] {d.toString(), "night"});
            spans.add(new Instant[] {off, nextOn});
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SensorInfo s : chosen) {
            List<org.cea.tsdb.SummaryWindow> windows = new ArrayList<>();
            for (Instant[] span : spans) {
                SensorCatalog.CurrentBand band = catalog.band(s, span[0].plus(Duration.between(span[0], span[1]).dividedBy(2)));
                windows.add(new org.cea.tsdb.SummaryWindow(span[0], span[1], band.min(), band.max()));
            }
            List<org.cea.tsdb.Summary> out = history.summarize(s.name(), windows);
            for (int i = 0; i < out.size(); i++) {
                org.cea.tsdb.Summary x = out.get(i);
                Double pct = x.inBandPercent();
                rows.add(Json.obj("date", periods.get(i)[0], "period", periods.get(i)[1], "from", spans.get(i)[0].toEpochMilli(),
                        "to", spans.get(i)[1].toEpochMilli(), "sensor", s.name(), "label", s.label(), "unit", s.unit(),
                        "count", x.count(), "min", s.round(x.min()), "mean", s.round(x.mean()), "max", s.round(x.max()),
                        "in_band_pct", pct == null ? null : Math.round(pct * 10) / 10.0,
                        "band_min", s.round(x.window().bandMin()), "band_max", s.round(x.window().bandMax())));
            }
        }
        return Reply.json(200, Json.obj("room", room, "room_label", roomSensors.get(0).roomLabel(), "time_zone", zone.getId(),
                "lights", lights == null ? null : Json.obj("on", lights.on().toString(), "off", lights.off().toString()),
                "from", first.toString(), "to", last.toString(), "rows", rows));
    }

    private List<SensorInfo> summarySensors(String list, List<SensorInfo> roomSensors) {
        if (list == null) {
            List<SensorInfo> out = new ArrayList<>();
            for (String base : SUMMARY_BASES) {
                roomSensors.stream().filter(s -> s.name().equals(base) || s.name().startsWith(base + "_")
                        && !s.name().substring(base.length() + 1).contains("_")).findFirst().ifPresent(out::add);
            }
            return out.isEmpty() ? roomSensors : out;
        }
        List<SensorInfo> out = new ArrayList<>();
        for (String n : list.split(",", -1)) {
            SensorInfo s = roomSensors.stream().filter(x -> x.name().equals(n.trim())).findFirst().orElseThrow(() ->
                    ApiException.badParameter("sensors", "parameter 'sensors': '" + n.trim() + "' is not a sensor of this room;"
                            + " its sensors: " + String.join(", ", roomSensors.stream().map(SensorInfo::name).toList())));
            if (out.contains(s)) {
                throw ApiException.badParameter("sensors", "parameter 'sensors' names '" + s.name() + "' twice");
            }
            out.add(s);
        }
        return out;
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
     * or 503 {@code degraded} naming what is degraded ({@code stale_sensors}, {@code critical_alerts},
     * {@code db_jobs}: a scheduled TimescaleDB job failing, late or paused, from the worker's report).
     */
    Reply health(QueryParams p) {
        List<String> failing = new ArrayList<>();
        List<String> degraded = new ArrayList<>();
        Map<String, Object> body = Json.obj("status", null, "failing", failing, "degraded", degraded, "ts", clock.millis());
        Map<String, Object> redis = Json.obj("ok", true, "live_subscription", hub.subscribed(), "ws_clients", hub.clients(),
                "ws_slow_clients_dropped", hub.slowDrops());
        Map<String, Object> worker = Json.obj("ok", null);
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
        body.put("database", db);
        body.put("worker", worker);
        String status = !failing.isEmpty() ? "unavailable" : !degraded.isEmpty() ? "degraded" : "ok";
        body.put("status", status);
        return Reply.json("ok".equals(status) ? 200 : 503, body);
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
        Map<String, Object> fields = new java.util.TreeMap<>();
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
