package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code /api/summaries} on PostgreSQL and on SQLite with the same readings: the same answer from
 * both, equal to the values worked out by hand below. The veg room's lights (etc/automation.json)
 * are on 05:00-23:00 local time; the tests' zone is Europe/Amsterdam (UTC+1 in January), so on
 * 2026-01-10 the day is 04:00Z-22:00Z and the night 22:00Z-04:00Z on the 11th. Bands:
 * vpd_day 0.8..1.6 kPa, vpd_night 0.4..1.2 kPa, air_temp 16..32 °C around the clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SummariesIT {
    private RedisServer redis;
    private ApiStack pgApi;
    private ApiStack sqliteApi;
    private Path dir;

    @BeforeAll
    void start() {
        redis = RedisServer.start(false);
        PostgresCluster pg = TestServers.postgres();
        String pgUrl = pg.url(TestServers.newDatabase("summaries_it"));
        dir = Processes.tempDir("cea-summaries-");
        String sqliteUrl = "jdbc:sqlite:" + dir.resolve("cea.db");
        List<ReadingRow> rows = List.of(
                r("2026-01-10T03:59:00Z", "vpd_v", 1.0),    // the night of the 9th: not in the 10th
                r("2026-01-10T04:00:00Z", "vpd_v", 1.0),    // lights on: day, in band
                r("2026-01-10T10:00:00Z", "vpd_v", 1.2),    // day, in band
                r("2026-01-10T15:00:00Z", "vpd_v", 1.8),    // day, above 1.6
                r("2026-01-10T21:59:00Z", "vpd_v", 0.7),    // day, below 0.8
                r("2026-01-10T22:00:00Z", "vpd_v", 1.3),    // lights off: night, above 1.2
                r("2026-01-11T03:00:00Z", "vpd_v", 0.5),    // night, in band
                r("2026-01-10T12:00:00Z", "dry_bulb_v", 20.0),
                r("2026-01-10T13:00:00Z", "dry_bulb_v", 33.0));
        for (String url : List.of(pgUrl, sqliteUrl)) {
            try (Store s = Store.open(url)) {
                s.writeBatch(List.of(), rows);
            }
        }
        pgApi = new ApiStack(redis.url(), pgUrl);
        sqliteApi = new ApiStack(redis.url(), sqliteUrl);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {pgApi, sqliteApi, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Processes.deleteTree(dir);
    }

    private static ReadingRow r(String t, String sensor, double v) {
        return new ReadingRow(Instant.parse(t).toEpochMilli() * 1000, sensor, v);
    }

    @Test
    void dayAndNightMinMeanMaxAndShareInBandAreTheSameOnPostgresAndSqlite() {
        String q = "/api/summaries?room=veg&from=2026-01-10&to=2026-01-10&sensors=vpd_v,dry_bulb_v";
        ApiStack.Reply a = pgApi.get(q);
        ApiStack.Reply b = sqliteApi.get(q);
        assertEquals(200, a.status(), a.body());
        assertEquals(a.json().get("rows"), b.json().get("rows"), "PostgreSQL and SQLite differ");
        JsonObject j = a.json();
        assertEquals("Veg room", j.get("room_label").getAsString());
        assertEquals("05:00", j.getAsJsonObject("lights").get("on").getAsString());
        JsonArray rows = j.getAsJsonArray("rows");
        assertEquals(4, rows.size(), a.body());   // vpd day, vpd night, dry bulb day, dry bulb night
        JsonObject day = rows.get(0).getAsJsonObject();
        assertEquals("2026-01-10", day.get("date").getAsString());
        assertEquals("day", day.get("period").getAsString());
        assertEquals(Instant.parse("2026-01-10T04:00:00Z").toEpochMilli(), day.get("from").getAsLong());
        assertEquals(Instant.parse("2026-01-10T22:00:00Z").toEpochMilli(), day.get("to").getAsLong());
        assertEquals(4, day.get("count").getAsLong());
        assertEquals(0.7, day.get("min").getAsDouble());
        assertEquals(1.18, day.get("mean").getAsDouble());   // 4.7 / 4 = 1.175, at vpd's 2 decimals
        assertEquals(1.8, day.get("max").getAsDouble());
        assertEquals(50.0, day.get("in_band_pct").getAsDouble());
        assertEquals(0.8, day.get("band_min").getAsDouble());
        assertEquals(1.6, day.get("band_max").getAsDouble());
        JsonObject night = rows.get(1).getAsJsonObject();
        assertEquals("night", night.get("period").getAsString());
        assertEquals(Instant.parse("2026-01-11T04:00:00Z").toEpochMilli(), night.get("to").getAsLong());
        assertEquals(2, night.get("count").getAsLong());
        assertEquals(0.9, night.get("mean").getAsDouble());
        assertEquals(50.0, night.get("in_band_pct").getAsDouble());
        assertEquals(1.2, night.get("band_max").getAsDouble());
        JsonObject dryDay = rows.get(2).getAsJsonObject();
        assertEquals("dry_bulb_v", dryDay.get("sensor").getAsString());
        assertEquals(26.5, dryDay.get("mean").getAsDouble());
        assertEquals(50.0, dryDay.get("in_band_pct").getAsDouble());
        JsonObject dryNight = rows.get(3).getAsJsonObject();
        assertEquals(0, dryNight.get("count").getAsLong());
        assertTrue(dryNight.get("mean").isJsonNull());
        assertTrue(dryNight.get("in_band_pct").isJsonNull());
        // without sensors: the room's dry bulb, rh, vpd and co2; a week by default
        ApiStack.Reply d = pgApi.get("/api/summaries?room=veg");
        assertEquals(200, d.status(), d.body());
        assertEquals(4 * 7 * 2, d.json().getAsJsonArray("rows").size(), d.body());
    }

    @Test
    void badParametersAre400sNamingTheParameter() {
        bad("/api/summaries", "room", "must be one of flower_back, flower_front, veg, lab");
        bad("/api/summaries?room=attic", "room", "was 'attic'");
        bad("/api/summaries?room=veg&sensors=co2_b", "sensors", "'co2_b' is not a sensor of this room");
        bad("/api/summaries?room=veg&sensors=co2_v,co2_v", "sensors", "twice");
        bad("/api/summaries?room=veg&from=monday", "from", "'monday'");
        bad("/api/summaries?room=veg&from=2026-01-10&to=2026-01-09", "from", "reversed");
        bad("/api/summaries?room=veg&from=2024-01-01&to=2026-01-01", "from", "at most 366 days");
        bad("/api/summaries?room=veg&to=2026-01-10T01:00:00+01:00", "to", "%2B");
        bad("/api/summaries?room=veg&days=7", "days", "unknown parameter");
    }

    private void bad(String path, String parameter, String part) {
        ApiStack.Reply r = pgApi.get(path);
        assertEquals(400, r.status(), path + " -> " + r.body());
        assertEquals(parameter, r.json().get("parameter").getAsString(), path);
        assertTrue(r.json().get("message").getAsString().contains(part), path + ": " + r.json().get("message"));
    }
}
