package org.cea.tools.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertAcks;
import org.cea.redisio.AutomationStatus;
import org.cea.redisio.RedisIoException;
import org.cea.tools.api.ApiHandler.Reply;
import org.cea.tsdb.AlertEventQuery;
import org.cea.tsdb.AlertEventRow;

/**
 * {@code /api/alerts} (active alerts from {@code alerts:active}, history from {@code alert_events},
 * acknowledgements through {@code alerts:acks}) and the alert and stale-sensor parts of
 * {@code /health}. The API never changes an alert itself: cea-automation owns the alert state and
 * applies acknowledgement requests, so the two can never overwrite each other.
 */
final class AlertEndpoints {
    /** How long an acknowledgement waits for cea-automation to apply it before answering 202. */
    static final Duration ACK_WAIT = Duration.ofSeconds(3);
    private static final Set<String> ACK_FIELDS = Set.of("by", "note");
    private final LiveState live;
    private final HistorySource history;
    private final Clock clock;
    private final SensorCatalog catalog;

    AlertEndpoints(LiveState live, HistorySource history, Clock clock, SensorCatalog catalog) {
        this.live = live;
        this.history = history;
        this.clock = clock;
        this.catalog = catalog;
    }

    /** An alert as JSON, its value and threshold rounded to its sensor's precision. */
    private Map<String, Object> view(Alert a) {
        Map<String, Object> m = a.toMap();
        round(m, a.sensor());
        return m;
    }

    private void round(Map<String, Object> m, String sensor) {
        SensorInfo s = sensor == null ? null : catalog.sensor(sensor).orElse(null);
        if (s != null) {
            for (String k : List.of("value", "threshold")) {
                if (m.get(k) instanceof Double d) {
                    m.put(k, s.round(d));
                }
            }
        }
    }

    /** {@code GET /api/alerts}: every active alert, critical first, with counts and cea-automation's status. */
    Reply active(QueryParams p) {
        List<Alert> alerts = readActive();
        long now = clock.millis();
        List<Map<String, Object>> rows = new ArrayList<>();
        alerts.forEach(a -> rows.add(view(a)));
        return Reply.json(200, Json.obj("ts", now, "counts", counts(alerts), "active", rows,
                "automation", automation(now)));
    }

    /** {@code GET /api/alerts/history?from=&to=&limit=&alert=&rule=&room=}: transitions, newest first. */
    Reply history(QueryParams p) {
        Instant now = clock.instant();
        Instant to = p.instant("to", null, now);
        Instant from = p.instant("from", null, now);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badParameter("from", "time range is reversed or empty: from " + from + " is not before to " + to);
        }
        int limit = (int) p.integer("limit", 100, 1, AlertEventQuery.MAX_LIMIT);
        AlertEventQuery q = new AlertEventQuery(limit, from, to, p.string("alert"), p.string("rule"), p.string("room"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AlertEventRow r : history.alertHistory(q)) {
            Map<String, Object> row = Json.obj("event_id", r.eventId(), "ts", r.tsMillis(), "transition", r.transition(), "id", r.alertId(),
                    "rule", r.rule(), "kind", r.kind(), "severity", r.severity(), "state", r.state(), "room", r.room(),
                    "sensor", r.sensor(), "value", r.value(), "threshold", r.threshold(), "message", r.message(),
                    "since", r.sinceMillis(), "fired_at", r.firedAtMillis(), "acked_by", r.ackedBy(), "ack_note", r.ackNote());
            round(row, r.sensor());
            rows.add(row);
        }
        return Reply.json(200, Json.obj("count", rows.size(), "events", rows));
    }

