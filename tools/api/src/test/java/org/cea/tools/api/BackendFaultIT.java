package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cea.redisio.LiveUpdate;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.Test;

/** Each half of the API keeps answering while the other half's backend is down (real processes killed). */
class BackendFaultIT {

    @Test
    void healthTurns503WhenRedisIsKilledAndBackAfterRestartWhileHistoryKeepsAnswering() {
        PostgresCluster pg = TestServers.postgres();
        String db = TestServers.newDatabase("api_fault");
        Instant t = Instant.now().minusSeconds(600);
        try (Store store = Store.open(pg.url(db))) {
            store.writeBatch(List.of(), List.of(new ReadingRow(t.toEpochMilli() * 1000, "co2_f", 640.0)));
        }
        try (RedisServer redis = RedisServer.start(true); ApiStack api = new ApiStack(redis.url(), pg.url(db))) {
            api.workerReport(System.currentTimeMillis());
            api.allSensorsLive();
            assertEquals(200, api.get("/health").status(), api.get("/health").body());
            String history = "/api/sensors/co2_f/history?from=now-1h&points=10";
            try (ApiStack.LiveClient ws = api.new LiveClient()) {
                ws.next("snapshot", Duration.ofSeconds(5));
                awaitSubscribed(api);

                redis.kill9();
                ApiStack.Reply down = api.await("/health", r -> r.status() == 503, Duration.ofSeconds(10));
                assertEquals(503, down.status(), down.body());
                assertEquals(List.of("redis"), List.of(down.json().getAsJsonArray("failing").get(0).getAsString()));
                assertFalse(down.json().getAsJsonObject("redis").get("ok").getAsBoolean());
                assertTrue(down.json().getAsJsonObject("database").get("ok").getAsBoolean());
                ApiStack.Reply sensors = api.get("/api/sensors");
                assertEquals(503, sensors.status());
                assertEquals("redis_unavailable", sensors.json().get("error").getAsString());
                ApiStack.Reply h = api.get(history);
                assertEquals(200, h.status(), h.body());
                assertEquals(640.0, h.json().getAsJsonArray("data").get(0).getAsJsonObject().get("avg").getAsDouble());
                JsonObject status = ws.next("status", Duration.ofSeconds(10));
                assertFalse(status.get("redis").getAsBoolean());

                redis.startProcess();
                api.workerReport(System.currentTimeMillis());
                api.allSensorsLive();
                ApiStack.Reply up = api.await("/health", r -> r.status() == 200, Duration.ofSeconds(15));
                assertEquals(200, up.status(), up.body());
                // pub/sub lost what was published meanwhile: the hub re-reads and sends a new snapshot
                JsonObject again = ws.next("snapshot", Duration.ofSeconds(15));
                assertTrue(again.get("redis").getAsBoolean());
                api.live(new LiveUpdate("co2_f", 655, "ppm", System.currentTimeMillis()));
                JsonObject update = ws.next("update", Duration.ofSeconds(5));
                assertEquals(655.0, update.getAsJsonArray("readings").get(0).getAsJsonObject().get("value").getAsDouble());
                assertEquals(200, api.get(history).status());
            }
        }
    }

    @Test
    void liveHalfAnswersWhileTheDatabaseIsDown() {
        String deadDb = "postgresql://postgres@127.0.0.1:" + Processes.freePort() + "/cea_sensors";
        try (RedisServer redis = RedisServer.start(false); ApiStack api = new ApiStack(redis.url(), deadDb)) {
            api.workerReport(System.currentTimeMillis());
            api.live(new LiveUpdate("rh_v", 61.5, "%", System.currentTimeMillis()));
            ApiStack.Reply health = api.get("/health");
            assertEquals(503, health.status(), health.body());
            assertEquals("database", health.json().getAsJsonArray("failing").get(0).getAsString());
            assertEquals(1, health.json().getAsJsonArray("failing").size(), health.body());
            ApiStack.Reply sensor = api.get("/api/sensors/rh_v");
            assertEquals(200, sensor.status(), sensor.body());
            assertEquals(61.5, sensor.json().get("value").getAsDouble());
            ApiStack.Reply history = api.get("/api/sensors/rh_v/history");
            assertEquals(503, history.status());
            assertEquals("database_unavailable", history.json().get("error").getAsString());
            assertEquals(503, api.get("/api/messages").status());
            assertEquals(503, api.get("/api/stats").status());
            assertTrue(api.get("/metrics").body().contains("cea_api_db_errors_total "));
        }
    }

    private static void awaitSubscribed(ApiStack api) {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!api.server.hub().subscribed() && System.nanoTime() < end) {
            ApiStack.sleep(50);
        }
        assertTrue(api.server.hub().subscribed(), "live subscription not established");
    }
}
