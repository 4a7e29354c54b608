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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cea.testsupport.Processes;

/**
 * Headless Chromium (Debian package {@code chromium}) driven over the DevTools protocol: the
 * browser picks its own debugging port and writes it to {@code DevToolsActivePort} in a fresh
 * profile directory, so nothing races for a port; the test talks to the page target over a
 * WebSocket (navigate, evaluate JavaScript, capture a screenshot).
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private final Path profile;
    private final Process process;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    Chromium(int width, int height) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " not found: run 'make deps' (apt-get install chromium)");
        }
        profile = Processes.tempDir("cea-chromium-");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "about:blank"));
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(profile.resolve("chromium.log").toFile()).start();
            page = connect(awaitPort());
        } catch (IOException | RuntimeException e) {
            close();
            throw new IllegalStateException("cannot start " + BINARY + " (log in " + profile + "): " + e, e);
        }
    }

    private int awaitPort() throws IOException {
        Path file = profile.resolve("DevToolsActivePort");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited with " + process.exitValue() + ": "
                        + Files.readString(profile.resolve("chromium.log")));
            }
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            ApiStack.sleep(50);
        }
        throw new IllegalStateException("chromium wrote no DevToolsActivePort within 30 s");
    }

    private WebSocket connect(int port) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        String wsUrl = null;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (wsUrl == null && System.nanoTime() < end) {
            try {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (JsonElement e : JsonParser.parseString(list).getAsJsonArray()) {
                    if ("page".equals(e.getAsJsonObject().get("type").getAsString())) {
                        wsUrl = e.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (wsUrl == null) {
                ApiStack.sleep(100);
            }
        }
        if (wsUrl == null) {
            throw new IllegalStateException("no page target in chromium's /json/list");
        }
        StringBuilder partial = new StringBuilder();
        return http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    JsonObject m = JsonParser.parseString(partial.toString()).getAsJsonObject();
                    partial.setLength(0);
                    if (m.has("id")) {
                        CompletableFuture<JsonObject> f = pending.remove(m.get("id").getAsInt());
                        if (f != null) {
                            f.complete(m);
                        }
                    }
                }
                ws.request(1);
                return null;
            }
        }).orTimeout(15, TimeUnit.SECONDS).join();
    }

    /** Sends a DevTools command and returns its {@code result}; fails on a protocol error. */
    JsonObject call(String method, JsonObject params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> f = new CompletableFuture<>();
        pending.put(id, f);
        JsonObject msg = new JsonObject();
        msg.addProperty("id", id);
        msg.addProperty("method", method);
        msg.add("params", params);
        page.sendText(msg.toString(), true).join();
        JsonObject reply = f.orTimeout(30, TimeUnit.SECONDS).join();
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.getAsJsonObject("result");
    }

    /** Loads a URL in the page. */
    void navigate(URI url) {
        JsonObject p = new JsonObject();
        p.addProperty("url", url.toString());
        call("Page.navigate", p);
    }

    /** Evaluates a JavaScript expression in the page and returns its value (JSON-compatible). */
    JsonElement eval(String expression) {
        JsonObject p = new JsonObject();
        p.addProperty("expression", expression);
        p.addProperty("returnByValue", true);
        JsonObject r = call("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + r.get("exceptionDetails"));
        }
        JsonObject result = r.getAsJsonObject("result");
        return result.has("value") ? result.get("value") : null;
    }

    /** Writes a PNG of the page's viewport. */
    void screenshot(Path png) throws IOException {
        JsonObject p = new JsonObject();
        p.addProperty("format", "png");
        String data = call("Page.captureScreenshot", p).get("data").getAsString();
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(data));
    }

    /** Kills the browser and its helper processes and deletes the profile; idempotent. */
    @Override
    public void close() {
        if (page != null) {
            page.abort();
        }
        if (process != null) {
            Processes.killTree(process.pid());
        }
        Processes.deleteTree(profile);
    }
}
