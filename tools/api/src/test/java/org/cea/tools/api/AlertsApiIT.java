package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertEvents;
import org.cea.redisio.AlertKeys;
import org.cea.redisio.LiveKeys;
import org.cea.redisio.WorkerStatus;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.AlertEventLog;
import org.cea.tsdb.AlertEventRow;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.resps.StreamEntry;

/**
 * {@code /api/alerts}, its history and acknowledgements, and {@code /health} turning
 * {@code degraded} (503) for a stale sensor or a critical alert, against a private redis-server
 * and PostgreSQL; alerts are put into Redis the way cea-automation records them (lib-redisio's
 * {@link AlertEvents}), so these tests do not need cea-automation running.
 */
class AlertsApiIT {
    private static RedisServer redis;
    private static String dbUrl;
    private static ApiStack api;

    @BeforeAll
    static void start() {
        redis = RedisServer.start(false);
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("api_alerts");
        dbUrl = pg.url(db);
        Store.applySchema(dbUrl);
        api = new ApiStack(redis.url(), dbUrl);
    }

    @AfterAll
    static void stop() {
        api.close();
        redis.close();
    }

    @BeforeEach
    void clean() {
        redis.command("DEL " + AlertKeys.ACTIVE + " " + AlertKeys.EVENTS + " " + AlertKeys.ACKS + " " + AlertKeys.STATUS
                + " " + WorkerStatus.KEY);
        api.workerReport(System.currentTimeMillis());
        api.allSensorsLive();
    }

    static Alert alert(String id, String severity, String state, long since) {
        return new Alert(id, id.split(":")[0], "band", severity, state, "veg", "vpd_v", null, 1.72, 1.6,
                "VPD in veg 1.72 kPa, above 1.6 kPa", since, "firing".equals(state) ? since + 300_000 : null, null, null,
                null, since + 300_000, null);
    }

    private static void record(Alert... alerts) {
        List<AlertEvents.Event> events = new ArrayList<>();
        for (Alert a : alerts) {
            events.add(new AlertEvents.Event(null, a.state(), a.updatedAt(), a, Set.of()));
        }
        new AlertEvents(api.jedis).record(events);
    }

    @Test
    void healthIsDegradedWhileASensorIsStaleAndOkWhenItRecovers() {
        ApiStack.Reply ok = api.get("/health");
        assertEquals(200, ok.status(), ok.body());
        assertEquals("ok", ok.json().get("status").getAsString());
        assertEquals(0, ok.json().getAsJsonObject("sensors").getAsJsonArray("stale").size());
        // co2_v's reading goes away, as when its node stops sending and the 10 s TTL runs out
        api.jedis.del(LiveKeys.valueKey("co2_v"), LiveKeys.tsKey("co2_v"));
        ApiStack.Reply stale = api.get("/health");
        assertEquals(503, stale.status(), stale.body());
        JsonObject j = stale.json();
        assertEquals("degraded", j.get("status").getAsString());
        assertEquals(List.of("stale_sensors"), strings(j.getAsJsonArray("degraded")));
        assertEquals(0, j.getAsJsonArray("failing").size());
        assertEquals(List.of("co2_v"), strings(j.getAsJsonObject("sensors").getAsJsonArray("stale")));
        assertFalse(j.getAsJsonObject("sensors").get("ok").getAsBoolean());
        // a reading 11 s old is stale too (the API judges the age itself, not only the key's presence)
        long now = System.currentTimeMillis();
        api.jedis.psetex(LiveKeys.valueKey("co2_v"), 5_000, "640");
        api.jedis.psetex(LiveKeys.tsKey("co2_v"), 5_000, Long.toString(now - 11_000));
        assertEquals(List.of("co2_v"), strings(api.get("/health").json().getAsJsonObject("sensors").getAsJsonArray("stale")));
        api.allSensorsLive();
        ApiStack.Reply back = api.get("/health");
        assertEquals(200, back.status(), back.body());
    }

