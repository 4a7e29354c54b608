package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in headless Chromium over a running stack: a private redis-server, the real
 * scanner on the facility simulator (lab node 4 silenced with {@code --sim-dropout 4}) and the real
 * worker as separate JVMs (main classes from the test classpath), writing to SQLite, and can-api.
 * The page must show live values that change over time, grey out the silent lab sensors, and draw
 * the history chart with uPlot. Saves a screenshot under the build directory ({@code dashboard.png}).
 */
class DashboardBrowserIT {
    private static final String TILES_JS = "JSON.stringify([...document.querySelectorAll('.tile')]"
            + ".map(t => [t.dataset.sensor, t.dataset.value || '', t.dataset.ts || '', t.classList.contains('stale')]))";
    private static final List<String> SILENT = List.of("lab_temp", "water_temp", "water_level");

    @Test
    void dashboardShowsLiveValuesThatChangeAndGreysStaleSensors() throws Exception {
        Path dir = Processes.tempDir("cea-dash-");
        String db = "jdbc:sqlite:" + dir.resolve("cea.db");
        Instant now = Instant.now();
        try (Store store = Store.open(db)) {
            List<ReadingRow> rows = new ArrayList<>();
            for (int i = 1; i <= 120; i++) {   // the day before the demo started: dry bulb every 12 minutes
                rows.add(new ReadingRow(now.minusSeconds(720L * i).toEpochMilli() * 1000, "dry_bulb_b",
                        24 + 2 * Math.sin(i / 10.0)));
            }
            store.writeBatch(List.of(), rows);
        }
        List<Process> stack = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(false); ApiStack api = new ApiStack(redis.url(), db)) {
            stack.add(tool(dir, "scanner", "org.cea.tools.scanner.ScannerMain", "--source", "sim", "--sim-dropout", "4",
                    "--redis-url", redis.url(), "--no-db", "--quiet", "--stats-interval", "0",
                    "--spool-dir", dir.resolve("spool").toString()));
            stack.add(tool(dir, "worker", "org.cea.tools.worker.WorkerMain", "--redis-url", redis.url(), "--db-url", db));
            List<String> live = ApiStack.catalog().names().stream().filter(n -> !SILENT.contains(n)).toList();
            try (Chromium browser = new Chromium(1280, 1500)) {
                browser.navigate(api.server.uri());
                Map<String, String[]> first = awaitTiles(browser, live, dir);
                ApiStack.sleep(2_500);
                Map<String, String[]> second = tiles(browser);
                int changed = 0;
                for (String name : live) {
                    String[] a = first.get(name);
                    String[] b = second.get(name);
                    assertFalse(b[1].isEmpty(), name + " shows no value");
                    assertEquals("false", b[3], name + " should not be grey");
                    if (!a[2].equals(b[2])) {
                        changed++;
                    }
                }
                assertEquals(live.size(), changed, "every live sensor's tile should show a newer reading 2.5 s later");
                for (String name : SILENT) {
                    assertEquals("true", second.get(name)[3], name + " has no reading: its tile must be grey");
                }
                JsonElement updates = browser.eval("Number(document.getElementById('updates').dataset.count)");
                assertTrue(updates.getAsInt() > live.size(), "updates received over the WebSocket: " + updates);
                awaitChart(browser);
                browser.screenshot(screenshotPath());
            }
        } finally {
            for (Process p : stack) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    Processes.killTree(p.pid());
                }
            }
            Processes.deleteTree(dir);
        }
        assertTrue(Files.size(screenshotPath()) > 10_000, "screenshot too small to show anything");
    }

    /** Starts a tool's main class in its own JVM on the test classpath; output in DIR/NAME.log. */
    private static Process tool(Path dir, String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("CEA_ETC", ApiStack.etc().toString());
        return pb.start();
    }

    private static Map<String, String[]> tiles(Chromium browser) {
        JsonElement v = browser.eval(TILES_JS);
        Map<String, String[]> out = new HashMap<>();
        for (JsonElement e : JsonParser.parseString(v.getAsString()).getAsJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            out.put(a.get(0).getAsString(), new String[] {a.get(0).getAsString(), a.get(1).getAsString(),
                    a.get(2).getAsString(), Boolean.toString(a.get(3).getAsBoolean())});
        }
        return out;
    }

    private static Map<String, String[]> awaitTiles(Chromium browser, List<String> live, Path dir) throws IOException {
        long end = System.nanoTime() + 60_000_000_000L;
        Map<String, String[]> t = Map.of();
        while (System.nanoTime() < end) {
            t = tiles(browser);
            Map<String, String[]> seen = t;
            if (live.stream().allMatch(n -> seen.containsKey(n) && !seen.get(n)[1].isEmpty() && seen.get(n)[3].equals("false"))) {
                return t;
            }
            ApiStack.sleep(250);
        }
        throw new AssertionError("the page never showed all " + live.size() + " live tiles; it showed "
                + t.keySet() + "\nscanner: " + Files.readString(dir.resolve("scanner.log"))
                + "\nworker: " + Files.readString(dir.resolve("worker.log")));
    }

    private static void awaitChart(Chromium browser) {
        long end = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < end) {
            JsonElement drawn = browser.eval("document.querySelector('#chart canvas') !== null"
                    + " && /points/.test(document.getElementById('hstatus').textContent)");
            if (drawn.getAsBoolean()) {
                return;
            }
            ApiStack.sleep(200);
        }
        throw new AssertionError("the history chart (uPlot canvas) was not drawn: "
                + browser.eval("document.getElementById('hstatus').textContent"));
    }

    private static Path screenshotPath() {
        return Path.of(System.getProperty("cea.buildDir", "target")).toAbsolutePath().resolve("dashboard.png");
    }
}
