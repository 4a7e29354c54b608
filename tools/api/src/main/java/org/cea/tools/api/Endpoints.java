package org.cea.tools.api;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.cea.tools.api.ApiHandler.Reply;

/**
 * The JSON endpoints, one method per route. Live values come from Redis ({@link LiveState}),
 * history from the database ({@link HistorySource}); each half answers 503 on its own when its
 * backend is down. The live sensor rows are {@link LiveSensors}, {@code /health} is
 * {@link HealthReport}, {@code /api/summaries} is {@link SummaryReport}, the export's parameters
 * {@link ExportRequest}; history, messages and stats are read here.
 */
final class Endpoints {
    /** Longest stats range; beyond it, history is served in buckets of at least {@link #COARSE_BUCKET}. */
    static final Duration MAX_RANGE = Duration.ofDays(366);
    /** Narrowest bucket of a history range longer than {@link #MAX_RANGE}. */
    static final Duration COARSE_BUCKET = Duration.ofDays(1);
    /** Most buckets a history query returns. */
    static final int MAX_POINTS = 5_000;
    /** Most messages one query returns. */
    static final int MAX_LIMIT = 1_000;
    private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private final SensorCatalog catalog;
    private final HistorySource history;
    private final Clock clock;
    private final AlertEndpoints alerts;
    private final LiveSensors sensors;
    private final HealthReport health;
    private final SummaryReport summaries;

    Endpoints(SensorCatalog catalog, LiveState live, HistorySource history, LiveHub hub, Clock clock, long staleAfterMs) {
        this.catalog = catalog;
        this.history = history;
        this.clock = clock;
        this.alerts = new AlertEndpoints(live, history, clock, catalog);
        this.sensors = new LiveSensors(catalog, live, history, hub, clock, staleAfterMs);
        this.health = new HealthReport(catalog, live, history, hub, clock, staleAfterMs, alerts);
        this.summaries = new SummaryReport(catalog, history, clock);
    }

    /** {@code /api/alerts*}. */
    AlertEndpoints alerts() {
        return alerts;
    }

    /** The facility's local time zone (plain dates in parameters, day and night). */
    ZoneId zone() {
        return catalog.zone();
    }

    /**
     * {@code GET /api/sensors}: every sensor's live value in one Redis round trip, with its display
     * name, band and state; a sensor whose live key expired carries its last known reading.
     */
    Reply sensors(QueryParams p) {
        return sensors.sensors();
    }

    /** {@code GET /api/sensors/{name}}. */
    Reply sensor(String name, QueryParams p) {
        return sensors.sensor(known(name));
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
     * Checks {@code /api/export} ({@code messages}: false) or {@code /api/export/messages} (true).
     *
     * @throws ApiException 400 naming the parameter, 404 for an unknown sensor
     */
    ExportRequest export(QueryParams p, boolean messages) {
        return ExportRequest.of(p, messages, catalog, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    /** Opens the export's own store (503 when the database is down). */
    org.cea.tsdb.Store openExport() {
        return history.openExport();
    }

    /** {@code GET /api/summaries?room=&from=&to=&sensors=}: see {@link SummaryReport}. */
    Reply summaries(QueryParams p) {
        return summaries.summaries(p);
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

    /** {@code GET /health}: see {@link HealthReport}. */
    Reply health(QueryParams p) {
        return health.health();
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
