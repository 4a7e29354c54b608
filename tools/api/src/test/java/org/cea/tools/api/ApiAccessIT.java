package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Host and Origin allow-lists and the token, over real HTTP against a real Jetty, redis-server and
 * PostgreSQL (issue 17): a DNS-rebound page ({@code Host: evil.example}) and a WebSocket opened by
 * another site are refused; loopback names answer; with a token, nothing answers without it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiAccessIT {
    private static final String TOKEN = "s3cret-token-0123456789";
    private RedisServer redis;
    private String dbUrl;
    private ApiStack loopback;
    private ApiStack lan;

    @BeforeAll
    void start() {
        redis = RedisServer.start(false);
        PostgresCluster pg = TestServers.postgres();
        dbUrl = pg.url(TestServers.newDatabase("api_access_it"));
        try (Store store = Store.open(dbUrl)) {
            store.writeBatch(java.util.List.of(), java.util.List.of());
        }
        loopback = new ApiStack(redis.url(), dbUrl, "127.0.0.1",
                ApiAccess.resolve("127.0.0.1", "cea-pi.local", null, null, false));
        // every address, as on the LAN: the token is required
        lan = new ApiStack(redis.url(), dbUrl, "0.0.0.0", ApiAccess.resolve("0.0.0.0", null, TOKEN, null, false));
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {loopback, lan, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private int port() {
        return loopback.server.port();
    }

    @Test
    void aHostOfAnotherSiteIsRefusedWith421AndAClearBody() {
        for (String host : new String[] {"evil.example", "evil.example:" + port(), "127.0.0.1.evil.example"}) {
            RawHttp.Answer a = RawHttp.get(port(), "/api/sensors", "Host: " + host);
            assertEquals(421, a.status(), host + " -> " + a.body().substring(0, Math.min(200, a.body().length())));
            assertTrue(a.headers().get("content-type").startsWith("application/json"), a.headers().toString());
            assertTrue(a.body().contains("\"error\":\"misdirected_request\""), a.body());
            assertTrue(a.body().contains("Host '" + host + "' is not a name this server answers to"), a.body());
            assertTrue(a.body().contains("--allowed-hosts"), a.body());
        }
        assertTrue(loopback.server.metrics().refused("misdirected_request") >= 3);
        assertTrue(loopback.server.metrics().render().contains("cea_api_access_refused_total{reason=\"misdirected_request\"}"));
    }

    @Test
    void loopbackNamesTheListenAddressAndAllowedHostsAnswer200() {
        for (String host : new String[] {"127.0.0.1:" + port(), "localhost:" + port(), "LOCALHOST", "[::1]:" + port(),
                "cea-pi.local:" + port(), "cea-pi.local."}) {
            RawHttp.Answer a = RawHttp.get(port(), "/api/sensors", "Host: " + host);
            assertEquals(200, a.status(), host + " -> " + a.body().substring(0, Math.min(200, a.body().length())));
        }
        RawHttp.Answer a = RawHttp.get(port(), "/api/sensors", "Origin: http://127.0.0.1:" + port());
        assertEquals(200, a.status(), a.body());
    }

    @Test
    void aRequestFromAnotherOriginIsRefusedWith403() {
        for (String origin : new String[] {"http://evil.example", "null", "https://evil.example:443", "file://"}) {
            RawHttp.Answer a = RawHttp.get(port(), "/api/sensors", "Origin: " + origin);
            assertEquals(403, a.status(), origin + " -> " + a.body().substring(0, Math.min(200, a.body().length())));
            assertTrue(a.body().contains("\"error\":\"forbidden_origin\""), a.body());
        }
    }

    @Test
    void aWebSocketUpgradeFromAnotherOriginIsRefusedAndOneFromTheDashboardsOriginAccepted() throws Exception {
        RawHttp.Answer[] a = new RawHttp.Answer[1];
        try (Socket s = RawHttp.upgrade(port(), 65_536, a, "Origin: http://evil.example")) {
            assertEquals(403, a[0].status(), a[0].headers().toString());
        }
        try (Socket s = RawHttp.upgrade(port(), 65_536, a, "Host: evil.example:" + port(), "Origin: http://evil.example:" + port())) {
            assertEquals(421, a[0].status(), a[0].headers().toString());
        }
        for (String origin : new String[] {"http://127.0.0.1:" + port(), "http://localhost:" + port(), "http://cea-pi.local"}) {
            try (Socket s = RawHttp.upgrade(port(), 65_536, a, "Origin: " + origin)) {
                assertEquals(101, a[0].status(), origin + " " + a[0].headers());
            }
        }
        try (Socket s = RawHttp.upgrade(port(), 65_536, a)) {
            assertEquals(101, a[0].status(), "a client that sends no Origin (not a browser) " + a[0].headers());
        }
    }

    @Test
    void withATokenNothingAnswersWithoutIt() throws Exception {
        int p = lan.server.port();
        RawHttp.Answer a = RawHttp.get(p, "/api/sensors");
        assertEquals(401, a.status(), a.body());
        assertTrue(a.headers().get("www-authenticate").startsWith("Basic realm=\"can-api\""), a.headers().toString());
        assertTrue(a.body().contains("Authorization: Bearer TOKEN"), a.body());
        assertEquals(401, RawHttp.get(p, "/", "Authorization: Bearer wrong-token-0123456789").status());
        assertEquals(401, RawHttp.get(p, "/health", "Authorization: Bearer " + TOKEN + "x").status());
        assertEquals(200, RawHttp.get(p, "/api/sensors", "Authorization: Bearer " + TOKEN).status());
        String basic = Base64.getEncoder().encodeToString(("grower:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, RawHttp.get(p, "/", "Authorization: Basic " + basic).status());
        RawHttp.Answer[] w = new RawHttp.Answer[1];
        try (Socket s = RawHttp.upgrade(p, 65_536, w)) {
            assertEquals(401, w[0].status(), w[0].headers().toString());
        }
        try (Socket s = RawHttp.upgrade(p, 65_536, w, "Authorization: Bearer " + TOKEN)) {
            assertEquals(101, w[0].status(), w[0].headers().toString());
        }
        // the token does not replace the Host check
        assertEquals(421, RawHttp.get(p, "/api/sensors", "Host: evil.example", "Authorization: Bearer " + TOKEN).status());
        assertTrue(lan.server.metrics().refused("unauthorized") >= 4);
    }
}
