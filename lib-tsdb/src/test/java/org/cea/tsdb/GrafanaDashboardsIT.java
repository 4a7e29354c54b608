package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Grafana provisioning and dashboards of {@code etc/grafana/}. Grafana itself is not installable
 * here (not in the Debian archive), so the test does what Grafana would: it reads the provisioning
 * YAML and the dashboard JSON, expands the SQL data source macros as Grafana's PostgreSQL data source
 * documents and implements them ({@link GrafanaSql}), and runs every panel's query on a private
 * PostgreSQL database set up by {@code bin/cea-db-setup}, as the read-only role {@code cea_reader},
 * over rows written through {@link Store} as {@code cea_writer}. Expected values are worked out by
 * hand from the rows written below.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrafanaDashboardsIT {
    private static final Path ROOT = TestServers.projectRoot();
    private static final Path GRAFANA = ROOT.resolve("etc/grafana");
    private static final String DS_UID = "cea-tsdb";
    private static final String DS_TYPE = "grafana-postgresql-datasource";
    /** facility.json unit -> Grafana unit id (Grafana's value formats: Temperature, Misc, Concentration, Pressure). */
    private static final Map<String, String> UNIT_IDS = Map.of("°C", "celsius", "%", "percent", "ppm", "ppm",
            "hPa", "pressurehpa", "kPa", "pressurekpa");
    private static final List<String> ALL_TYPES = List.of("PT100", "BARO", "SCD30", "WATER", "LAB", "HEARTBEAT", "UNKNOWN");
    private static final Pattern TABLE_REF = Pattern.compile("(?i)(?<!epoch )\\b(?:from|join)\\s+([a-z_][a-z0-9_.\"]*)");

    /** Minute-aligned (and 10-minute-aligned) start of the fixture rows, 20 minutes ago. */
    private Instant t0;
    private Instant from;
    private Instant to;
    private Map<String, String> sensorUnits;
    private String db;
    private Connection reader;
    private boolean timescale;

    @BeforeAll
    void writeFixture() throws Exception {
        sensorUnits = facilitySensors();
        long now = Instant.now().getEpochSecond();
        t0 = Instant.ofEpochSecond(now - now % 600).minus(Duration.ofMinutes(20));
        from = t0.minus(Duration.ofMinutes(10));
        to = t0.plus(Duration.ofMinutes(10));
        PostgresCluster pg = TestServers.postgres();
        db = "graf_" + Long.toHexString(System.nanoTime());
        setUpDatabase(pg, db);
        try (Store writer = Store.open("postgresql://cea_writer@127.0.0.1:" + pg.port() + "/" + db)) {
            WriteResult r = writer.writeBatch(messages(), readings());
            assertEquals(7, r.messagesWritten(), r.toString());
            assertEquals(3 * sensorUnits.size(), r.readingsWritten(), r.toString());
        }
        reader = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + db + "?user=cea_reader");
        timescale = "1".equals(single("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'").toString());
    }

    @AfterAll
    void close() throws SQLException {
        if (reader != null) {
            reader.close();
        }
    }

    /** The database and both roles exactly as production gets them: bin/cea-db-setup (sql/*.sql). */
    private static void setUpDatabase(PostgresCluster pg, String db) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("bin/cea-db-setup").toString(),
                "--url", "postgresql://postgres@127.0.0.1:" + pg.port(), "--db", db);
        pb.environment().putAll(Map.of("CEA_WRITER_PASSWORD", "writer-pw", "CEA_READER_PASSWORD", "reader-pw",
                "PSQL", pg.binary("psql").toString()));
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "cea-db-setup timed out");
        assertEquals(0, p.exitValue(), out);
    }

    /**
     * Minute 0: PT100 (node 1) at +1, +2, +3 s, BARO (node 2) at +4, +5 s; minute 1: PT100 at +61 s and
     * a frame of an unknown id (0x7FF, no type) at +62 s, the newest.
     */
    private List<MessageRow> messages() {
        List<MessageRow> m = new ArrayList<>();
        for (int s : new int[] {1, 2, 3, 61}) {
            m.add(new MessageRow("pt-" + s, micros(s), 0x101, false, 1, "PT100", 8, "0B 09 1C 07 00 00 00 01",
                    "{\"temp_dry_c\":23.15,\"temp_wet_c\":18.2,\"status\":0,\"seq\":1}"));
        }
        for (int s : new int[] {4, 5}) {
            m.add(new MessageRow("baro-" + s, micros(s), 0x202, false, 2, "BARO", 8, "94 27 A2 08 00 00 00 01",
                    "{\"pressure_hpa\":1013.2,\"temp_c\":22.1,\"seq\":1}"));
        }
        m.add(new MessageRow("unknown-62", micros(62), 0x7FF, false, null, null, 2, "AA 55", null));
        return m;
    }

    /** Every facility sensor i (in name order): 100+i at +10 s, 150+i at +40 s, 200+i at +70 s. */
    private List<ReadingRow> readings() {
        List<ReadingRow> r = new ArrayList<>();
        int i = 0;
        for (String sensor : sensorUnits.keySet()) {
            r.add(new ReadingRow(micros(10), sensor, 100 + i));
            r.add(new ReadingRow(micros(40), sensor, 150 + i));
            r.add(new ReadingRow(micros(70), sensor, 200 + i));
            i++;
        }
        return r;
    }

    private long micros(int secondsAfterT0) {
        return t0.plusSeconds(secondsAfterT0).toEpochMilli() * 1000;
    }

    // ---------------------------------------------------------------------------------------------
    // files

    @Test
    void checkedInDashboardsAreWhatTheGeneratorMakesFromTheFacilityProfile() throws Exception {
        Path script = ROOT.resolve("scripts/grafana-dashboards.py");
        Process p;
        try {
            p = new ProcessBuilder("python3", script.toString(), "--check").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("python3 is needed to check the generated dashboards (apt-get install python3)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "grafana-dashboards.py --check timed out");
        assertEquals(0, p.exitValue(), "scripts/grafana-dashboards.py --check: " + out);
    }

    @Test
    void dataSourceConnectsAsTheReadOnlyRoleWithSettingsFromTheEnvironment() throws IOException {
        Map<String, String> ds = MiniYaml.read(GRAFANA.resolve("provisioning/datasources/cea.yaml"));
        assertEquals("1", ds.get("apiVersion"));
        assertEquals(DS_UID, ds.get("datasources[0].uid"));
        assertEquals(DS_TYPE, ds.get("datasources[0].type"));
        assertEquals("proxy", ds.get("datasources[0].access"));
        assertEquals("false", ds.get("datasources[0].jsonData.timescaledb"), "plain PostgreSQL must be the default");
        assertNotNull(ds.get("datasources[0].jsonData.sslmode"));
        Map<String, String> env = envExample();
        Map<String, String> expected = Map.of("datasources[0].url", "127.0.0.1:5432",
                "datasources[0].user", "cea_reader", "datasources[0].jsonData.database", "cea_sensors",
                "datasources[0].secureJsonData.password", "CHANGE_ME");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String value = ds.get(e.getKey());
            Matcher m = Pattern.compile("\\$\\{?([A-Z_][A-Z0-9_]*)}?").matcher(String.valueOf(value));
            assertTrue(m.matches(), e.getKey() + " must come from the environment, was " + value);
            assertTrue(env.containsKey(m.group(1)), m.group(1) + " is not in etc/cea.env.example");
            assertEquals(e.getValue(), env.get(m.group(1)), m.group(1) + " in etc/cea.env.example");
        }
        // the same role as can-api's reader URL, and one that sql/roles.sql grants nothing but SELECT
        assertTrue(env.get("DB_URL_READER").startsWith("postgresql://" + env.get("CEA_READER_USER") + ":"));
        String roles = Files.readString(ROOT.resolve("sql/roles.sql"));
        for (String line : roles.split("\n")) {
            if (line.startsWith("GRANT") && line.contains("cea_reader")) {
                assertFalse(line.matches("(?i).*\\b(INSERT|UPDATE|DELETE|TRUNCATE|ALL)\\b.*"), line);
            }
        }
        assertTrue(roles.contains("GRANT SELECT ON can_messages, sensor_readings TO cea_reader"), "roles.sql changed?");
    }

    @Test
    void dashboardProviderLoadsTheFolderWhereMakeInstallPutsTheDashboards() throws IOException {
        Map<String, String> p = MiniYaml.read(GRAFANA.resolve("provisioning/dashboards/cea.yaml"));
        assertEquals("1", p.get("apiVersion"));
        assertEquals("file", p.get("providers[0].type"));
        assertNotNull(p.get("providers[0].name"));
        // scripts/install.sh copies etc/ to $PREFIX/etc with PREFIX=/opt/cea by default
        String install = Files.readString(ROOT.resolve("scripts/install.sh"));
        assertTrue(install.contains("prefix=${PREFIX:-/opt/cea}") && install.contains("cp -r \"$root/etc/.\" \"$prefix/etc/\""),
                "scripts/install.sh no longer installs etc/ under /opt/cea/etc");
        assertEquals("/opt/cea/etc/grafana/dashboards", p.get("providers[0].options.path"));
    }

    @Test
    void everyPanelUsesTheProvisionedDataSourceAndSetsAUnit() throws IOException {
        Set<String> uids = new LinkedHashSet<>();
        for (JsonObject d : dashboards().values()) {
            String title = d.get("title").getAsString();
            assertTrue(uids.add(d.get("uid").getAsString()), "duplicate dashboard uid in " + title);
            assertEquals(39, d.get("schemaVersion").getAsInt(), title);
            assertTrue(!d.has("id") || d.get("id").isJsonNull(), title + ": provisioned dashboards carry no id");
            Set<Integer> ids = new LinkedHashSet<>();
            for (JsonObject panel : panels(d)) {
                String where = title + " / " + panel.get("title").getAsString();
                assertTrue(ids.add(panel.get("id").getAsInt()), where + ": duplicate panel id");
                JsonObject pos = panel.getAsJsonObject("gridPos");
                assertTrue(pos.get("x").getAsInt() + pos.get("w").getAsInt() <= 24, where + ": wider than the grid");
                if (panel.get("type").getAsString().equals("row")) {
                    continue;
                }
                assertDataSource(where, panel.getAsJsonObject("datasource"));
                String unit = panel.getAsJsonObject("fieldConfig").getAsJsonObject("defaults").get("unit").getAsString();
                assertFalse(unit.isBlank(), where + ": no unit");
                assertFalse(panel.getAsJsonArray("targets").isEmpty(), where + ": no query");
                for (JsonElement t : panel.getAsJsonArray("targets")) {
                    JsonObject target = t.getAsJsonObject();
                    assertDataSource(where, target.getAsJsonObject("datasource"));
                    assertTrue(Set.of("time_series", "table").contains(target.get("format").getAsString()), where);
                    Matcher m = TABLE_REF.matcher(target.get("rawSql").getAsString());
                    while (m.find()) {
                        assertTrue(Set.of("sensor_readings", "can_messages").contains(m.group(1)),
                                where + " reads " + m.group(1) + ": only sensor_readings and can_messages");
                    }
                }
            }
        }
    }

    private static void assertDataSource(String where, JsonObject ds) {
        assertNotNull(ds, where + ": no datasource");
        assertEquals(DS_UID, ds.get("uid").getAsString(), where);
        assertEquals(DS_TYPE, ds.get("type").getAsString(), where);
    }

    @Test
    void overviewHasEverySensorOfTheFacilityInItsRoomWithItsUnit() throws IOException {
        JsonObject overview = dashboards().get("facility-overview.json");
        Map<String, List<String>> statsOf = new TreeMap<>();
        Map<String, List<String>> seriesOf = new TreeMap<>();
        String row = null;
        Pattern one = Pattern.compile("sensor = '([^']+)'");
        Pattern list = Pattern.compile("sensor IN \\(([^)]*)\\)");
        for (JsonObject panel : panels(overview)) {
            String type = panel.get("type").getAsString();
            if (type.equals("row")) {
                row = panel.get("title").getAsString();
                continue;
            }
            String unit = panel.getAsJsonObject("fieldConfig").getAsJsonObject("defaults").get("unit").getAsString();
            String sql = panel.getAsJsonArray("targets").get(0).getAsJsonObject().get("rawSql").getAsString();
            Matcher m = (type.equals("stat") ? one : list).matcher(sql);
            assertTrue(m.find(), panel.get("title") + ": no sensor in " + sql);
            for (String s : m.group(1).split(",")) {
                String sensor = s.trim().replace("'", "");
                assertTrue(sensorUnits.containsKey(sensor), sensor + " is not a sensor of etc/facility.json");
                assertEquals(UNIT_IDS.get(sensorUnits.get(sensor)), unit, panel.get("title") + " shows " + sensor);
                assertEquals(roomOf(sensor), row, sensor + " is under the wrong row");
                (type.equals("stat") ? statsOf : seriesOf).computeIfAbsent(sensor, k -> new ArrayList<>()).add(row);
            }
        }
        for (String sensor : sensorUnits.keySet()) {
            assertEquals(1, statsOf.getOrDefault(sensor, List.of()).size(), sensor + ": latest-value stat panels");
            assertEquals(1, seriesOf.getOrDefault(sensor, List.of()).size(), sensor + ": time series panels");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // queries, as the read-only role

    @Test
    void everyPanelQueryRunsAsTheReadOnlyRole() throws Exception {
        assertEquals("cea_reader", single("SELECT current_user"));
        assertEquals(Boolean.FALSE, single("SELECT has_table_privilege('sensor_readings', 'INSERT')"));
        int ran = 0;
        for (Map.Entry<String, JsonObject> d : dashboards().entrySet()) {
            for (JsonObject panel : panels(d.getValue())) {
                if (!panel.has("targets")) {
                    continue;
                }
                for (JsonElement t : panel.getAsJsonArray("targets")) {
                    String sql = t.getAsJsonObject().get("rawSql").getAsString();
                    boolean series = t.getAsJsonObject().get("format").getAsString().equals("time_series");
                    for (Duration interval : List.of(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofHours(1))) {
                        for (boolean ts : timescale ? new boolean[] {false, true} : new boolean[] {false}) {
                            String where = d.getKey() + " / " + panel.get("title").getAsString() + " @" + interval;
                            Result r = run(GrafanaSql.expand(sql, from, to, interval, vars(ALL_TYPES), ts), where);
                            assertFalse(r.rows.isEmpty(), where + ": no rows over the fixture");
                            if (series) {
                                assertTrue(r.columns.contains("time"), where + ": time series without a time column");
                            }
                            ran++;
                        }
                    }
                }
            }
        }
        assertTrue(ran > 50, "ran only " + ran + " queries");
    }

    @Test
    void latestValueStatShowsTheNewestReadingOfEachSensor() throws Exception {
        int i = 0;
        for (String sensor : sensorUnits.keySet()) {
            JsonObject panel = overviewPanel("stat", "sensor = '" + sensor + "'");
            Result r = runPanel(panel, Duration.ofMinutes(1), ALL_TYPES);
            assertEquals(1, r.rows.size(), sensor);
            assertEquals(200.0 + i, ((Number) r.rows.get(0).get("value")).doubleValue(), 1e-9, sensor);
            assertEquals(t0.plusSeconds(70), ((java.sql.Timestamp) r.rows.get(0).get("time")).toInstant(), sensor);
            i++;
        }
    }

    @Test
    void historyAveragesEachSensorPerInterval() throws Exception {
        JsonObject panel = overviewPanel("timeseries", "'dry_bulb_b'");
        int i = new ArrayList<>(sensorUnits.keySet()).indexOf("dry_bulb_b");
        Map<String, Double> got = new TreeMap<>();
        for (Map<String, Object> row : runPanel(panel, Duration.ofMinutes(1), ALL_TYPES).rows) {
            if (row.get("metric").equals("dry_bulb_b")) {
                got.put(epoch(row.get("time")) + "", ((Number) row.get("value")).doubleValue());
            }
        }
        long e0 = t0.getEpochSecond();
        // minute 0: (100+i + 150+i) / 2, minute 1: 200+i; epoch-second buckets as on plain PostgreSQL
        assertEquals(Map.of(e0 + "", 125.0 + i, (e0 + 60) + "", 200.0 + i), got);
    }

    @Test
    void messagesPerMinuteEqualTheFramesWrittenInEachMinute() throws Exception {
        JsonObject panel = pipelinePanel("Messages per minute by type");
        long e0 = t0.getEpochSecond();
        assertEquals(Map.of(e0 + " BARO", 2.0, e0 + " PT100", 3.0, (e0 + 60) + " PT100", 1.0, (e0 + 60) + " UNKNOWN", 1.0),
                perMetric(runPanel(panel, Duration.ofMinutes(1), ALL_TYPES), "messages_per_minute"));
        // a 5-minute interval averages: 4 PT100, 2 BARO, 1 UNKNOWN in [t0, t0 + 5 min)
        assertEquals(Map.of(e0 + " BARO", 0.4, e0 + " PT100", 0.8, e0 + " UNKNOWN", 0.2),
                perMetric(runPanel(panel, Duration.ofMinutes(5), ALL_TYPES), "messages_per_minute"));
        assertEquals(Map.of(e0 + " BARO", 2.0),
                perMetric(runPanel(panel, Duration.ofMinutes(1), List.of("BARO")), "messages_per_minute"));
    }

    @Test
    void rowsWrittenPerMinuteCountBothTables() throws Exception {
        JsonObject panel = pipelinePanel("Rows written per minute");
        long e0 = t0.getEpochSecond();
        int n = sensorUnits.size();
        Map<Long, Double> messages = new TreeMap<>();
        Map<Long, Double> readings = new TreeMap<>();
        for (JsonElement t : panel.getAsJsonArray("targets")) {
            String sql = GrafanaSql.expand(t.getAsJsonObject().get("rawSql").getAsString(), from, to,
                    Duration.ofMinutes(1), vars(ALL_TYPES), false);
            for (Map<String, Object> row : run(sql, "rows written").rows) {
                if (row.containsKey("can_messages")) {
                    messages.put(epoch(row.get("time")), ((Number) row.get("can_messages")).doubleValue());
                } else {
                    readings.put(epoch(row.get("time")), ((Number) row.get("sensor_readings")).doubleValue());
                }
            }
        }
        assertEquals(Map.of(e0, 5.0, e0 + 60, 2.0), messages);
        assertEquals(Map.of(e0, 2.0 * n, e0 + 60, 1.0 * n), readings);
    }

    @Test
    void pipelineStatsCountTheRowsInRangeAndTheNewestMessageAge() throws Exception {
        assertEquals(7L, runPanel(pipelinePanel("Messages in range"), Duration.ofMinutes(1), ALL_TYPES).rows.get(0).get("messages"));
        assertEquals(3L * sensorUnits.size(),
                runPanel(pipelinePanel("Readings in range"), Duration.ofMinutes(1), ALL_TYPES).rows.get(0).get("readings"));
        Instant newest = t0.plusSeconds(62);
        double before = Duration.between(newest, Instant.now()).toMillis() / 1000.0;
        double age = ((Number) runPanel(pipelinePanel("Newest message age"), Duration.ofMinutes(1), ALL_TYPES)
                .rows.get(0).get("age")).doubleValue();
        double after = Duration.between(newest, Instant.now()).toMillis() / 1000.0;
        assertTrue(age >= before - 0.01 && age <= after + 0.01, "age " + age + " s, expected " + before + ".." + after);
    }

    @Test
    void newestMessagesTableListsNewestFirstAndFiltersByType() throws Exception {
        JsonObject panel = pipelinePanel("Newest messages");
        List<Map<String, Object>> all = runPanel(panel, Duration.ofMinutes(1), ALL_TYPES).rows;
        assertEquals(7, all.size());
        assertEquals("UNKNOWN", all.get(0).get("message_type"));
        assertEquals("0x7FF", all.get(0).get("can_id"));
        assertEquals("unknown-62", all.get(0).get("source_id"));
        assertEquals("pt-61", all.get(1).get("source_id"));
        assertEquals("baro-5", all.get(2).get("source_id"));
        assertEquals("0x101", all.get(1).get("can_id"));
        List<Map<String, Object>> baro = runPanel(panel, Duration.ofMinutes(1), List.of("BARO")).rows;
        assertEquals(List.of("baro-5", "baro-4"), baro.stream().map(r -> r.get("source_id")).collect(Collectors.toList()));
        assertEquals("{\"seq\": 1, \"temp_c\": 22.1, \"pressure_hpa\": 1013.2}", baro.get(0).get("decoded_data"));
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    /** Sensor name -> unit, from etc/facility.json: each node's room kind's sensor map plus its suffix. */
    private static Map<String, String> facilitySensors() throws IOException {
        JsonObject f = JsonParser.parseString(Files.readString(ROOT.resolve("etc/facility.json"))).getAsJsonObject();
        Map<String, String> sensors = new TreeMap<>();
        for (Map.Entry<String, JsonElement> node : f.getAsJsonObject("nodes").entrySet()) {
            JsonObject n = node.getValue().getAsJsonObject();
            for (String base : f.getAsJsonObject("sensor_map").getAsJsonObject(n.get("kind").getAsString()).keySet()) {
                if (!base.startsWith("_")) {
                    String unit = f.getAsJsonObject("sensors").getAsJsonObject(base).get("unit").getAsString();
                    sensors.put(base + n.get("suffix").getAsString(), unit);
                }
            }
        }
        assertTrue(sensors.size() >= 4, "facility.json has too few sensors: " + sensors);
        return sensors;
    }

    /** The overview's row title for a sensor's room: "... (node N)". */
    private static String roomOf(String sensor) {
        try {
            JsonObject f = JsonParser.parseString(Files.readString(ROOT.resolve("etc/facility.json"))).getAsJsonObject();
            for (Map.Entry<String, JsonElement> node : f.getAsJsonObject("nodes").entrySet()) {
                JsonObject n = node.getValue().getAsJsonObject();
                String suffix = n.get("suffix").getAsString();
                JsonObject map = f.getAsJsonObject("sensor_map").getAsJsonObject(n.get("kind").getAsString());
                for (String base : map.keySet()) {
                    if ((base + suffix).equals(sensor)) {
                        String room = n.get("room").getAsString().replace('_', ' ');
                        return Character.toUpperCase(room.charAt(0)) + room.substring(1) + " (node " + node.getKey() + ")";
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no room for " + sensor);
    }

    private static Map<String, String> envExample() throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("etc/cea.env.example"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    private static Map<String, JsonObject> dashboards() throws IOException {
        Map<String, JsonObject> d = new TreeMap<>();
        try (var files = Files.list(GRAFANA.resolve("dashboards"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).collect(Collectors.toList())) {
                d.put(p.getFileName().toString(), JsonParser.parseString(Files.readString(p)).getAsJsonObject());
            }
        }
        assertEquals(Set.of("facility-overview.json", "pipeline-health.json"), d.keySet());
        return d;
    }

    private static List<JsonObject> panels(JsonObject dashboard) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement p : dashboard.getAsJsonArray("panels")) {
            out.add(p.getAsJsonObject());
            if (p.getAsJsonObject().has("panels")) { // panels inside a collapsed row
                for (JsonElement q : p.getAsJsonObject().getAsJsonArray("panels")) {
                    out.add(q.getAsJsonObject());
                }
            }
        }
        return out;
    }

    private static JsonObject overviewPanel(String type, String sqlPart) throws IOException {
        List<JsonObject> found = new ArrayList<>();
        for (JsonObject p : panels(dashboards().get("facility-overview.json"))) {
            if (p.get("type").getAsString().equals(type)
                    && p.getAsJsonArray("targets").get(0).getAsJsonObject().get("rawSql").getAsString().contains(sqlPart)) {
                found.add(p);
            }
        }
        assertEquals(1, found.size(), type + " panels with " + sqlPart);
        return found.get(0);
    }

    private static JsonObject pipelinePanel(String title) throws IOException {
        for (JsonObject p : panels(dashboards().get("pipeline-health.json"))) {
            if (p.get("title").getAsString().equals(title) && !p.get("type").getAsString().equals("row")) {
                return p;
            }
        }
        throw new AssertionError("no panel '" + title + "' in pipeline-health.json");
    }

    private static Map<String, List<String>> vars(List<String> messageTypes) {
        return Map.of("message_type", messageTypes);
    }

    private Result runPanel(JsonObject panel, Duration interval, List<String> types) throws SQLException {
        JsonArray targets = panel.getAsJsonArray("targets");
        assertEquals(1, targets.size(), panel.get("title").getAsString());
        String sql = targets.get(0).getAsJsonObject().get("rawSql").getAsString();
        return run(GrafanaSql.expand(sql, from, to, interval, vars(types), false), panel.get("title").getAsString());
    }

    private static Map<String, Double> perMetric(Result r, String column) {
        Map<String, Double> m = new TreeMap<>();
        for (Map<String, Object> row : r.rows) {
            m.put(epoch(row.get("time")) + " " + row.get("metric"),
                    BigDecimal.valueOf(((Number) row.get(column)).doubleValue()).setScale(6, java.math.RoundingMode.HALF_UP).doubleValue());
        }
        return m;
    }

    /** The plain-PostgreSQL $__timeGroup gives epoch seconds (numeric); Grafana reads them as such. */
    private static long epoch(Object time) {
        return ((BigDecimal) time).longValueExact();
    }

    private Object single(String sql) throws SQLException {
        return run(sql, sql).rows.get(0).values().iterator().next();
    }

    private record Result(List<String> columns, List<Map<String, Object>> rows) {
    }

    private Result run(String sql, String where) throws SQLException {
        try (Statement st = reader.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnLabel(i));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns.size(); i++) {
                    row.put(columns.get(i - 1), rs.getObject(i));
                }
                rows.add(row);
            }
            return new Result(columns, rows);
        } catch (SQLException e) {
            throw new SQLException(where + ": " + e.getMessage() + "\n" + sql, e.getSQLState(), e);
        }
    }

    /**
     * What Grafana does to a PostgreSQL panel query before it reaches the database: the dashboard's
     * template variables (frontend; a multi-value variable becomes a list of quoted literals), the
     * global SQL substitutions ($__interval_ms before $__interval, $__unixEpochFrom/To()), then the
     * PostgreSQL macros, matched as Grafana does ({@code $name(args)}, args split on commas) and
     * expanded as its PostgreSQL data source documents: $__timeFilter(c) = {@code c BETWEEN 'from' AND
     * 'to'} (RFC 3339, UTC); $__timeGroup(c, i) = {@code floor(extract(epoch from c)/S)*S} with S the
     * interval in seconds, or {@code time_bucket('S.000s',c)} with timescaledb: true; the Alias forms
     * add {@code AS "time"}. Anything left with a {@code $} is an error.
     */
    static final class GrafanaSql {
        private static final Pattern MACRO = Pattern.compile("\\$([_a-zA-Z0-9]+)\\(([^)]*)\\)");
        private static final Pattern INTERVAL = Pattern.compile("'?(\\d+)(ms|s|m|h|d|w|y)'?");

        private GrafanaSql() {
        }

        static String expand(String sql, Instant from, Instant to, Duration interval, Map<String, List<String>> vars,
                             boolean timescaledb) {
            String s = sql;
            for (Map.Entry<String, List<String>> v : vars.entrySet()) {
                String quoted = v.getValue().stream().map(x -> "'" + x.replace("'", "''") + "'")
                        .collect(Collectors.joining(","));
                s = s.replace("${" + v.getKey() + "}", quoted)
                        .replaceAll("\\$" + Pattern.quote(v.getKey()) + "(?![A-Za-z0-9_])", Matcher.quoteReplacement(quoted));
            }
            s = s.replace("$__interval_ms", Long.toString(interval.toMillis()))
                    .replace("$__interval", formatInterval(interval))
                    .replace("$__unixEpochFrom()", Long.toString(from.getEpochSecond()))
                    .replace("$__unixEpochTo()", Long.toString(to.getEpochSecond()));
            Matcher m = MACRO.matcher(s);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                List<String> args = new ArrayList<>();
                for (String a : m.group(2).split(",", -1)) {
                    args.add(a.trim());
                }
                m.appendReplacement(out, Matcher.quoteReplacement(macro(m.group(1), args, from, to, timescaledb)));
            }
            m.appendTail(out);
            String expanded = out.toString();
            if (expanded.replaceAll("'[^']*'", "").contains("$")) {
                fail("unexpanded variable or macro in: " + expanded);
            }
            return expanded;
        }

        private static String macro(String name, List<String> args, Instant from, Instant to, boolean timescaledb) {
            DateTimeFormatter rfc3339 = DateTimeFormatter.ISO_INSTANT;
            switch (name) {
                case "__time":
                    return args.get(0) + " AS \"time\"";
                case "__timeEpoch":
                    return "extract(epoch from " + args.get(0) + ") as \"time\"";
                case "__timeFilter":
                    return args.get(0) + " BETWEEN '" + rfc3339.format(from) + "' AND '" + rfc3339.format(to) + "'";
                case "__timeFrom":
                    return "'" + rfc3339.format(from) + "'";
                case "__timeTo":
                    return "'" + rfc3339.format(to) + "'";
                case "__timeGroup":
                case "__timeGroupAlias": {
                    assertTrue(args.size() == 2 || args.size() == 3, "$" + name + " needs column, interval[, fill]: " + args);
                    double secs = parseInterval(args.get(1)).toMillis() / 1000.0;
                    String group = timescaledb
                            ? String.format(Locale.ROOT, "time_bucket('%.3fs',%s)", secs, args.get(0))
                            : "floor(extract(epoch from " + args.get(0) + ")/" + goFloat(secs) + ")*" + goFloat(secs);
                    return name.equals("__timeGroup") ? group : group + " AS \"time\"";
                }
                case "__unixEpochFilter":
                    return args.get(0) + " >= " + from.getEpochSecond() + " AND " + args.get(0) + " <= " + to.getEpochSecond();
                default:
                    throw new AssertionError("macro $" + name + " is not one this test knows how Grafana expands");
            }
        }

        /** Grafana's gtime.FormatInterval: the largest whole unit (y, d, h, m, s, ms). */
        static String formatInterval(Duration d) {
            long ms = d.toMillis();
            long[] sizes = {365L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
            String[] units = {"y", "d", "h", "m", "s", "ms"};
            for (int i = 0; i < sizes.length; i++) {
                if (ms >= sizes[i]) {
                    return ms / sizes[i] + units[i];
                }
            }
            return "1ms";
        }

        static Duration parseInterval(String text) {
            Matcher m = INTERVAL.matcher(text);
            assertTrue(m.matches(), "not a Grafana interval: " + text);
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms": return Duration.ofMillis(n);
                case "s": return Duration.ofSeconds(n);
                case "m": return Duration.ofMinutes(n);
                case "h": return Duration.ofHours(n);
                case "d": return Duration.ofDays(n);
                case "w": return Duration.ofDays(7 * n);
                default: return Duration.ofDays(365 * n);
            }
        }

        /** Go's %v of a float64 for the values used here: 60 -> "60", 0.5 -> "0.5". */
        private static String goFloat(double v) {
            return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
    }

    /**
     * Enough YAML for the two provisioning files: block mappings and block sequences of mappings,
     * plain or quoted scalars, comments. Flattened to paths such as {@code datasources[0].jsonData.database}.
     */
    static final class MiniYaml {
        private MiniYaml() {
        }

        private record Level(int indent, String path) {
        }

        static Map<String, String> read(Path file) throws IOException {
            Map<String, String> out = new LinkedHashMap<>();
            Map<String, Integer> listSizes = new HashMap<>();
            Deque<Level> stack = new ArrayDeque<>();
            stack.push(new Level(-1, ""));
            int lineNo = 0;
            for (String raw : Files.readAllLines(file)) {
                lineNo++;
                String line = raw.replaceAll("(^|\\s)#.*$", "");
                if (line.isBlank()) {
                    continue;
                }
                int indent = line.length() - line.stripLeading().length();
                String content = line.strip();
                while (stack.peek().indent() >= indent) {
                    stack.pop();
                }
                String parent = stack.peek().path();
                if (content.startsWith("- ")) {
                    int index = listSizes.merge(parent, 1, Integer::sum) - 1;
                    String item = parent + "[" + index + "]";
                    stack.push(new Level(indent, item));
                    parent = item;
                    indent += 2;
                    content = content.substring(2).strip();
                }
                int colon = content.indexOf(':');
                assertTrue(colon > 0, file + ":" + lineNo + ": expected 'key: value', was '" + raw + "'");
                String key = content.substring(0, colon).strip();
                String value = content.substring(colon + 1).strip();
                String path = parent.isEmpty() ? key : parent + "." + key;
                if (value.isEmpty()) {
                    stack.push(new Level(indent, path));
                } else {
                    assertTrue(out.put(path, unquote(value)) == null, file + ":" + lineNo + ": duplicate key " + path);
                }
            }
            return out;
        }

        private static String unquote(String v) {
            boolean quoted = v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""));
            return quoted ? v.substring(1, v.length() - 1) : v;
        }
    }
}
