package org.cea.tools.automation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cea.redisio.AlertEvents;
import org.cea.redisio.AlertKeys;
import org.cea.redisio.RawEntry;
import org.cea.testsupport.Processes;
import org.cea.testsupport.RedisServer;
import org.cea.testsupport.TestServers;
import org.cea.tsdb.AlertEventLog;
import org.cea.tsdb.AlertEventQuery;
import org.cea.tsdb.MessageQuery;
import org.cea.tsdb.Store;
import org.cea.tsdb.StoredMessage;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The whole path with real processes: the scanner's simulator plays a scenario (a CO2 excursion
 * shorter than the hold time, a long one with a dip inside the hysteresis, a node dropout, faulted
 * probes, a second excursion during which its node goes silent), the worker stores and publishes,
 * cea-automation alerts, notifies a local HTTP receiver and a local SMTP server (STARTTLS + AUTH)
 * and commands an actuator, cea-actuator --dry-run consumes the commands; cea-automation is killed
 * with SIGKILL while four alerts fire and restarted. Expected times come from the frames the
 * worker stored in can_messages, not from cea-automation.
 */
class AutomationScenarioIT {
    /** One evaluation period, ms; transitions stamped at evaluation time get this plus a grace for a busy machine. */
    private static final long PERIOD = 1_000;
    private static final long GRACE = 1_000;

    static String config(Receivers rx) {
        return "{\"evaluation_period_s\":1,"
                + "\"actuators\":{\"fan_b\":{\"min_on_s\":5,\"min_off_s\":5,\"max_per_minute\":4,\"expires_s\":30}},"
                + "\"rules\":["
                + "{\"name\":\"co2_high\",\"kind\":\"band\",\"sensor\":\"co2_b\",\"max\":1500,\"hysteresis\":100,\"for_s\":5,"
                + "\"severity\":\"warning\",\"command\":{\"actuator\":\"fan_b\",\"on_fire\":\"on\",\"on_resolve\":\"off\"}},"
                + "{\"name\":\"stale\",\"kind\":\"stale\",\"sensors\":\"all\",\"after_s\":15},"
                + "{\"name\":\"silent_node\",\"kind\":\"silent_node\",\"nodes\":\"all\",\"after_s\":8,\"severity\":\"critical\"},"
                + "{\"name\":\"faulted\",\"kind\":\"faulted\",\"sensors\":\"all\",\"severity\":\"critical\"},"
                + "{\"name\":\"redis_unreachable\",\"kind\":\"pipeline\",\"check\":\"redis_unreachable\",\"for_s\":2,"
                + "\"severity\":\"critical\"}],"
                + "\"notifiers\":" + rx.notifiersJson() + "}";
    }

    static void smtpEnv(Stack s) {
        s.env("CEA_SMTP_USER", Receivers.SMTP_USER);
        s.env("CEA_SMTP_PASSWORD", Receivers.SMTP_PASSWORD);
        s.env("CEA_SMTP_TRUST_PASSWORD", Receivers.TRUST_PASSWORD);
    }