    @Test
    void aFailingDatabaseJobInTheWorkersReportDegradesHealthAndIsNamed() {
        ApiStack.Reply none = api.get("/health");
        assertEquals(200, none.status(), none.body());
        assertEquals("unknown", none.json().getAsJsonObject("database").getAsJsonObject("jobs").get("state").getAsString());
        // as can-worker writes it (WorkerStatus.DB_JOBS), a refresh policy failing 4 times in a row
        WorkerStatus ws = new WorkerStatus(api.jedis);
        ws.publishDbJobs("{\"state\":\"degraded\",\"reason\":\"refresh sensor_readings_1m: 4 failed runs in a row\","
                + "\"checked_at\":1764655200000,\"jobs\":[{\"id\":1002,\"name\":\"refresh sensor_readings_1m\","
                + "\"status\":\"failing\",\"why\":\"4 failed runs in a row (limit 3)\",\"schedule_s\":60,"
                + "\"consecutive_failures\":4,\"last_status\":\"Failed\",\"last_run\":1764655190000,\"last_success\":null,"
                + "\"next_start\":1764655250000,\"last_error\":\"relation sensor_readings_1m does not exist\"}]}");
        ApiStack.Reply h = api.get("/health");
        assertEquals(503, h.status(), h.body());
        assertEquals("degraded", h.json().get("status").getAsString());
        assertEquals(List.of("db_jobs"), strings(h.json().getAsJsonArray("degraded")));
        JsonObject job = h.json().getAsJsonObject("database").getAsJsonObject("jobs").getAsJsonArray("jobs").get(0).getAsJsonObject();
        assertEquals("refresh sensor_readings_1m", job.get("name").getAsString());
        assertEquals("relation sensor_readings_1m does not exist", job.get("last_error").getAsString());
        assertFalse(h.json().getAsJsonObject("worker").getAsJsonObject("status").has(WorkerStatus.DB_JOBS), h.body());
        ws.publishDbJobs("{\"state\":\"not_applicable\",\"reason\":\"plain PostgreSQL\",\"checked_at\":1,\"jobs\":[]}");
        assertEquals(200, api.get("/health").status(), api.get("/health").body());
        ws.publishDbJobs("{\"state\":\"ok\",\"reason\":\"\",\"checked_at\":1,\"jobs\":[]}");
        assertEquals(200, api.get("/health").status(), api.get("/health").body());
    }

    @Test
    void aFiringCriticalAlertDegradesHealthAWarningDoesNot() {
        long t = System.currentTimeMillis() - 600_000;
        record(alert("vpd_day:veg", "warning", "firing", t));
        assertEquals(200, api.get("/health").status(), api.get("/health").body());
        record(alert("redis_unreachable", "critical", "pending", t));
        assertEquals(200, api.get("/health").status(), "a pending critical alert has not fired yet");
        record(alert("redis_unreachable", "critical", "firing", t));
        ApiStack.Reply h = api.get("/health");
        assertEquals(503, h.status(), h.body());
        assertEquals(List.of("critical_alerts"), strings(h.json().getAsJsonArray("degraded")));
        JsonObject alerts = h.json().getAsJsonObject("alerts");
        assertEquals(List.of("redis_unreachable"), strings(alerts.getAsJsonArray("critical")));
        assertEquals(2, alerts.get("firing").getAsLong());
        assertFalse(alerts.getAsJsonObject("automation").get("running").getAsBoolean(), "no automation:status hash");
    }

