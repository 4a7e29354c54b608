package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * {@code /api/export} against a private PostgreSQL database: the CSV rows must equal the rows psql
 * reads for the same range (the expected side never goes through lib-tsdb), and every bad parameter
 * is a 400 naming it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportIT {
    /** 2026-03-01T00:00:00Z; readings every 7 s for 2 h, two sensors, plus rows outside the range. */
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private RedisServer redis;
    private PostgresCluster pg;
    private String db;
    private ApiStack api;

    @BeforeAll
    void start() {
        redis = RedisServer.start(false);
        pg = TestServers.postgres();
        db = TestServers.newDatabase("export_it");
        try (Store store = Store.open(pg.url(db))) {
            List<ReadingRow> rows = new ArrayList<>();
            for (int i = 0; i < 2 * 3600 / 7; i++) {
                long us = T0.plusSeconds(7L * i).toEpochMilli() * 1000 + 123;   // microseconds survive the export
                rows.add(new ReadingRow(us, "dry_bulb_v", 20 + i % 50 / 7.0));
                rows.add(new ReadingRow(us + 1, "rh_v", 55 + Math.sin(i) * 3));
                rows.add(new ReadingRow(us, "co2_v", 400 + i));
            }
            store.writeBatch(List.of(
                    new MessageRow("1-0", T0.plusSeconds(10).toEpochMilli() * 1000 + 5, 0x301, false, 3, "PT100", 8,
                            "CC 09 1C 07 00 00 00 01", "{\"temp_dry_c\":25.08,\"temp_wet_c\":18.2,\"status\":0,\"seq\":1}"),
                    new MessageRow("2-0", T0.plusSeconds(20).toEpochMilli() * 1000, 0x7AB, false, null, null, 2, "AA FF", null),
                    new MessageRow("3-0", T0.plusSeconds(7200).toEpochMilli() * 1000, 0x302, false, 3, "BARO", 8,
                            "8F 27 0C FE 00 00 00 FF", "{\"pressure_hpa\":1012.7,\"temp_c\":-5.0,\"seq\":255}")), rows);
        }
        api = new ApiStack(redis.url(), pg.url(db));
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

    @Test
    void csvRowsEqualTheDatabasesRowsForTheRange() throws Exception {
        String from = "2026-03-01T00:10:00Z";
        String to = "2026-03-01T01:40:00Z";
        HttpResponse<String> r = api.http.send(HttpRequest.newBuilder(api.server.uri().resolve(
                "/api/export?sensors=rh_v,dry_bulb_v&from=" + from + "&to=" + to + "&format=csv")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/csv; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        assertTrue(r.headers().firstValue("content-disposition").orElse("").startsWith("attachment; filename=\"readings_2_sensors_"),
                r.headers().toString());
        List<String> lines = new ArrayList<>(Arrays.asList(r.body().split("\r\n")));
        assertEquals("time,sensor,value", lines.remove(0));
        // the database's rows, read by psql: sensor by sensor in the order asked, each in time order
        String expected = pg.psql(db, "SELECT (extract(epoch FROM time) * 1000000)::bigint || ',' || sensor || ',' || value::text"
                + " FROM sensor_readings WHERE sensor IN ('rh_v', 'dry_bulb_v') AND time >= '" + from + "' AND time < '" + to + "'"
                + " ORDER BY sensor = 'dry_bulb_v', time");
        List<String> want = Arrays.asList(expected.split("\n"));
        assertEquals(want.size(), lines.size(), "rows in the range");
        assertTrue(want.size() > 1500, "fixture too small: " + want.size());
        for (int i = 0; i < want.size(); i++) {
            String[] w = want.get(i).split(",");
            String[] got = lines.get(i).split(",");
            Instant t = Instant.parse(got[0]);
            assertEquals(Long.parseLong(w[0]), t.getEpochSecond() * 1_000_000 + t.getNano() / 1000, "time of row " + i);
            assertEquals(w[1], got[1], "sensor of row " + i);
            assertEquals(Double.parseDouble(w[2]), Double.parseDouble(got[2]), "value of row " + i + ": " + lines.get(i));
        }
    }

    @Test
    void rawMessagesForARangeAsCsv() {
        ApiStack.Reply r = api.get("/api/export/messages?from=2026-03-01T00:00:00Z&to=2026-03-01T02:00:00Z&format=csv");
        assertEquals(200, r.status(), r.body());
        String[] lines = r.body().split("\r\n");
        assertEquals(3, lines.length, r.body());   // header + the two rows before 02:00 (the BARO row is at 02:00, excluded)
        assertEquals(CsvExport.MESSAGES_HEADER, lines[0]);
        String id1 = pg.psql(db, "SELECT id FROM can_messages WHERE source_id = '1-0'");
        String id2 = pg.psql(db, "SELECT id FROM can_messages WHERE source_id = '2-0'");
        // JSONB's own text form (keys by length, then name), quoted with its quotes doubled (RFC 4180)
        assertEquals(id1 + ",2026-03-01T00:00:10.000005Z,0x301,false,3,PT100,8,CC 09 1C 07 00 00 00 01,"
                + "\"{\"\"seq\"\": 1, \"\"status\"\": 0, \"\"temp_dry_c\"\": 25.08, \"\"temp_wet_c\"\": 18.2}\",1-0", lines[1]);
        assertEquals(id2 + ",2026-03-01T00:00:20Z,0x7AB,false,,,2,AA FF,,2-0", lines[2]);
    }

    @Test
    void badParametersAre400sNamingTheParameter() {
        bad("/api/export?from=now-1h", "sensors", "is required");
        bad("/api/export?sensors=rh_v,nope", "sensors", "unknown sensor 'nope'");
        bad("/api/export?sensors=rh_v,rh_v", "sensors", "names 'rh_v' twice");
        bad("/api/export?sensors=rh_v&format=xlsx", "format", "must be csv, was 'xlsx'");
        bad("/api/export?sensors=rh_v&from=last%20week", "from", "'last week'");
        bad("/api/export?sensors=rh_v&from=2026-03-02&to=2026-03-01", "from", "reversed");
        bad("/api/export?sensors=rh_v&from=2026-03-01T00:00:00+01:00", "from", "%2B");
        bad("/api/export?sensors=rh_v&limit=5", "limit", "unknown parameter");
        bad("/api/export/messages?sensors=rh_v", "sensors", "unknown parameter");
        bad("/api/export/messages?to=never", "to", "'never'");
        // a whole local day and the whole table answer too (any range)
        assertEquals(200, api.get("/api/export?sensors=all&from=2026-03-01&to=2026-03-01").status());
        assertEquals(200, api.get("/api/export/messages?from=1970-01-02&to=9999-12-30").status());
    }

    private void bad(String path, String parameter, String messagePart) {
        ApiStack.Reply r = api.get(path);
        assertEquals(400, r.status(), path + " -> " + r.body());
        JsonObject j = r.json();
        assertEquals(parameter, j.get("parameter").getAsString(), path);
        assertTrue(j.get("message").getAsString().contains(messagePart), path + ": " + j.get("message"));
    }

}
