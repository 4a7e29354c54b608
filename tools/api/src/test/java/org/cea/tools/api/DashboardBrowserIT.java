package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.Store;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in headless Chromium (DevTools protocol) over a running stack: a private
 * redis-server, the real scanner on the facility simulator, the real worker writing SQLite, the
 * real cea-automation, each a JVM of its own, and can-api. Simulator scenarios make one tile of each
 * state: flower room back as simulated (in band), front held at a 35 °C dry bulb (out of band,
 * rule air_temp 16..32), veg's PT100 faulted (faulted, from cea-automation's alert), the lab silent
 * after 20 simulated seconds (stale, with its last reading). The day before holds a dry-bulb history
 * with a 4-hour outage, which the chart must draw as a gap over exactly the range chosen; the
 * export link must download the database's rows. Screenshots at 1400 and 360 px wide go to the
 * build directory ({@code dashboard-1400.png}, {@code dashboard-360.png}, {@code dashboard-360-history.png}).
 */
class DashboardBrowserIT {
    private static final String TILES_JS = "JSON.stringify([...document.querySelectorAll('.tile')].map(t => [t.dataset.sensor,"
            + " t.dataset.state || '', t.querySelector('.state').textContent, t.dataset.ts || '', t.querySelector('.name').textContent]))";
    /** The seeded history: dry_bulb_b every 5 min over the last day, none from 12 h to 8 h ago. */
    private static final long OUTAGE_FROM_H = 12;
    private static final long OUTAGE_TO_H = 8;