    @Test
    void activeAlertsAreListedCriticalFirst() {
        long t = System.currentTimeMillis() - 600_000;
        Alert warn = alert("vpd_day:veg", "warning", "firing", t - 1000);
        Alert crit = alert("stale:co2_v", "critical", "firing", t);
        Alert pend = alert("co2_high:veg", "info", "pending", t);
        record(warn, crit, pend);
        ApiStack.Reply r = api.get("/api/alerts");
        assertEquals(200, r.status(), r.body());
        JsonArray active = r.json().getAsJsonArray("active");
        assertEquals(List.of("stale:co2_v", "vpd_day:veg", "co2_high:veg"), ids(active));
        JsonObject first = active.get(1).getAsJsonObject();
        assertEquals(1.72, first.get("value").getAsDouble());
        assertEquals(1.6, first.get("threshold").getAsDouble());
        assertEquals("veg", first.get("room").getAsString());
        assertEquals(t - 1000, first.get("since").getAsLong());
        assertTrue(first.get("acked_by").isJsonNull());
        JsonObject counts = r.json().getAsJsonObject("counts");
        assertEquals(2, counts.get("firing").getAsLong());
        assertEquals(1, counts.get("pending").getAsLong());
        assertEquals(1, counts.get("critical_firing").getAsLong());
        // a hand-written bad value hides nothing else
        api.jedis.hset(AlertKeys.ACTIVE, "junk", "{not json");
        assertEquals(3, api.get("/api/alerts").json().getAsJsonArray("active").size());
        assertEquals(400, api.get("/api/alerts?x=1").status());
    }

    @Test
    void alertValuesAreRoundedToTheSensorsPrecision() {
        long t = System.currentTimeMillis();
        // vpd: precision 2 in etc/facility.json
        Alert a = new Alert("vpd_day:veg", "vpd_day", "band", "warning", "firing", "veg", "vpd_v", null, 1.72345, 1.6049999,
                "VPD in veg 1.72 kPa, above 1.6 kPa", t, t, null, null, null, t, null);
        record(a);
        JsonObject active = api.get("/api/alerts").json().getAsJsonArray("active").get(0).getAsJsonObject();
        assertEquals(1.72, active.get("value").getAsDouble(), active.toString());
        assertEquals(1.6, active.get("threshold").getAsDouble(), active.toString());
    }

