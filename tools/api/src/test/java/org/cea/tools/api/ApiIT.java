package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertEvents;
import org.cea.redisio.AlertKeys;
import org.cea.redisio.LiveUpdate;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.MessageRow;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every endpoint's happy path and bad-input answers against a private redis-server and a private
 * PostgreSQL database. Expected values are written out by hand from the fixture rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiIT {
    /** 2026-01-01T00:00:00Z: the fixture rows sit in the two minutes after it. */
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private RedisServer redis;
    private ApiStack api;
    private final Map<String, Long> ids = new HashMap<>();

    @BeforeAll
    void start() {
        redis = RedisServer.start(false);
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("api_it");
        try (Store store = Store.open(pg.url(db))) {
            store.writeBatch(List.of(
                    msg("1-0", 0, 0x101, 1, "PT100", "{\"temp_dry_c\":23.55,\"temp_wet_c\":18.2,\"status\":0,\"seq\":1}"),
                    msg("2-0", 1, 0x202, 2, "BARO", "{\"pressure_hpa\":1013.2,\"temp_c\":22.1,\"seq\":1}"),
                    msg("3-0", 2, 0x301, 3, "PT100", "{\"temp_dry_c\":25.0,\"temp_wet_c\":19.0,\"status\":0,\"seq\":1}")),
                    List.of(reading(0, 400), reading(10, 410), reading(20, 420), reading(60, 500), reading(70, 520),
                            new ReadingRow(T0.plusSeconds(5).toEpochMilli() * 1000, "rh_b", 59.5994100647309),
                            new ReadingRow(T0.plusSeconds(6).toEpochMilli() * 1000, "rh_b", 60.0)));
        }
        for (String row : pg.psql(db, "SELECT source_id || '=' || id FROM can_messages").split("\n")) {
            String[] kv = row.split("=");
            ids.put(kv[0], Long.parseLong(kv[1]));
        }
        // can-api runs as the read-only role of sql/roles.sql (same grants; trust authentication here)
        pg.psql(db, "DO $$ BEGIN CREATE ROLE cea_reader LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        pg.psql(db, "GRANT CONNECT ON DATABASE " + db + " TO cea_reader");
        pg.psql(db, "GRANT USAGE ON SCHEMA public TO cea_reader");
        pg.psql(db, "GRANT SELECT ON can_messages, sensor_readings TO cea_reader");
        for (String agg : List.of("sensor_readings_1m", "sensor_readings_1h")) {
            if (!pg.psql(db, "SELECT to_regclass('" + agg + "') IS NOT NULL").equals("f")) {
                pg.psql(db, "GRANT SELECT ON " + agg + " TO cea_reader");
            }
        }
        api = new ApiStack(redis.url(), pg.url(db).replace("postgresql://postgres@", "postgresql://cea_reader@"));
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static MessageRow msg(String source, int second, int canId, int node, String type, String json) {
        return new MessageRow(source, T0.plusSeconds(second).toEpochMilli() * 1000, canId, false, node, type, 8,
                "00 00 00 00 00 00 00 01", json);
    }

    private static ReadingRow reading(int second, double value) {
        return new ReadingRow(T0.plusSeconds(second).toEpochMilli() * 1000, "co2_v", value);
    }

    private static Map<String, JsonObject> byName(JsonArray sensors) {
        Map<String, JsonObject> m = new HashMap<>();
        for (JsonElement e : sensors) {
            m.put(e.getAsJsonObject().get("name").getAsString(), e.getAsJsonObject());
        }
        return m;
    }

    private void assertBad(String path, int status, String parameter, String messagePart) {
        ApiStack.Reply r = api.get(path);
        assertEquals(status, r.status(), path + " -> " + r.body());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonObject j = r.json();
        assertEquals(status, j.get("status").getAsInt());
        String message = j.get("message").getAsString();
        assertTrue(message.contains(messagePart), "message of " + path + " should mention '" + messagePart + "': " + message);
        if (parameter != null) {
            assertEquals(parameter, j.get("parameter").getAsString(), path);
        }
    }

    @Test
    void sensorsListsEveryProfileSensorWithLiveValuesAndStaleFlags() {
        long now = System.currentTimeMillis();
        api.live(new LiveUpdate("dry_bulb_b", 23.5, "°C", now), new LiveUpdate("co2_v", 812, "ppm", now - 1000));
        ApiStack.Reply r = api.get("/api/sensors");
        assertEquals(200, r.status(), r.body());
        Map<String, JsonObject> s = byName(r.json().getAsJsonArray("sensors"));
        // sensor names and rooms per DESIGN.md "Sensor names" and etc/facility.json
        for (String name : List.of("dry_bulb_b", "wet_bulb_f", "co2_v", "rh_b", "vpd_v", "pressure_f", "secondary_temp_b",
                "secondary_rh_v", "lab_temp", "water_temp", "water_level")) {
            assertTrue(s.containsKey(name), "missing " + name + " in " + s.keySet());
        }
        assertEquals(23.5, s.get("dry_bulb_b").get("value").getAsDouble());
        assertEquals("°C", s.get("dry_bulb_b").get("unit").getAsString());
        assertEquals("flower_back", s.get("dry_bulb_b").get("room").getAsString());
        assertFalse(s.get("dry_bulb_b").get("stale").getAsBoolean());
        assertEquals(now, s.get("dry_bulb_b").get("ts").getAsLong());
        assertEquals(812.0, s.get("co2_v").get("value").getAsDouble());
        assertTrue(s.get("co2_v").get("age_ms").getAsLong() >= 1000);
        assertTrue(s.get("water_level").get("value").isJsonNull());
        assertTrue(s.get("water_level").get("stale").getAsBoolean());
        assertEquals("lab", s.get("water_level").get("room").getAsString());
    }

    @Test
    void oneSensorAndUnknownSensor() {
        long now = System.currentTimeMillis();
        api.live(new LiveUpdate("lab_temp", 21.25, "°C", now));
        ApiStack.Reply r = api.get("/api/sensors/lab_temp");
        assertEquals(200, r.status(), r.body());
        assertEquals(21.3, r.json().get("value").getAsDouble());   // 21.25 at lab_temp's precision 1
        assertEquals("lab", r.json().get("room").getAsString());
        assertBad("/api/sensors/no_such_sensor", 404, null, "unknown sensor 'no_such_sensor'");
        assertBad("/api/sensors/lab_temp?verbose=1", 400, "verbose", "unknown parameter 'verbose'");
    }

    @Test
    void historyIsBucketedAvgMinMax() {
        ApiStack.Reply r = api.get("/api/sensors/co2_v/history?from=2026-01-01T00:00:00Z&to=2026-01-01T00:02:00Z&points=2");
        assertEquals(200, r.status(), r.body());
        JsonArray data = r.json().getAsJsonArray("data");
        assertEquals(2, data.size(), r.body());
        // 60 s buckets: {400, 410, 420} and {500, 520}
        JsonObject b0 = data.get(0).getAsJsonObject();
        assertEquals(T0.toEpochMilli(), b0.get("t").getAsLong());
        assertEquals(410.0, b0.get("avg").getAsDouble(), 1e-9);
        assertEquals(400.0, b0.get("min").getAsDouble());
        assertEquals(420.0, b0.get("max").getAsDouble());
        assertEquals(3, b0.get("count").getAsLong());
        JsonObject b1 = data.get(1).getAsJsonObject();
        assertEquals(T0.plusSeconds(60).toEpochMilli(), b1.get("t").getAsLong());
        assertEquals(510.0, b1.get("avg").getAsDouble(), 1e-9);
        assertEquals(2, b1.get("count").getAsLong());
        assertEquals("ppm", r.json().get("unit").getAsString());
        // Unix ms and an offset form name the same range
        ApiStack.Reply ms = api.get("/api/sensors/co2_v/history?from=" + T0.toEpochMilli() + "&to=2026-01-01T01:02:00%2B01:00&points=2");
        assertEquals(r.json().get("data"), ms.json().get("data"));
        // default range (last 24 h) holds none of the 2026-01-01 rows but answers
        assertEquals(200, api.get("/api/sensors/co2_v/history").status());
    }

    @Test
    void historyRejectsBadParameters() {
        String base = "/api/sensors/co2_v/history";
        assertBad(base + "?from=yesterday", 400, "from", "'yesterday'");
        assertBad(base + "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", 400, "from", "reversed");
        assertBad(base + "?from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", 400, "from", "reversed or empty");
        assertBad(base + "?from=1969-12-31T00:00:00Z&to=2026-01-01T00:00:00Z", 400, "from", "on or after 1970-01-01");
        assertBad(base + "?from=2026-13-01", 400, "from", "a date (2026-11-26)");
        assertBad(base + "?to=2026-01-01T25:00", 400, "to", "'2026-01-01T25:00'");
        // an unencoded '+' arrives as a space: the message says so and shows the encoded form
        assertBad(base + "?from=2026-01-01T01:00:00+01:00", 400, "from", "send it as %2B (2026-01-01T01:00:00%2B01:00)");
        assertBad(base + "?to=2026-01-01T01:00+0100", 400, "to", "the offset's '+' was lost");
        assertBad(base + "?points=0", 400, "points", "1..5000");
        assertBad(base + "?points=abc", 400, "points", "'abc'");
        assertBad(base + "?points=5001", 400, "points", "5001");
        assertBad(base + "?from=now-1h&from=now-2h", 400, "from", "given 2 times");
        assertBad(base + "?sql=DROP%20TABLE%20can_messages", 400, "sql", "unknown parameter");
        assertBad("/api/sensors/co2_v'%3B--/history", 404, null, "unknown sensor");
        assertBad("/api/sensors/nope/history?from=now-1h", 404, null, "unknown sensor 'nope'");
    }

    @Test
    void historyTakesPlainDatesAndLocalTimesInTheFacilityZone() {
        // the test zone is Europe/Amsterdam, UTC+1 in January: local 01:00 is 00:00Z
        ApiStack.Reply utc = api.get("/api/sensors/co2_v/history?from=2026-01-01T00:00:00Z&to=2026-01-01T00:02:00Z&points=2");
        ApiStack.Reply local = api.get("/api/sensors/co2_v/history?from=2026-01-01T01:00&to=2026-01-01T01:02:00&points=2");
        assertEquals(200, local.status(), local.body());
        assertEquals(utc.json().get("data"), local.json().get("data"));
        assertEquals("2026-01-01T00:00:00Z", local.json().get("from").getAsString());
        // a plain date is the local day; as 'to' it is the end of that day, so from=D&to=D is all of D
        ApiStack.Reply day = api.get("/api/sensors/co2_v/history?from=2026-01-01&to=2026-01-01&points=1");
        assertEquals(200, day.status(), day.body());
        assertEquals("2025-12-31T23:00:00Z", day.json().get("from").getAsString());
        assertEquals("2026-01-01T23:00:00Z", day.json().get("to").getAsString());
        JsonArray all = day.json().getAsJsonArray("data");
        assertEquals(5, all.get(0).getAsJsonObject().get("count").getAsLong(), day.body());
        ApiStack.Reply before = api.get("/api/sensors/co2_v/history?from=2025-12-31&to=2025-12-31");
        assertEquals(0, before.json().getAsJsonArray("data").size(), before.body());
    }

    @Test
    void historyOfAnyRangeBeyond366DaysComesInBucketsOfADayOrMore() {
        ApiStack.Reply r = api.get("/api/sensors/co2_v/history?from=2020-01-01&to=2026-06-01&points=5000");
        assertEquals(200, r.status(), r.body());
        JsonObject j = r.json();
        // 2019-12-31T23:00Z .. 2026-06-01T22:00Z, 2343.96 days: meets at most 2345 UTC days
        assertEquals(2345, j.get("points").getAsInt(), r.body());
        assertEquals(86_400_000L, j.get("bucket_ms").getAsLong(), r.body());
        JsonArray data = j.getAsJsonArray("data");
        assertEquals(1, data.size(), r.body());
        JsonObject b = data.get(0).getAsJsonObject();
        assertEquals(T0.toEpochMilli(), b.get("t").getAsLong());   // 2026-01-01T00:00Z starts a UTC day bucket
        assertEquals(5, b.get("count").getAsLong());
        assertEquals(450.0, b.get("avg").getAsDouble());            // (400+410+420+500+520)/5
        assertEquals(200, api.get("/api/sensors/co2_v/history?from=1970-01-02&to=9999-12-30").status());
        // local midnight of 1970-01-01 in Amsterdam is 1969-12-31T23:00Z, before the epoch
        assertBad("/api/sensors/co2_v/history?from=1970-01-01", 400, "from", "on or after 1970-01-01T00:00:00Z");
    }

    @Test
    void valuesAreRoundedToTheSensorsPrecisionInHistoryAndLiveAnswers() {
        // facility.json: rh precision 1, co2 precision 0
        ApiStack.Reply r = api.get("/api/sensors/rh_b/history?from=2026-01-01T00:00:00Z&to=2026-01-01T00:01:00Z&points=1");
        assertEquals(200, r.status(), r.body());
        JsonObject b = r.json().getAsJsonArray("data").get(0).getAsJsonObject();
        assertEquals(59.8, b.get("avg").getAsDouble(), r.body());   // (59.5994100647309 + 60) / 2 = 59.79970503...
        assertEquals(59.6, b.get("min").getAsDouble(), r.body());
        assertEquals(60.0, b.get("max").getAsDouble(), r.body());
        assertTrue(r.body().contains("\"avg\":59.8,"), r.body());
        assertEquals("RH", r.json().get("label").getAsString());
        assertEquals(1, r.json().get("precision").getAsInt());
        long now = System.currentTimeMillis();
        api.live(new LiveUpdate("rh_b", 59.5994100647309, "%", now), new LiveUpdate("co2_f", 811.5, "ppm", now));
        Map<String, JsonObject> s = byName(api.get("/api/sensors").json().getAsJsonArray("sensors"));
        assertEquals(59.6, s.get("rh_b").get("value").getAsDouble());
        assertEquals(812.0, s.get("co2_f").get("value").getAsDouble());
        try (ApiStack.LiveClient c = api.new LiveClient()) {
            c.next("snapshot", Duration.ofSeconds(5));
            api.live(new LiveUpdate("rh_b", 61.04999, "%", now + 100));
            // the update of the earlier publication may still arrive after the snapshot: skip to this one
            JsonObject reading;
            do {
                reading = c.next("update", Duration.ofSeconds(5)).getAsJsonArray("readings").get(0).getAsJsonObject();
            } while (reading.get("ts").getAsLong() < now + 100);
            assertEquals(61.0, reading.get("value").getAsDouble(), reading.toString());
        }
    }

    @Test
    void sensorsCarryDisplayNamesBandsAndAState() {
        long now = System.currentTimeMillis();
        api.live(new LiveUpdate("dry_bulb_f", 25.14, "°C", now), new LiveUpdate("co2_b", 1600, "ppm", now),
                new LiveUpdate("wet_bulb_b", 18.0, "°C", now - 9_700));
        Map<String, JsonObject> s = Map.of();
        for (long end = System.nanoTime() + 5_000_000_000L; System.nanoTime() < end; ApiStack.sleep(50)) {
            // the key of a reading taken 9.7 s ago expires 0.3 s later: the API knows it from the published update
            s = byName(api.get("/api/sensors").json().getAsJsonArray("sensors"));
            if (s.get("wet_bulb_b").get("value").isJsonNull() && s.get("dry_bulb_f").get("value").isJsonPrimitive()) {
                break;
            }
        }
        JsonObject dry = s.get("dry_bulb_f");
        // facility.json: sensors.dry_bulb.label, nodes.2.label; automation.json: air_temp 16..32 on dry_bulb
        assertEquals("Dry bulb", dry.get("label").getAsString());
        assertEquals("Flower room, front", dry.get("room_label").getAsString());
        assertEquals(25.1, dry.get("value").getAsDouble());
        assertEquals("in_band", dry.get("state").getAsString());
        JsonObject band = dry.getAsJsonObject("band");
        assertEquals(16.0, band.get("min").getAsDouble());
        assertEquals(32.0, band.get("max").getAsDouble());
        assertEquals("rule", band.get("source").getAsString());
        assertEquals("[\"air_temp\"]", band.get("rules").toString());
        // co2_high: max 1500 only
        assertEquals("out_of_band", s.get("co2_b").get("state").getAsString());
        assertTrue(s.get("co2_b").getAsJsonObject("band").get("min").isJsonNull());
        // no band rule for pressure: its valid range 300..1100 hPa
        JsonObject pressure = s.get("pressure_v").getAsJsonObject("band");
        assertEquals("valid_range", pressure.get("source").getAsString());
        assertEquals(300.0, pressure.get("min").getAsDouble());
        // a reading older than the stale limit is stale and still shown
        assertEquals("stale", s.get("wet_bulb_b").get("state").getAsString());
        assertEquals(18.0, s.get("wet_bulb_b").get("last_value").getAsDouble());
        assertTrue(s.get("wet_bulb_b").get("value").isJsonNull(), s.get("wet_bulb_b").toString());
        JsonObject gone = api.get("/api/sensors/wet_bulb_b").json();
        assertTrue(gone.get("value").isJsonNull(), gone.toString());
        assertEquals("stale", gone.get("state").getAsString());
        assertEquals(18.0, gone.get("last_value").getAsDouble());
        assertEquals(now - 9_700, gone.get("last_ts").getAsLong());
        // a faulted sensor: an active 'faulted' alert names it
        Alert fault = new Alert("faulted:dry_bulb_f", "faulted", "faulted", "critical", "firing", "flower_front", "dry_bulb_f",
                2, null, null, "dry bulb of flower room front is faulted", now, now, null, null, null, now, null);
        new AlertEvents(api.jedis).record(List.of(new AlertEvents.Event(null, "firing", now, fault, Set.of())));
        try {
            assertEquals("faulted", api.get("/api/sensors/dry_bulb_f").json().get("state").getAsString());
        } finally {
            api.jedis.del(AlertKeys.ACTIVE);
        }
        JsonObject all = api.get("/api/sensors").json();
        assertEquals("Europe/Amsterdam", all.get("time_zone").getAsString());
        // rooms with their CAN node (facility.json nodes) and lights (automation.json rooms)
        JsonObject veg = all.getAsJsonArray("rooms").get(2).getAsJsonObject();
        assertEquals("veg", veg.get("room").getAsString());
        assertEquals(3, veg.get("node").getAsInt());
        assertEquals("23:00", veg.getAsJsonObject("lights").get("off").getAsString());
        assertTrue(all.getAsJsonArray("rooms").get(3).getAsJsonObject().get("lights").isJsonNull());
    }

    @Test
    void messagesNewestFirstPageAndFilters() {
        JsonArray all = api.get("/api/messages?limit=2").json().getAsJsonArray("messages");
        assertEquals(List.of(ids.get("2-0"), ids.get("3-0")), idsOf(all));
        JsonObject baro = all.get(0).getAsJsonObject();
        assertEquals("BARO", baro.get("type").getAsString());
        assertEquals("0x202", baro.get("can_id").getAsString());
        assertEquals(2, baro.get("node_id").getAsInt());
        assertEquals("2026-01-01T00:00:01Z", baro.get("timestamp").getAsString());
        assertEquals(1013.2, baro.getAsJsonObject("decoded").get("pressure_hpa").getAsDouble());
        assertEquals("00 00 00 00 00 00 00 01", baro.get("raw_data").getAsString());
        assertEquals(List.of(ids.get("1-0"), ids.get("3-0")), idsOf(api.get("/api/messages?type=PT100").json().getAsJsonArray("messages")));
        assertEquals(List.of(ids.get("2-0")), idsOf(api.get("/api/messages?node=2").json().getAsJsonArray("messages")));
        assertEquals(List.of(ids.get("2-0"), ids.get("3-0")),
                idsOf(api.get("/api/messages?after_id=" + ids.get("1-0")).json().getAsJsonArray("messages")));
        assertEquals(List.of(), idsOf(api.get("/api/messages?type=LAB").json().getAsJsonArray("messages")));
    }

    private static List<Long> idsOf(JsonArray a) {
        List<Long> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsJsonObject().get("id").getAsLong()));
        return out;
    }

    @Test
    void messagesRejectBadParameters() {
        assertBad("/api/messages?limit=0", 400, "limit", "1..1000");
        assertBad("/api/messages?limit=1001", 400, "limit", "was 1001");
        assertBad("/api/messages?limit=ten", 400, "limit", "'ten'");
        assertBad("/api/messages?node=-1", 400, "node", "0..255");
        assertBad("/api/messages?node=x", 400, "node", "'x'");
        assertBad("/api/messages?type=NOPE", 400, "type", "unknown message type 'NOPE'");
        assertBad("/api/messages?type=PT100'%20OR%201=1", 400, "type", "unknown message type");
        assertBad("/api/messages?after_id=-5", 400, "after_id", "was -5");
        assertBad("/api/messages?order=asc", 400, "order", "unknown parameter 'order'");
    }

    @Test
    void statsCountsPerTypeInTheWindow() {
        ApiStack.Reply r = api.get("/api/stats?from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z");
        assertEquals(200, r.status(), r.body());
        JsonObject counts = r.json().getAsJsonObject("counts");
        assertEquals(2, counts.get("PT100").getAsLong());
        assertEquals(1, counts.get("BARO").getAsLong());
        assertEquals(3, r.json().get("total").getAsLong());
        // [00:00:01, 00:00:02) holds only the BARO row
        JsonObject one = api.get("/api/stats?from=2026-01-01T00:00:01Z&to=2026-01-01T00:00:02Z").json().getAsJsonObject("counts");
        assertEquals(1, one.size());
        assertEquals(1, one.get("BARO").getAsLong());
        assertBad("/api/stats?from=now&to=now-1h", 400, "from", "reversed");
        assertBad("/api/stats?to=never", 400, "to", "'never'");
    }

    @Test
    void healthIsOkWithAFreshWorkerAndNamesAStaleWorker() {
        api.workerReport(System.currentTimeMillis());
        api.allSensorsLive();
        ApiStack.Reply ok = api.get("/health");
        assertEquals(200, ok.status(), ok.body());
        JsonObject j = ok.json();
        assertEquals("ok", j.get("status").getAsString());
        assertTrue(j.getAsJsonObject("redis").get("ok").getAsBoolean());
        assertTrue(j.getAsJsonObject("redis").has("stream_length"));
        assertEquals("POSTGRES", j.getAsJsonObject("database").get("backend").getAsString().replace("TIMESCALEDB", "POSTGRES"));
        assertEquals(100, j.getAsJsonObject("worker").getAsJsonObject("status").get("processed").getAsLong());
        api.workerReport(System.currentTimeMillis() - 60_000);
        ApiStack.Reply stale = api.get("/health");
        assertEquals(503, stale.status(), stale.body());
        assertEquals("worker", stale.json().getAsJsonArray("failing").get(0).getAsString());
        api.workerReport(System.currentTimeMillis());
    }

    @Test
    void metricsArePrometheusText() {
        api.get("/api/sensors");
        api.get("/api/messages?limit=0");
        ApiStack.Reply r = api.get("/metrics");
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("text/plain; version=0.0.4"), r.contentType());
        assertTrue(r.body().contains("cea_api_requests_total{route=\"/api/sensors\",status=\"200\"}"), r.body());
        assertTrue(r.body().contains("cea_api_requests_total{route=\"/api/messages\",status=\"400\"}"), r.body());
        assertTrue(r.body().contains("cea_api_request_duration_seconds_bucket{route=\"/api/sensors\",le=\"+Inf\"}"), r.body());
        assertTrue(r.body().contains("# TYPE cea_api_redis_errors_total counter"), r.body());
    }

    @Test
    void openApiDashboardAndChartLibraryAreServed() {
        JsonObject spec = api.get("/api/openapi.json").json();
        JsonObject paths = spec.getAsJsonObject("paths");
        for (String p : List.of("/health", "/metrics", "/api/sensors", "/api/sensors/{name}", "/api/sensors/{name}/history",
                "/api/messages", "/api/stats", "/ws/live")) {
            assertNotNull(paths.get(p), "openapi.json lacks " + p);
        }
        ApiStack.Reply page = api.get("/");
        assertEquals(200, page.status());
        assertTrue(page.contentType().startsWith("text/html"));
        assertTrue(page.body().contains("/webjars/uplot/uPlot.iife.min.js"));
        ApiStack.Reply js = api.get("/webjars/uplot/uPlot.iife.min.js");
        assertEquals(200, js.status());
        assertTrue(js.body().contains("uPlot"), "not the uPlot bundle");
        assertEquals(200, api.get("/app.js").status());
        assertBad("/webjars/uplot/../../org/cea/tools/api/ApiMain.class", 404, null, "no such path");
        assertBad("/nope", 404, null, "no such path: /nope");
        // rejected by Jetty itself (ambiguous encoded slash), still answered as JSON
        assertBad("/api/sensors/co2_v%2F..%2Fx/history", 400, null, "");
    }

    @Test
    void writesAreRefused() {
        ApiStack.Reply r = api.send(HttpRequest.newBuilder(URI.create(api.server.uri() + "api/sensors"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(405, r.status());
        assertEquals("method_not_allowed", r.json().get("error").getAsString());
    }

    @Test
    void webSocketSendsSnapshotThenUpdatesThenStaleMarks() {
        long now = System.currentTimeMillis();
        api.live(new LiveUpdate("secondary_rh_f", 55.5, "%", now));
        try (ApiStack.LiveClient c = api.new LiveClient()) {
            JsonObject snap = c.next("snapshot", Duration.ofSeconds(5));
            Map<String, JsonObject> s = byName(snap.getAsJsonArray("sensors"));
            assertEquals(55.5, s.get("secondary_rh_f").get("value").getAsDouble());
            assertTrue(s.containsKey("water_temp"));
            api.live(new LiveUpdate("secondary_rh_f", 56.25, "%", now + 500));
            JsonObject up = c.next("update", Duration.ofSeconds(5));
            JsonObject reading = up.getAsJsonArray("readings").get(0).getAsJsonObject();
            assertEquals("secondary_rh_f", reading.get("name").getAsString());
            assertEquals(56.3, reading.get("value").getAsDouble());   // secondary_rh: precision 1
            assertEquals(now + 500, reading.get("ts").getAsLong());
            // a reading taken 9.2 s ago turns stale 0.8 s from now, with no further message from Redis
            long old = System.currentTimeMillis() - 9_200;
            api.live(new LiveUpdate("water_temp", 18.0, "°C", old));
            JsonObject stale = c.next("stale", Duration.ofSeconds(5));
            assertTrue(stale.getAsJsonArray("names").toString().contains("\"water_temp\""), stale.toString());
            assertTrue(System.currentTimeMillis() - old >= 10_000, "marked stale too early");
        }
    }
}