    @Test
    void simulatorScenariosGiveExactlyTheExpectedAlertsNotificationsAndCommandsAcrossAKill9() throws Exception {
        // logs stay in target/ for a failed run
        Path dir = Files.createDirectories(Path.of(System.getProperty("cea.buildDir", "target"), "automation-it",
                "scenario-" + System.currentTimeMillis()).toAbsolutePath());
        String dbName = TestServers.newDatabase("automation");
        String db = TestServers.postgres().url(dbName);
        Store.applySchema(db);
        try (RedisServer redis = RedisServer.start(true); Receivers rx = new Receivers(dir); Stack s = new Stack(dir);
             JedisPooled jedis = new JedisPooled(redis.url())) {
            Path cfg = dir.resolve("automation.json");
            Files.writeString(cfg, config(rx));
            smtpEnv(s);
            String[] automation = {"--config", cfg.toString(), "--redis-url", redis.url(), "--db-url", db,
                    "--metrics-listen", "127.0.0.1:0", "--consumer", "automation-it"};
            // the facility first: cea-automation starts on a running pipeline (a node never heard from since its
            // start would rightly be reported silent), then the scenario begins at simulated second 100
            s.start("worker", "org.cea.tools.worker.WorkerMain", "--redis-url", redis.url(), "--db-url", db);
            s.start("scanner", "org.cea.tools.scanner.ScannerMain", "--source", "sim", "--redis-url", redis.url(), "--no-db",
                    "--quiet", "--stats-interval", "0", "--spool-dir", dir.resolve("spool").toString(),
                    "--sim-set", "1:co2=1800@100-103", "--sim-set", "1:co2=1800@110-125", "--sim-set", "1:co2=1450@125-130",
                    "--sim-set", "1:co2=1800@130-133", "--sim-set", "1:co2=1300@133-140", "--sim-set", "1:co2=1800@142-155",
                    "--sim-dropout", "2@105-130", "--sim-dropout", "1@148-170", "--sim-fault", "3@110-130");
            Stack.await("every node live", 180_000, () -> jedis.exists("sensor:co2_b", "sensor:co2_f", "sensor:co2_v",
                    "sensor:lab_temp") == 4, s);
            s.start("automation", "org.cea.tools.automation.AutomationMain", automation);
            s.start("actuator", "org.cea.tools.automation.AutomationMain", "actuator", "--dry-run", "--redis-url", redis.url());
            Stack.await("cea-automation's status", 180_000, () -> jedis.exists(AlertKeys.STATUS), s);

            // four alerts fire and are notified: kill -9 cea-automation, start it again
            List<String> four = List.of("co2_high:co2_b", "silent_node:flower_front", "faulted:dry_bulb_v", "faulted:wet_bulb_v");
            Stack.await("four firing alerts notified", 240_000, () -> four.stream().allMatch(id ->
                    !rx.posts(e -> e.get("id").getAsString().equals(id) && firing(e)).isEmpty()
                            && !rx.mails("FIRING", id).isEmpty()), s);
            Stack.await("notifier groups acknowledged", 10_000, () -> pending(jedis, "notify:webhook") == 0
                    && pending(jedis, "notify:email") == 0, s);
            long firingAtKill = jedis.hvals(AlertKeys.ACTIVE).stream().filter(v -> v.contains("\"state\":\"firing\"")).count();
            s.kill9("automation");
            assertTrue(firingAtKill >= 2, "alerts fire while cea-automation is killed: " + firingAtKill);
            s.start("automation", "org.cea.tools.automation.AutomationMain", automation);

            // the end of the scenario: node 1 is back at simulated second 90 and its second CO2 alert resolves
            Stack.await("six alerts resolved and notified", 240_000, () -> rx.posts(e -> "resolved".equals(
                    e.get("transition").getAsString())).size() >= 6 && rx.mails("RESOLVED").size() >= 6
                    && jedis.hlen(AlertKeys.ACTIVE) == 0, s);
            Processes.sleep(3_000);   // anything sent twice would arrive now

            Map<String, List<AlertEvents.Event>> byAlert = events(jedis);
            try (Store store = Store.open(db)) {
                checkAlerts(byAlert, store, s);
            }
            checkNotifications(rx, byAlert, s);
            checkCommands(jedis, byAlert, s);
            try (AlertEventLog log = AlertEventLog.open(db)) {
                Stack.await("alert history in the database", 20_000, () -> log.recent(AlertEventQuery.latest(1000)).size()
                        == jedis.xlen(AlertKeys.EVENTS), s);
            }
        }
    }

    private static boolean firing(JsonObject e) {
        return "firing".equals(e.get("transition").getAsString());
    }

    static long pending(JedisPooled jedis, String group) {
        return jedis.xpending(AlertKeys.EVENTS, group).getTotal();
    }

    static Map<String, List<AlertEvents.Event>> events(JedisPooled jedis) {
        Map<String, List<AlertEvents.Event>> out = new TreeMap<>();
        for (StreamEntry e : jedis.xrange(AlertKeys.EVENTS, "-", "+", 10_000)) {
            AlertEvents.Event ev = AlertEvents.parse(new RawEntry(e.getID().toString(), e.getFields()));
            out.computeIfAbsent(ev.alert().id(), k -> new ArrayList<>()).add(ev);
        }
        return out;
    }

    /** Transitions of an alert as "pending@ts firing@ts resolved@ts ..." for messages. */
    private static String show(List<AlertEvents.Event> es) {
        StringBuilder b = new StringBuilder();
        es.forEach(e -> b.append(e.transition()).append('@').append(e.ts()).append(' '));
        return b.toString();
    }