    @Test
    void tilesShowEveryStateTheChartSpansTheRangeWithGapsAndTheExportHoldsTheDatabasesRows() throws Exception {
        Path dir = Processes.tempDir("cea-dash-");
        Path dbFile = dir.resolve("cea.db");
        String db = "jdbc:sqlite:" + dbFile;
        Instant now = Instant.now();
        seedHistory(db, now);
        Path rules = dir.resolve("automation.json");
        Files.writeString(rules, "{\"rules\": [{\"name\": \"faulted\", \"kind\": \"faulted\", \"sensors\": \"all\", \"for_s\": 1,"
                + " \"severity\": \"critical\"}, {\"name\": \"silent_node\", \"kind\": \"silent_node\", \"nodes\": \"all\","
                + " \"after_s\": 15, \"severity\": \"critical\"}], \"notifiers\": []}", StandardCharsets.UTF_8);
        List<Process> stack = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(false); ApiStack api = new ApiStack(redis.url(), db)) {
            stack.add(tool(dir, "scanner", "org.cea.tools.scanner.ScannerMain", "--source", "sim", "--sim-set", "2:dry=35",
                    "--sim-fault", "3", "--sim-dropout", "4@20-100000000", "--redis-url", redis.url(), "--no-db", "--quiet",
                    "--stats-interval", "0", "--spool-dir", dir.resolve("spool").toString()));
            stack.add(tool(dir, "worker", "org.cea.tools.worker.WorkerMain", "--redis-url", redis.url(), "--db-url", db));
            stack.add(tool(dir, "automation", "org.cea.tools.automation.AutomationMain", "--redis-url", redis.url(),
                    "--config", rules.toString(), "--metrics-listen", "off"));
            try (Chromium browser = new Chromium(1400, 1900)) {
                browser.navigate(api.server.uri());
                Map<String, String[]> t = awaitTiles(browser, dir, m -> state(m, "dry_bulb_b").equals("in_band")
                        && state(m, "dry_bulb_f").equals("out_of_band") && state(m, "dry_bulb_v").equals("faulted")
                        && state(m, "lab_temp").equals("stale"));
                // display names and the states in words (facility.json labels; automation rule air_temp 16..32)
                assertEquals("Dry bulb", t.get("dry_bulb_b")[4]);
                assertEquals("In band (16.0–32.0 °C)", t.get("dry_bulb_b")[2]);
                assertEquals("Out of band: above 32.0 °C", t.get("dry_bulb_f")[2]);
                assertTrue(t.get("dry_bulb_v")[2].startsWith("Faulted: "), t.get("dry_bulb_v")[2]);
                assertEquals("Faulted: derived from a faulted dry bulb", t.get("vpd_v")[2]);
                assertTrue(t.get("lab_temp")[2].matches("Stale — last seen \\d+ s ago: -?\\d+\\.\\d °C"), t.get("lab_temp")[2]);
                assertEquals("Flower room, back", browser.eval("document.querySelector('#room-flower_back h2').textContent").getAsString());
                String before = t.get("dry_bulb_b")[3];
                ApiStack.sleep(2_500);
                assertTrue(!tiles(browser).get("dry_bulb_b")[3].equals(before), "live values should change over the WebSocket");
                assertTrue(browser.eval("Number(document.getElementById('updates').dataset.count)").getAsInt() > 20);
                String header = awaitText(browser, "document.getElementById('problems').textContent",
                        s -> s.contains("stale sensor") && s.contains("active alert"));
                assertTrue(header.matches(".*\\d+ stale sensors.*"), header);
                // node health, one click away: last frame and the heartbeat's uptime and firmware
                browser.eval("document.querySelector('#room-flower_back details.node summary').click()");
                String node = awaitText(browser, "document.querySelector('#room-flower_back .nh').textContent",
                        x -> x.contains("heartbeat"));
                assertTrue(node.matches("Node 1 · last frame \\d+ s ago \\(\\w+\\) · heartbeat \\d+ s ago: up \\d+ (s|min)"
                        + ", firmware \\d+\\.\\d+, error flags \\d+.*"), node);
                checkChart(browser, now);
                // day/night table of the first room: 7 days x day and night x dry bulb, rh, vpd, co2
                String table = awaitText(browser, "String(document.querySelectorAll('#stable tbody tr').length)"
                        + " + ' ' + document.getElementById('stable').textContent", x -> x.startsWith("56 "));
                assertTrue(table.contains("night") && table.contains("VPD (kPa)") && table.contains(" %"), table);
                checkExport(browser, dir, db, java.time.ZoneId.of(api.get("/api/sensors").json().get("time_zone").getAsString()));
                browser.eval("window.scrollTo(0, 0)");
                browser.screenshot(screenshot("dashboard-1400.png"));
                phone(browser);
                browser.screenshot(screenshot("dashboard-360.png"));
                browser.eval("document.getElementById('history').scrollIntoView()");
                ApiStack.sleep(300);
                browser.screenshot(screenshot("dashboard-360-history.png"));
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
        assertTrue(Files.size(screenshot("dashboard-1400.png")) > 20_000, "screenshot too small to show anything");
    }

    /** dry_bulb_b every 5 minutes from 24 h to 1 h ago, except the outage. */
    private static void seedHistory(String db, Instant now) {
        try (Store store = Store.open(db)) {
            List<ReadingRow> rows = new ArrayList<>();
            for (long m = 60; m <= 24 * 60; m += 5) {
                if (m > OUTAGE_TO_H * 60 && m < OUTAGE_FROM_H * 60) {
                    continue;
                }
                rows.add(new ReadingRow(now.minusSeconds(60 * m).toEpochMilli() * 1000, "dry_bulb_b", 24 + 2 * Math.sin(m / 50.0)));
            }
            store.writeBatch(List.of(), rows);
        }
    }

    /** The chart's x scale is the chosen range (last 24 h); the outage's buckets are null, its neighbours not. */
    private static void checkChart(Chromium browser, Instant now) {
        String js = "(() => { const u = window.__cea && window.__cea.chart(); if (!u || !u.data[0].length) return null;"
                + " const xs = u.data[0], ys = u.data[1]; const h = (x) => (" + now.getEpochSecond() + " - x) / 3600;"
                + " let inGap = 0, inGapNull = 0, before = 0;"
                + " for (let i = 0; i < xs.length; i++) { const a = h(xs[i]);"
                + "   if (a < " + OUTAGE_FROM_H + " - 0.5 && a > " + OUTAGE_TO_H + " + 0.5) { inGap++; if (ys[i] === null) inGapNull++; }"
                + "   if (a > 14 && a < 22 && ys[i] !== null) before++; }"
                + " return JSON.stringify({min: u.scales.x.min, max: u.scales.x.max, inGap, inGapNull, before,"
                + "   series: u.series[1].label, canvas: !!document.querySelector('#chart canvas'),"
                + "   legend: document.getElementById('legend').textContent}); })()";
        JsonObject c = null;
        long end = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < end) {
            JsonElement v = browser.eval(js);
            if (v != null && !v.isJsonNull()) {
                c = JsonParser.parseString(v.getAsString()).getAsJsonObject();
                if (c.get("before").getAsInt() > 0) {
                    break;
                }
            }
            ApiStack.sleep(200);
        }
        assertTrue(c != null, "the chart was never drawn: " + browser.eval("document.getElementById('hstatus').textContent"));
        double span = c.get("max").getAsDouble() - c.get("min").getAsDouble();
        assertEquals(86_400, span, 120, "x axis spans the chosen 24 h: " + c);
        assertTrue(Math.abs(c.get("max").getAsDouble() - now.getEpochSecond()) < 180, "x axis ends now: " + c);
        assertTrue(c.get("inGap").getAsInt() > 10, c.toString());
        assertEquals(c.get("inGap").getAsInt(), c.get("inGapNull").getAsInt(), "the outage is a gap: " + c);
        assertTrue(c.get("before").getAsInt() > 10, "readings before the outage are drawn: " + c);
        assertTrue(c.get("series").getAsString().startsWith("Dry bulb · Flower room, back"), c.toString());
        assertTrue(c.get("legend").getAsString().contains("Dry bulb · Flower room, back (°C)"), c.toString());
        assertTrue(c.get("canvas").getAsBoolean());
    }

