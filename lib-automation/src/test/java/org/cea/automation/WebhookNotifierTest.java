package org.cea.automation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook notifier against a real HTTP server on a free loopback port (the JDK's): what it
 * POSTs, which replies are delivery, which are retried, redirects, and a server that never answers.
 */
class WebhookNotifierTest {
    private record Request(String method, String path, Map<String, List<String>> headers, String body) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile int status = 200;
    private volatile String reply = "";
    private volatile long delayMs;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/", ex -> {
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] b = reply.getBytes(StandardCharsets.UTF_8);
            if (status == 302) {
                ex.getResponseHeaders().set("Location", "/elsewhere");
            }
            ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            if (b.length > 0) {
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(b);
                }
            }
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Notifier notifier(String extra) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
        AutomationConfig c = AutomationConfigParser.parse(Path.of("/x/etc/automation.json"),
                "{\"notifiers\":[{\"name\":\"hook\",\"type\":\"webhook\",\"url\":\"" + url + "\"" + extra + "}]}",
                AutomationConfigParserTest.PROFILE);
        return Notifier.create(c.notifiers().get(0), Notifier.env(Map.of("CEA_HOOK_AUTH", "Bearer s3cret")));
    }

    private static Notification notification() {
        return new Notification(CommandNotifierTest.event(), ZoneOffset.UTC);
    }

    private static String header(Request r, String name) {
        return r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                .findFirst().orElse(null);
    }

    @Test
    void postsTheEventAsJsonWithItsKeyAndTheConfiguredHeaders() throws Exception {
        notifier(",\"topic\":\"cea\",\"headers_env\":{\"Authorization\":\"CEA_HOOK_AUTH\"}").send(notification());
        assertEquals(1, requests.size());
        Request r = requests.get(0);
        assertEquals("POST", r.method());
        assertEquals("/alerts", r.path());
        assertEquals("application/json; charset=utf-8", header(r, "Content-Type"));
        assertEquals("1795000000000-0/silent_node:veg", header(r, "X-CEA-Event"));
        assertEquals("Bearer s3cret", header(r, "Authorization"));
        JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
        assertEquals("cea", body.get("topic").getAsString());
        assertEquals("[CEA] FIRING critical: silent_node:veg", body.get("title").getAsString());
        assertEquals(5, body.get("priority").getAsInt());
        assertEquals("[\"cea\",\"critical\",\"firing\"]", body.get("tags").toString());
        assertTrue(body.get("message").getAsString().startsWith("Node 3 (veg) sent no frame at all"), body.toString());
        assertEquals("firing", body.getAsJsonObject("event").get("transition").getAsString());
        assertEquals("silent_node:veg", body.getAsJsonObject("event").get("id").getAsString());
    }

    @Test
    void aServerErrorIsRetriedAClientErrorIsNotAndTheReplyIsInTheMessage() throws Exception {
        Notifier n = notifier("");
        status = 503;
        reply = "busy,\n  try later";
        NotifyException e = assertThrows(NotifyException.class, () -> n.send(notification()));
        assertTrue(e.retryable(), e.getMessage());
        assertTrue(e.getMessage().contains("answered 503: busy, try later"), e.getMessage());
        status = 429;
        assertTrue(assertThrows(NotifyException.class, () -> n.send(notification())).retryable());
        status = 404;
        reply = "no such topic";
        e = assertThrows(NotifyException.class, () -> n.send(notification()));
        assertFalse(e.retryable(), e.getMessage());
        assertTrue(e.getMessage().contains("/alerts answered 404: no such topic"), e.getMessage());
        status = 204;
        reply = "";
        n.send(notification());
        assertEquals(4, requests.size());
    }

    @Test
    void aRedirectIsNotFollowed() {
        status = 302;
        NotifyException e = assertThrows(NotifyException.class, () -> notifier("").send(notification()));
        assertFalse(e.retryable(), e.getMessage());
        assertEquals(List.of("/alerts"), requests.stream().map(Request::path).toList(), "only the configured URL was asked");
    }

    @Test
    void aServerThatDoesNotAnswerWithinTheTimeoutIsRetried() {
        delayMs = 3_000;
        long t0 = System.nanoTime();
        NotifyException e = assertThrows(NotifyException.class, () -> notifier(",\"timeout_s\":1").send(notification()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.retryable(), e.getMessage());
        assertTrue(ms >= 900 && ms < 2_900, "gave up after " + ms + " ms (timeout 1 s)");
    }

    @Test
    void nothingListeningIsRetried() {
        int port = server.getAddress().getPort();
        server.stop(0);
        NotifyException e = assertThrows(NotifyException.class, () -> notifier("").send(notification()));
        assertTrue(e.retryable(), e.getMessage());
        assertTrue(e.getMessage().contains("webhook hook http://127.0.0.1:" + port + "/alerts"), e.getMessage());
    }
}