    @Test
    void historyComesFromTheDatabaseNewestFirst() {
        long t = 1_795_000_000_000L;
        try (AlertEventLog log = AlertEventLog.open(dbUrl)) {
            log.append(List.of(
                    new AlertEventRow("h-1", t, "co2_high:veg", "co2_high", "band", "warning", "firing", "firing", "veg",
                            "co2_v", 1650.0, 1500.0, "CO2 high", t - 300_000, t, null, null, null),
                    new AlertEventRow("h-2", t + 60_000, "co2_high:veg", "co2_high", "band", "warning", "resolved",
                            "resolved", "veg", "co2_v", 1380.0, 1500.0, "CO2 back", t - 300_000, t, null, null, null),
                    new AlertEventRow("h-3", t + 120_000, "stale:lab_temp", "stale", "stale", "critical", "firing",
                            "firing", "lab", "lab_temp", null, 60.0, "no reading", t, t + 120_000, null, null, null)));
        }
        ApiStack.Reply r = api.get("/api/alerts/history?limit=10");
        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("h-3", "h-2", "h-1"), strings(r.json().getAsJsonArray("events"), "event_id"));
        JsonObject resolved = r.json().getAsJsonArray("events").get(1).getAsJsonObject();
        assertEquals("resolved", resolved.get("transition").getAsString());
        assertEquals(1380.0, resolved.get("value").getAsDouble());
        assertEquals(List.of("h-2", "h-1"), strings(api.get("/api/alerts/history?alert=co2_high:veg").json()
                .getAsJsonArray("events"), "event_id"));
        assertEquals(List.of("h-3"), strings(api.get("/api/alerts/history?room=lab").json().getAsJsonArray("events"), "event_id"));
        assertEquals(List.of("h-2"), strings(api.get("/api/alerts/history?from=" + (t + 1) + "&to=" + (t + 120_000)).json()
                .getAsJsonArray("events"), "event_id"));
        ApiStack.Reply bad = api.get("/api/alerts/history?limit=0");
        assertEquals(400, bad.status());
        assertEquals("limit", bad.json().get("parameter").getAsString());
    }

    @Test
    void anAcknowledgementIsQueuedForCeaAutomationAndBadOnesAreRefused() {
        long t = System.currentTimeMillis() - 60_000;
        record(alert("vpd_day:veg", "warning", "firing", t));
        // cea-automation is not running in this test: the request is queued and the reply says so
        ApiStack.Reply r = post("/api/alerts/vpd_day:veg/ack", "application/json", "{\"by\":\"anna\",\"note\":\"door was open\"}");
        assertEquals(202, r.status(), r.body());
        assertEquals("queued", r.json().get("status").getAsString());
        List<StreamEntry> acks = api.jedis.xrange(AlertKeys.ACKS, "-", "+", 10);
        assertEquals(1, acks.size());
        assertEquals(Map.of("id", "vpd_day:veg", "by", "anna", "note", "door was open"),
                Map.of("id", acks.get(0).getFields().get("id"), "by", acks.get(0).getFields().get("by"),
                        "note", acks.get(0).getFields().get("note")));
        assertEquals(r.json().get("request_id").getAsString(), acks.get(0).getID().toString());

        assertEquals(404, post("/api/alerts/nope/ack", "application/json", "{\"by\":\"anna\"}").status());
        ApiStack.Reply noBy = post("/api/alerts/vpd_day:veg/ack", "application/json", "{\"note\":\"x\"}");
        assertEquals(400, noBy.status());
        assertEquals("by", noBy.json().get("parameter").getAsString());
        assertEquals(400, post("/api/alerts/vpd_day:veg/ack", "application/json", "{\"by\":\"a\",\"extra\":1}").status());
        assertEquals(400, post("/api/alerts/vpd_day:veg/ack", "application/json", "[1]").status());
        assertEquals(415, post("/api/alerts/vpd_day:veg/ack", "text/plain", "{\"by\":\"anna\"}").status());
        assertEquals(413, post("/api/alerts/vpd_day:veg/ack", "application/json",
                "{\"by\":\"anna\",\"note\":\"" + "x".repeat(5000) + "\"}").status());
        ApiStack.Reply get = api.get("/api/alerts/vpd_day:veg/ack");
        assertEquals(405, get.status());
        assertEquals(1, api.jedis.xlen(AlertKeys.ACKS), "refused requests are not queued");
    }

    @Test
    void aRefusedRequestLeavesTheConnectionUsableOrSaysItCloses() {
        record(alert("vpd_day:veg", "warning", "firing", System.currentTimeMillis() - 60_000));
        // a client that reuses the connection after a refusal must get its next answer, not a
        // connection the server closed because the refused body was never read (CI, stop 23)
        byte[] small = "{\"by\":\"anna\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] big = ("{\"by\":\"anna\",\"note\":\"" + "x".repeat(5000) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int port = api.server.uri().getPort();
        Map<String, Integer> refusals = new java.util.LinkedHashMap<>();
        refusals.put("415 text/plain", check(port, "/api/alerts/vpd_day:veg/ack", "text/plain", small));
        refusals.put("413 oversized", check(port, "/api/alerts/vpd_day:veg/ack", "application/json", big));
        refusals.put("405 read-only path", check(port, "/api/sensors", "application/json", small));
        refusals.put("400 query parameter", check(port, "/api/alerts/vpd_day:veg/ack?x=1", "application/json", small));
        assertEquals(Map.of("415 text/plain", 415, "413 oversized", 413, "405 read-only path", 405,
                "400 query parameter", 400), refusals);
        assertEquals(0, api.jedis.xlen(AlertKeys.ACKS), "refused requests are not queued");
    }

    /** One refused POST whose body comes 300 ms after its head, then a GET on the same connection. */
    private static int check(int port, String path, String type, byte[] body) {
        List<RawHttp.Answer> a = RawHttp.postThenGet(port, path, type, body, 300, "/health");
        if (a.size() == 2) {
            assertTrue(a.get(1).status() == 200 || a.get(1).status() == 503, "the next request on the connection: " + a.get(1));
        }
        return a.get(0).status();
    }

    private static ApiStack.Reply post(String path, String type, String body) {
        return api.send(HttpRequest.newBuilder(URI.create(api.server.uri() + path.substring(1)))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static List<String> ids(JsonArray a) {
        return strings(a, "id");
    }

    private static List<String> strings(JsonArray a, String field) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsJsonObject().get(field).getAsString()));
        return out;
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }
}