    private static void checkAlerts(Map<String, List<AlertEvents.Event>> byAlert, Store store, Stack s) {
        assertEquals(List.of("co2_high:co2_b", "faulted:dry_bulb_v", "faulted:wet_bulb_v", "silent_node:flower_back",
                "silent_node:flower_front"), List.copyOf(byAlert.keySet()), "exactly these alerts" + s.logs());

        // CO2 of node 1 from the stored SCD30 frames: runs of 1800, the dip to 1450, the return at 1300
        List<long[]> co2 = values(store, 1, "SCD30", "co2_ppm");
        long shortStart = first(co2, 1800, 0);
        long run1 = first(co2, 1800, firstAfterGap(co2, shortStart, 1800));
        long back1 = first(co2, 1300, run1);
        long run2 = first(co2, 1800, back1);
        List<AlertEvents.Event> c = byAlert.get("co2_high:co2_b");
        String seen = show(c);
        // the 3 s excursion: pending then resolved, never firing (hold time 5 s)
        assertEquals(List.of("pending", "resolved", "pending", "firing", "resolved", "pending", "firing", "resolved"),
                c.stream().map(AlertEvents.Event::transition).toList(), seen);
        assertEquals(shortStart, c.get(0).ts(), "short excursion pending at its first reading: " + seen);
        assertEquals(run1, c.get(2).ts(), seen);
        within(run1 + 5_000, c.get(3).ts(), "co2 fires 5 s after the run began", seen);
        assertEquals(back1, c.get(4).ts(), "resolved by the first reading back inside the hysteresis, not the dip to 1450: " + seen);
        assertEquals(run2, c.get(5).ts(), seen);
        within(run2 + 5_000, c.get(6).ts(), "second run fires", seen);
        long node1Back = firstAfterGap(values(store, 1, "SCD30", "co2_ppm"), run2, -1);
        assertEquals(node1Back, c.get(7).ts(), "resolved when node 1 is back, not while it was silent: " + seen);

        // node 2's dropout: the last frame before the gap and the first after it (every message type)
        long[] gap2 = gap(store, 2);
        List<AlertEvents.Event> n2 = byAlert.get("silent_node:flower_front");
        assertEquals(List.of("firing", "resolved"), n2.stream().map(AlertEvents.Event::transition).toList(), show(n2));
        within(gap2[0] + 8_000, n2.get(0).ts(), "node 2 silent 8 s after its last frame", show(n2));
        within(gap2[1], n2.get(1).ts(), "node 2 back with its first frame", show(n2));
        long[] gap1 = gap(store, 1);
        List<AlertEvents.Event> n1 = byAlert.get("silent_node:flower_back");
        within(gap1[0] + 8_000, n1.get(0).ts(), "node 1 silent", show(n1));
        within(gap1[1], n1.get(1).ts(), "node 1 back", show(n1));

        // node 3's PT100: status 0x03 from the first faulted frame to the first good one
        List<long[]> status = values(store, 3, "PT100", "status");
        long faultFrom = first(status, 3, 0);
        long faultTo = first(status, 0, faultFrom);
        for (String id : List.of("faulted:dry_bulb_v", "faulted:wet_bulb_v")) {
            List<AlertEvents.Event> f = byAlert.get(id);
            assertEquals(List.of("firing", "resolved"), f.stream().map(AlertEvents.Event::transition).toList(), show(f));
            within(faultFrom, f.get(0).ts(), id + " fires at the first faulted frame", show(f));
            within(faultTo, f.get(1).ts(), id + " resolves at the first good frame", show(f));
            assertEquals("veg", f.get(0).alert().room());
        }
    }

    private static void within(long expected, long actual, String what, String seen) {
        assertTrue(actual >= expected && actual <= expected + PERIOD + GRACE, what + ": expected " + expected + " .. "
                + (expected + PERIOD + GRACE) + ", was " + actual + " (" + (actual - expected) + " ms late); " + seen);
    }

    /** (ts ms, value) of a signal of a node's messages, oldest first, from can_messages. */
    static List<long[]> values(Store store, int node, String type, String signal) {
        List<long[]> out = new ArrayList<>();
        for (StoredMessage m : store.recentMessages(MessageQuery.latest(1000).withNode(node).withType(type))) {
            JsonObject d = JsonParser.parseString(m.decodedJson()).getAsJsonObject();
            out.add(new long[] {Math.floorDiv(m.timestampMicros(), 1000), Math.round(d.get(signal).getAsDouble())});
        }
        return out;
    }

    private static long first(List<long[]> rows, long value, long after) {
        for (long[] r : rows) {
            if (r[0] > after && r[1] == value) {
                return r[0];
            }
        }
        throw new AssertionError("no frame with value " + value + " after " + after);
    }