    /**
     * Chooses from/to (local time, whole minutes, ending two minutes ago so the worker has committed
     * every row in it), clicks the download link and compares the file with the rows read from the
     * SQLite file with plain SQL.
     */
    private static void checkExport(Chromium browser, Path dir, String db, java.time.ZoneId facility)
            throws IOException, SQLException {
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        JsonObject p = new JsonObject();
        p.addProperty("behavior", "allow");
        p.addProperty("downloadPath", downloads.toString());
        browser.call("Page.setDownloadBehavior", p);
        // the browser in another zone than the facility (UTC+13:45, or UTC-10 where the facility is
        // there): the custom range is the facility's wall time all the same
        JsonObject tz = new JsonObject();
        tz.addProperty("timezoneId", facility.getId().equals("Pacific/Chatham") ? "Pacific/Honolulu" : "Pacific/Chatham");
        browser.call("Emulation.setTimezoneOverride", tz);
        Instant to = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 60 * 60 - 120);
        Instant from = to.minus(java.time.Duration.ofDays(1));
        java.time.format.DateTimeFormatter wall = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
        browser.eval("(() => { document.getElementById('hrange').value = 'custom';"
                + " document.getElementById('hrange').dispatchEvent(new Event('change'));"
                + " document.getElementById('hfrom').value = '" + wall.format(from.atZone(facility)) + "';"
                + " document.getElementById('hto').value = '" + wall.format(to.atZone(facility)) + "';"
                + " document.getElementById('hto').dispatchEvent(new Event('change')); return 1; })()");
        String status = awaitText(browser, "document.getElementById('hstatus').textContent", s -> s.contains("(" + facility.getId() + ")"));
        assertTrue(status.contains("(" + facility.getId() + ")"), "the range is labelled in the facility's zone: " + status);
        String href = awaitText(browser, "document.getElementById('export').href", s -> s.contains("/api/export?sensors="));
        browser.eval("document.getElementById('export').click()");
        Path csv = null;
        long end = System.nanoTime() + 20_000_000_000L;
        while (csv == null && System.nanoTime() < end) {
            try (Stream<Path> files = Files.list(downloads)) {
                csv = files.filter(f -> f.toString().endsWith(".csv")).findFirst().orElse(null);
            }
            ApiStack.sleep(200);
        }
        assertTrue(csv != null, "no CSV downloaded from " + href);
        List<String> lines = new ArrayList<>(Arrays.asList(Files.readString(csv, StandardCharsets.UTF_8).split("\r\n")));
        assertEquals("time,sensor,value", lines.remove(0));
        java.net.URI u = java.net.URI.create(href);
        Map<String, String> q = new HashMap<>();
        for (String kv : u.getRawQuery().split("&")) {
            String[] a = kv.split("=", 2);
            q.put(a[0], java.net.URLDecoder.decode(a[1], StandardCharsets.UTF_8));
        }
        List<String> want = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db);
             PreparedStatement ps = c.prepareStatement("SELECT time, value FROM sensor_readings WHERE sensor = ?"
                     + " AND time >= ? AND time < ? ORDER BY time")) {
            for (String sensor : q.get("sensors").split(",")) {
                ps.setString(1, sensor);
                ps.setLong(2, Instant.parse(q.get("from")).toEpochMilli() * 1000);
                ps.setLong(3, Instant.parse(q.get("to")).toEpochMilli() * 1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long us = rs.getLong(1);
                        want.add(us + "," + sensor + "," + rs.getDouble(2));
                    }
                }
            }
        }
        assertEquals(List.of(from, to), List.of(Instant.parse(q.get("from")), Instant.parse(q.get("to"))),
                "the custom range typed as the facility's wall time " + href);
        assertTrue(want.size() > 200, "rows in the exported range: " + want.size());
        List<String> got = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(",");
            Instant t = Instant.parse(f[0]);
            got.add((t.getEpochSecond() * 1_000_000 + t.getNano() / 1000) + "," + f[1] + "," + Double.parseDouble(f[2]));
        }
        assertEquals(want, got, "the downloaded CSV holds the database's rows of " + href);
    }

    /** A 360 px phone: nothing wider than the viewport, so no horizontal scrolling. */
    private static void phone(Chromium browser) {
        JsonObject m = new JsonObject();
        m.addProperty("width", 360);
        m.addProperty("height", 2200);
        m.addProperty("deviceScaleFactor", 1);
        m.addProperty("mobile", true);
        browser.call("Emulation.setDeviceMetricsOverride", m);
        ApiStack.sleep(800);   // the chart redraws at its new width after 200 ms
        String js = "JSON.stringify({sw: document.documentElement.scrollWidth, iw: window.innerWidth,"
                + " wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                + ".map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)})";
        JsonObject r = JsonParser.parseString(browser.eval(js).getAsString()).getAsJsonObject();
        assertEquals(360, r.get("iw").getAsInt(), r.toString());
        assertTrue(r.get("sw").getAsInt() <= 360, "horizontal scroll at 360 px: " + r);
        assertEquals(0, r.getAsJsonArray("wide").size(), "elements wider than 360 px: " + r);
        browser.eval("window.scrollTo(0, 0)");
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

    private static String state(Map<String, String[]> tiles, String name) {
        String[] t = tiles.get(name);
        return t == null ? "" : t[1];
    }

    private static Map<String, String[]> tiles(Chromium browser) {
        JsonElement v = browser.eval(TILES_JS);
        Map<String, String[]> out = new HashMap<>();
        for (JsonElement e : JsonParser.parseString(v.getAsString()).getAsJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            String[] row = new String[a.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = a.get(i).getAsString();
            }
            out.put(row[0], row);
        }
        return out;
    }

    private static Map<String, String[]> awaitTiles(Chromium browser, Path dir, Predicate<Map<String, String[]>> done)
            throws IOException {
        long end = System.nanoTime() + 90_000_000_000L;
        Map<String, String[]> t = Map.of();
        while (System.nanoTime() < end) {
            t = tiles(browser);
            if (done.test(t)) {
                return t;
            }
            ApiStack.sleep(250);
        }
        StringBuilder shown = new StringBuilder();
        t.forEach((k, v) -> shown.append("\n  ").append(k).append(": ").append(v[1]).append(" / ").append(v[2]));
        throw new AssertionError("the tiles never showed in band / out of band / faulted / stale; they showed" + shown
                + "\nscanner: " + Files.readString(dir.resolve("scanner.log"))
                + "\nworker: " + Files.readString(dir.resolve("worker.log"))
                + "\nautomation: " + Files.readString(dir.resolve("automation.log")));
    }

    private static String awaitText(Chromium browser, String js, Predicate<String> done) {
        long end = System.nanoTime() + 30_000_000_000L;
        String s = "";
        while (System.nanoTime() < end) {
            JsonElement v = browser.eval(js);
            s = v == null || v.isJsonNull() ? "" : v.getAsString();
            if (done.test(s)) {
                return s;
            }
            ApiStack.sleep(250);
        }
        throw new AssertionError("'" + js + "' never became what was expected; it was: " + s);
    }

    private static Path screenshot(String name) {
        return Path.of(System.getProperty("cea.buildDir", "target")).toAbsolutePath().resolve(name);
    }
}
