package org.cea.tools.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.redisio.LiveStateWriter;
import org.cea.redisio.LiveUpdate;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.RedisUnavailableException;
import org.cea.redisio.WorkerStatus;
import org.cea.testsupport.TestServers;
import redis.clients.jedis.JedisPooled;

/**
 * Test fixture: a can-api on a free port over the given Redis and database, plus the writers the
 * worker uses (lib-redisio {@link LiveStateWriter}, {@link WorkerStatus}) to put live state in Redis,
 * and small HTTP and WebSocket clients.
 */
final class ApiStack implements AutoCloseable {
    final ApiServer server;
    final JedisPooled jedis;
    final LiveStateWriter liveWriter;
    final WorkerStatus workerStatus;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiStack(String redisUrl, String dbUrl) {
        this(redisUrl, dbUrl, "127.0.0.1", ApiAccess.loopback());
    }

    /** A can-api bound to {@code host} (port 0) with the given access settings. */
    ApiStack(String redisUrl, String dbUrl, String host, ApiAccess access) {
        RedisConfig rc = RedisConfig.fromUrl(redisUrl);
        ApiConfig cfg = new ApiConfig(host, 0, rc, dbUrl, etc().resolve("facility.json"), etc().resolve("cea.dbc"),
                Duration.ofSeconds(10), access);
        this.server = ApiServer.start(cfg, catalog(), Clock.systemUTC());
        this.jedis = new JedisPooled(rc.hostAndPort(), rc.clientConfig());
        this.liveWriter = new LiveStateWriter(jedis, System::currentTimeMillis);
        this.workerStatus = new WorkerStatus(jedis);
    }

    static java.nio.file.Path etc() {
        return TestServers.projectRoot().resolve("etc");
    }

    /** The facility's local time zone in the tests (UTC+1 in winter), so that plain dates are not UTC dates. */
    static final java.time.ZoneId ZONE = java.time.ZoneId.of("Europe/Amsterdam");

    /** etc/facility.json with etc/automation.json's bands and lights, in {@link #ZONE}. */
    static SensorCatalog catalog() {
        FacilityProfile profile = FacilityProfile.loadDefault(etc());
        org.cea.automation.AutomationConfig c = org.cea.automation.AutomationConfigParser.parse(etc().resolve("automation.json"),
                profile);
        return Catalogs.fromProfile(profile, new org.cea.automation.AutomationConfig(c.source(), ZONE, c.evaluationPeriod(),
                c.rooms(), c.rules(), c.notifiers(), c.actuators()));
    }

    /** Writes live values as the worker does (keys + PUBLISH). */
    void live(LiveUpdate... updates) {
        retry(() -> liveWriter.write(List.of(updates)));
    }

    /** The fixture's pooled connections are broken after a Redis restart: one retry gets a fresh one. */
    private static void retry(Runnable r) {
        try {
            r.run();
        } catch (RedisUnavailableException | redis.clients.jedis.exceptions.JedisConnectionException first) {
            r.run();
        }
    }

    /**
     * A fresh live value for every sensor of the profile, so that /health sees none stale: the keys
     * only (as after a missed PUBLISH), so WebSocket clients of a test get no extra updates.
     */
    void allSensorsLive() {
        long now = System.currentTimeMillis();
        retry(() -> {
            for (SensorInfo s : catalog().sensors()) {
                jedis.psetex(org.cea.redisio.LiveKeys.valueKey(s.name()), org.cea.redisio.LiveKeys.TTL_MS, "1.0");
                jedis.psetex(org.cea.redisio.LiveKeys.tsKey(s.name()), org.cea.redisio.LiveKeys.TTL_MS, Long.toString(now));
            }
        });
    }

    /** A fresh worker status report, as the worker writes it. */
    void workerReport(long updatedAtMillis) {
        retry(() -> workerStatus.publish(new WorkerStatus.Snapshot("can-worker-1", 100, 12.5, 0, 0, 0, 0, Map.of(), 0,
                "ok", "", updatedAtMillis)));
    }

    record Reply(int status, String contentType, String body) {
        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }
    }

    Reply get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(server.uri().resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    Reply send(HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + req.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls until {@code ok} holds for GET path, up to {@code timeout}; returns the last reply. */
    Reply await(String path, Predicate<Reply> ok, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        Reply r = get(path);
        while (!ok.test(r) && System.nanoTime() < end) {
            sleep(100);
            r = get(path);
        }
        return r;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A WebSocket client on /ws/live that queues every text message as JSON. */
    final class LiveClient implements AutoCloseable {
        final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
        final WebSocket ws;

        LiveClient() {
            URI u = URI.create("ws://127.0.0.1:" + server.port() + ApiServer.WS_PATH);
            StringBuilder partial = new StringBuilder();
            this.ws = http.newWebSocketBuilder().buildAsync(u, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        JsonElement e = JsonParser.parseString(partial.toString());
                        partial.setLength(0);
                        messages.add(e.getAsJsonObject());
                    }
                    w.request(1);
                    return null;
                }
            }).orTimeout(10, TimeUnit.SECONDS).join();
        }

        /** The next message of a type, skipping others (e.g. heartbeats); fails after the timeout. */
        JsonObject next(String type, Duration timeout) {
            long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = end - System.nanoTime();
                JsonObject m;
                try {
                    m = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                if (m == null) {
                    throw new AssertionError("no '" + type + "' message on /ws/live within " + timeout);
                }
                if (type.equals(m.get("type").getAsString())) {
                    return m;
                }
            }
        }

        @Override
        public void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            jedis.close();
        }
    }
}