    /** The first reading after {@code after} that follows a break: a different value, or (value -1) a gap over 3 s. */
    private static long firstAfterGap(List<long[]> rows, long after, long value) {
        long prev = -1;
        for (long[] r : rows) {
            if (r[0] <= after) {
                prev = r[0];
                continue;
            }
            if (value >= 0 ? r[1] != value : prev >= 0 && r[0] - prev > 3_000) {
                return value >= 0 ? r[0] + 1 : r[0];
            }
            prev = r[0];
        }
        throw new AssertionError("no break after " + after);
    }

    /** {last frame before, first frame after} the node's longest silence. */
    static long[] gap(Store store, int node) {
        List<StoredMessage> rows = store.recentMessages(MessageQuery.latest(1000).withNode(node));
        long[] best = {0, 0};
        for (int i = 1; i < rows.size(); i++) {
            long a = rows.get(i - 1).timestampMicros() / 1000;
            long b = rows.get(i).timestampMicros() / 1000;
            if (b - a > best[1] - best[0]) {
                best = new long[] {a, b};
            }
        }
        return best;
    }

    private static void checkNotifications(Receivers rx, Map<String, List<AlertEvents.Event>> byAlert, Stack s) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (List<AlertEvents.Event> es : byAlert.values()) {
            for (AlertEvents.Event e : es) {
                if (e.transition().equals("firing") || e.transition().equals("resolved") && e.alert().firedAt() != null) {
                    expected.merge(e.transition() + " " + e.alert().id(), 1, Integer::sum);
                }
            }
        }
        assertEquals(12, expected.values().stream().mapToInt(Integer::intValue).sum(), expected.toString());
        Map<String, Integer> posts = new LinkedHashMap<>();
        rx.posts.forEach(p -> posts.merge(p.getAsJsonObject("event").get("transition").getAsString() + " "
                + p.getAsJsonObject("event").get("id").getAsString(), 1, Integer::sum));
        assertEquals(new TreeMap<>(expected), new TreeMap<>(posts), "one webhook per transition, none twice" + s.log("automation"));
        assertEquals(12, rx.postKeys.stream().distinct().count(), "twelve distinct event keys");
        Map<String, Integer> mails = new LinkedHashMap<>();
        for (String m : rx.mails) {
            String subject = m.lines().filter(l -> l.startsWith("Subject: ")).findFirst().orElse("");
            String id = subject.substring(subject.lastIndexOf(' ') + 1);
            mails.merge((subject.contains("FIRING") ? "firing " : "resolved ") + id, 1, Integer::sum);
        }
        assertEquals(new TreeMap<>(expected), new TreeMap<>(mails), "one e-mail per transition, none twice");
        assertTrue(rx.posts.get(0).get("topic").getAsString().equals("cea"), "ntfy-style topic in the body");
    }

    private static void checkCommands(JedisPooled jedis, Map<String, List<AlertEvents.Event>> byAlert, Stack s) {
        List<StreamEntry> cmds = jedis.xrange(AlertKeys.COMMANDS, "-", "+", 100);
        List<String> what = cmds.stream().map(e -> e.getFields().get("actuator") + " " + e.getFields().get("command")).toList();
        assertEquals(List.of("fan_b on", "fan_b off", "fan_b on", "fan_b off"), what, "commands" + s.log("automation"));
        List<AlertEvents.Event> c = byAlert.get("co2_high:co2_b");
        long[] issued = cmds.stream().mapToLong(e -> Long.parseLong(e.getFields().get("ts"))).toArray();
        long[] at = {c.get(3).ts(), c.get(4).ts(), c.get(6).ts(), c.get(7).ts()};
        for (int i = 0; i < 4; i++) {
            assertTrue(issued[i] >= at[i] && issued[i] - at[i] <= PERIOD + GRACE, "command " + i + " issued at " + issued[i]
                    + " for the transition at " + at[i]);
        }
        // between the second "on" and node 1's return its CO2 was stale: no command in between
        assertTrue(issued[3] - issued[2] > 15_000, "no command while the input was stale: " + what + " at "
                + java.util.Arrays.toString(issued));
        Stack.await("cea-actuator consumed the four commands", 20_000,
                () -> s.log("actuator").split("DRY RUN: would set fan_b", -1).length - 1 == 4
                        && jedis.xpending(AlertKeys.COMMANDS, "cea-actuator").getTotal() == 0, s);
    }
}