    /**
     * {@code POST /api/alerts/{id}/ack} with {@code {"by": "...", "note": "..."}}: 404 when no such
     * alert is active; else the request goes on {@code alerts:acks} and the reply waits up to
     * {@link #ACK_WAIT} for cea-automation to apply it: 200 with the alert, or 202 when it has not.
     */
    Reply ack(String id, String body) {
        JsonObject o = parseBody(body);
        String by = string(o, "by");
        String note = o.has("note") ? string(o, "note") : "";
        AlertAcks.Ack ack;
        try {
            ack = new AlertAcks.Ack(null, id, by, note, clock.millis());
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(e.getMessage().contains("note") ? "note" : "by", e.getMessage());
        }
        Alert current = find(readActive(), id);
        if (current == null) {
            throw ApiException.notFound("no active alert '" + id + "' (it may have resolved); see GET /api/alerts");
        }
        String requestId;
        try {
            requestId = live.requestAck(ack);
        } catch (RedisIoException e) {
            throw ApiException.unavailable("redis", "cannot queue the acknowledgement: " + e.getMessage());
        }
        long deadline = System.nanoTime() + ACK_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Alert a = find(readActive(), id);
            if (a == null || a.ackedAt() != null && a.ackedAt() >= ack.ts() && by.equals(a.ackedBy())) {
                return Reply.json(200, Json.obj("status", a == null ? "resolved" : "acknowledged", "request_id", requestId,
                        "alert", a == null ? null : view(a)));
            }
            if (!pause()) {
                break;
            }
        }
        return Reply.json(202, Json.obj("status", "queued", "request_id", requestId, "message",
                "queued on alerts:acks; cea-automation has not applied it within " + ACK_WAIT.toSeconds()
                        + " s (is it running?)"));
    }

    /**
     * Adds {@code sensors} and {@code alerts} sections to a {@code /health} body and returns what is
     * degraded: {@code stale_sensors} while any profile sensor has no live reading within the stale
     * limit (seen by the API itself, whether or not cea-automation runs), {@code critical_alerts}
     * while a critical alert fires.
     */
    List<String> health(Map<String, Object> body, List<String> staleSensors, int sensorCount, long staleAfterMs) {
        List<String> degraded = new ArrayList<>();
        body.put("sensors", Json.obj("ok", staleSensors.isEmpty(), "count", sensorCount, "stale", staleSensors,
                "stale_after_ms", staleAfterMs));
        if (!staleSensors.isEmpty()) {
            degraded.add("stale_sensors");
        }
        List<Alert> alerts = live.activeAlerts();
        List<String> critical = new ArrayList<>();
        for (Alert a : alerts) {
            if (a.firing() && a.critical()) {
                critical.add(a.id());
            }
        }
        Map<String, Object> section = Json.obj("ok", critical.isEmpty(), "critical", critical);
        section.putAll(counts(alerts));
        section.put("automation", automation(clock.millis()));
        body.put("alerts", section);
        if (!critical.isEmpty()) {
            degraded.add("critical_alerts");
        }
        return degraded;
    }

    private Map<String, Object> automation(long now) {
        Map<String, String> s;
        try {
            s = live.automationStatus();
        } catch (RedisIoException e) {
            return Json.obj("running", null, "error", e.getMessage());
        }
        Long updated = parseLong(s.get("updated_at"));
        Map<String, Object> notifiers = new TreeMap<>();
        s.forEach((k, v) -> {
            if (k.startsWith(AutomationStatus.NOTIFIER_PREFIX)) {
                notifiers.put(k.substring(AutomationStatus.NOTIFIER_PREFIX.length()), json(v));
            }
        });
        boolean running = updated != null && now - updated <= AutomationStatus.STALE_MS;
        return Json.obj("running", running, "age_ms", updated == null ? null : now - updated, "notifiers", notifiers);
    }

    private static Map<String, Object> counts(List<Alert> alerts) {
        long firing = alerts.stream().filter(Alert::firing).count();
        long critical = alerts.stream().filter(a -> a.firing() && a.critical()).count();
        return Json.obj("firing", firing, "pending", alerts.size() - firing, "critical_firing", critical);
    }

    private List<Alert> readActive() {
        try {
            return live.activeAlerts();
        } catch (RedisIoException e) {
            throw ApiException.unavailable("redis", "active alerts unavailable: " + e.getMessage());
        }
    }

    private static Alert find(List<Alert> alerts, String id) {
        return alerts.stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
    }

    private static JsonObject parseBody(String body) {
        JsonElement e;
        try {
            e = JsonParser.parseString(body == null ? "" : body);
        } catch (JsonParseException x) {
            throw ApiException.badParameter(null, "body must be a JSON object {\"by\": \"name\", \"note\": \"text\"}: "
                    + x.getMessage());
        }
        if (!e.isJsonObject()) {
            throw ApiException.badParameter(null, "body must be a JSON object {\"by\": \"name\", \"note\": \"text\"}, was "
                    + (body == null || body.isBlank() ? "empty" : body.length() > 40 ? body.substring(0, 40) + "…" : body));
        }
        JsonObject o = e.getAsJsonObject();
        for (String k : o.keySet()) {
            if (!ACK_FIELDS.contains(k)) {
                throw ApiException.badParameter(k, "unknown field '" + k + "'; the body takes by, note");
            }
        }
        return o;
    }

    private static String string(JsonObject o, String k) {
        JsonElement v = o.get(k);
        if (v == null || v.isJsonNull()) {
            throw ApiException.badParameter(k, "field '" + k + "' is required (a string)");
        }
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw ApiException.badParameter(k, "field '" + k + "' must be a string, was " + v);
        }
        return v.getAsString();
    }

    private static Object json(String v) {
        try {
            return JsonParser.parseString(v);
        } catch (JsonParseException e) {
            return v;
        }
    }

    private static Long parseLong(String s) {
        try {
            return s == null ? null : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(50);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
