package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cea.redisio.LiveUpdate;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.Test;

/**
 * WebSocket clients that upgrade and then never read (issue 17: 200 of them grew can-api's RSS to
 * 167 MB and were dropped without a log line). Real Jetty, redis-server and PostgreSQL; the slow
 * clients are raw sockets with a small receive buffer, the fast one the JDK's WebSocket client.
 * The memory figure for a few hundred clients is measured by {@code scripts/bench-ws-slow.sh}.
 */
class LiveSlowClientsIT {
    private static final int SLOW = 20;

    @Test
    void clientsThatDoNotReadAreDisconnectedLoggedOnceAndCountedWhileAFastOneKeepsGettingUpdates() throws Exception {
        PostgresCluster pg = TestServers.postgres();
        String db = pg.url(TestServers.newDatabase("api_slow_ws_it"));
        try (Store store = Store.open(db)) {
            store.writeBatch(List.of(), List.of());
        }
        PrintStream realErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Socket> slow = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(false); ApiStack api = new ApiStack(redis.url(), db)) {
            int port = api.server.port();
            for (int i = 0; i < SLOW; i++) {
                RawHttp.Answer[] a = new RawHttp.Answer[1];
                slow.add(RawHttp.upgrade(port, 4_096, a));
                assertEquals(101, a[0].status(), a[0].headers().toString());
            }
            System.setErr(new PrintStream(new TeeStream(realErr, log), true, StandardCharsets.UTF_8));
            try (ApiStack.LiveClient fast = api.new LiveClient()) {
                fast.next("snapshot", Duration.ofSeconds(10));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                long ts = System.currentTimeMillis();
                int rounds = 0;
                // about 27 updates of ~300 characters per round: a slow client's socket buffers fill after a few rounds
                while (api.server.hub().slowDrops() < SLOW && System.nanoTime() < deadline) {
                    List<LiveUpdate> round = new ArrayList<>();
                    ts++;
                    for (SensorInfo s : ApiStack.catalog().sensors()) {
                        round.add(new LiveUpdate(s.name(), 20 + (rounds % 50) / 10.0, s.unit(), ts));
                    }
                    api.live(round.toArray(LiveUpdate[]::new));
                    rounds++;
                    if (rounds % 20 == 0) {
                        drain(fast);
                    }
                }
                assertEquals(SLOW, api.server.hub().slowDrops(), "slow clients dropped after " + rounds + " rounds");
                assertEquals(1, api.server.hub().clients(), "the fast client is still connected");
                assertTrue(api.server.hub().pendingHighWater() <= LiveClients.MAX_PENDING_CHARS + 16_384,
                        "queued per client at most the limit plus one message: " + api.server.hub().pendingHighWater());
                // the fast one keeps getting updates after the drops
                drain(fast);
                api.live(new LiveUpdate("co2_v", 777, "ppm", ts + 1_000));
                JsonObject up;
                do {
                    up = fast.next("update", Duration.ofSeconds(10));
                } while (!up.toString().contains("\"co2_v\"") || !up.toString().contains("777"));
            } finally {
                System.setErr(realErr);
            }
            for (Socket s : slow) {
                assertTrue(closedByServer(s), "slow client " + s.getLocalSocketAddress() + " was not disconnected");
            }
            String lines = log.toString(StandardCharsets.UTF_8);
            for (Socket s : slow) {
                String who = "/127.0.0.1:" + s.getLocalPort();
                long n = lines.lines().filter(l -> l.contains("disconnecting WebSocket client " + who + ":")).count();
                assertEquals(1, n, "one log line for " + who + " in:\n" + lines);
            }
            ApiStack.Reply health = api.get("/health");
            assertEquals(SLOW, health.json().getAsJsonObject("redis").get("ws_slow_clients_dropped").getAsInt(), health.body());
            assertTrue(api.get("/metrics").body().contains("cea_api_ws_slow_clients_dropped_total " + SLOW));
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    private static void drain(ApiStack.LiveClient c) {
        c.messages.clear();
    }

    /** Reads what the server had sent until the end of the stream: true when it closed the connection. */
    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[65_536];
        try {
            while (true) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed too
        }
    }

    /** Copies to the real stderr and into a buffer. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
