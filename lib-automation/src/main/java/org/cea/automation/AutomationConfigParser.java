package org.cea.automation;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.candecode.facility.Room;
import org.cea.candecode.facility.SensorSpec;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertEvents;

/**
 * Reads {@code automation.json} against the facility profile. Every error is an
 * {@link AutomationConfigException} naming the file, the JSON path and what is allowed; unknown
 * keys are errors (a typo never silently disables a rule); keys starting with {@code _} are comments.
 */
public final class AutomationConfigParser {
    private static final Set<String> NOTIFY_DEFAULT = Set.of("firing", "resolved", "reminder", "acknowledged");
    private final Path file;
    private final FacilityProfile profile;

    private AutomationConfigParser(Path file, FacilityProfile profile) {
        this.file = file;
        this.profile = profile;
    }

    /**
     * Parses and validates.
     *
     * @throws AutomationConfigException naming file, JSON path and what is allowed
     */
    public static AutomationConfig parse(Path file, FacilityProfile profile) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AutomationConfigException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file, text, profile);
    }

    /** Parses {@code text} as if read from {@code file}. */
    public static AutomationConfig parse(Path file, String text, FacilityProfile profile) {
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new AutomationConfigException(file + ": not valid JSON: " + e.getMessage());
        }
        return new AutomationConfigParser(file, profile).config(root);
    }

    private AutomationConfigException error(String path, String what) {
        return new AutomationConfigException(file + ": " + path + ": " + what);
    }

    private AutomationConfig config(JsonElement root) {
        JsonObject o = object(root, "$");
        keys(o, "$", "time_zone", "evaluation_period_s", "rooms", "rules", "notifiers", "actuators");
        ZoneId zone = zone(o);
        Duration period = seconds(o, "$", "evaluation_period_s", 1, 0.1, 60);
        Map<String, AutomationConfig.Lights> rooms = rooms(o);
        Map<String, AutomationConfig.Actuator> actuators = actuators(o);
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        JsonArray rs = o.has("rules") ? array(o.get("rules"), "rules") : new JsonArray();
        for (int i = 0; i < rs.size(); i++) {
            Rule r = rule(rs.get(i), "rules[" + i + "]", rooms, actuators);
            if (!names.add(r.name())) {
                throw error("rules[" + i + "].name", "'" + r.name() + "' is used by another rule; names must be unique");
            }
            rules.add(r);
        }
        List<AutomationConfig.Notifier> notifiers = new ArrayList<>();
        Set<String> nn = new HashSet<>();
        JsonArray ns = o.has("notifiers") ? array(o.get("notifiers"), "notifiers") : new JsonArray();
        for (int i = 0; i < ns.size(); i++) {
            AutomationConfig.Notifier n = notifier(ns.get(i), "notifiers[" + i + "]");
            if (!nn.add(n.name())) {
                throw error("notifiers[" + i + "].name", "'" + n.name() + "' is used by another notifier; names must be unique");
            }
            notifiers.add(n);
        }
        return new AutomationConfig(file, zone, period, rooms, rules, notifiers, actuators);
    }

    private ZoneId zone(JsonObject o) {
        if (!o.has("time_zone")) {
            return ZoneId.systemDefault();
        }
        String z = string(o, "$", "time_zone", null);
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            throw error("time_zone", "'" + z + "' is not a time zone; use a region id such as Europe/Amsterdam");
        }
    }

    private Map<String, AutomationConfig.Lights> rooms(JsonObject o) {
        Map<String, AutomationConfig.Lights> out = new LinkedHashMap<>();
        if (!o.has("rooms")) {
            return out;
        }
        JsonObject rooms = object(o.get("rooms"), "rooms");
        Set<String> known = new TreeSet<>();
        profile.rooms().forEach(r -> known.add(r.name()));
        for (String name : rooms.keySet()) {
            if (name.startsWith("_")) {
                continue;
            }
            String path = "rooms." + name;
            if (!known.contains(name)) {
                throw error(path, "no room '" + name + "' in the facility profile; rooms: " + String.join(", ", known));
            }
            JsonObject r = object(rooms.get(name), path);
            keys(r, path, "lights_on", "lights_off");
            out.put(name, new AutomationConfig.Lights(time(r, path, "lights_on"), time(r, path, "lights_off")));
        }
        return out;
    }

    private Map<String, AutomationConfig.Actuator> actuators(JsonObject o) {
        Map<String, AutomationConfig.Actuator> out = new LinkedHashMap<>();
        if (!o.has("actuators")) {
            return out;
        }
        JsonObject as = object(o.get("actuators"), "actuators");
        for (String name : as.keySet()) {
            if (name.startsWith("_")) {
                continue;
            }
            String path = "actuators." + name;
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw error(path, "actuator names are 1..64 of [A-Za-z0-9_.-]");
            }
            JsonObject a = object(as.get(name), path);
            keys(a, path, "min_on_s", "min_off_s", "max_per_minute", "expires_s");
            out.put(name, new AutomationConfig.Actuator(name, seconds(a, path, "min_on_s", 0, 0, 86_400),
                    seconds(a, path, "min_off_s", 0, 0, 86_400), (int) number(a, path, "max_per_minute", 4, 1, 60),
                    seconds(a, path, "expires_s", 30, 1, 3600)));
        }
        return out;
    }

    private Rule rule(JsonElement e, String path, Map<String, AutomationConfig.Lights> rooms,
                      Map<String, AutomationConfig.Actuator> actuators) {
        JsonObject r = object(e, path);
        String kind = string(r, path, "kind", null);
        String name = string(r, path, "name", null);
        if (!name.matches("[a-z0-9_]{1,48}")) {
            throw error(path + ".name", "'" + name + "' must be 1..48 of [a-z0-9_]");
        }
        String severity = string(r, path, "severity", "warning");
        if (!Alert.SEVERITIES.contains(severity)) {
            throw error(path + ".severity", "'" + severity + "' must be one of info, warning, critical");
        }
        Duration hold = seconds(r, path, "for_s", 0, 0, 7 * 86_400);
        Duration reminder = seconds(r, path, "reminder_h", 0, 0, 24 * 30, 3600);
        switch (kind) {
            case "band" -> {
                keys(r, path, "kind", "name", "severity", "for_s", "reminder_h", "sensor", "rooms", "min", "max",
                        "hysteresis", "schedule", "command");
                Double min = r.has("min") ? number(r, path, "min", 0, -1e9, 1e9) : null;
                Double max = r.has("max") ? number(r, path, "max", 0, -1e9, 1e9) : null;
                if (min == null && max == null) {
                    throw error(path, "a band needs min, max or both");
                }
                if (min != null && max != null && !(min < max)) {
                    throw error(path + ".min", "min " + min + " must be below max " + max);
                }
                double h = number(r, path, "hysteresis", 0, 0, 1e9);
                if (min != null && max != null && 2 * h >= max - min) {
                    throw error(path + ".hysteresis", h + " must be below half the band (" + (max - min) / 2 + ")");
                }
                Rule.Schedule schedule = schedule(r, path);
                List<Rule.Target> targets = sensors(r, path, "sensor", false);
                if (schedule != Rule.Schedule.ALWAYS) {
                    for (Rule.Target t : targets) {
                        if (t.room() == null || !rooms.containsKey(t.room())) {
                            throw error(path + ".schedule", "'" + schedule.name().toLowerCase() + "' needs lights_on/lights_off"
                                    + " for room '" + t.room() + "' under rooms");
                        }
                    }
                }
                return new Rule.Band(name, severity, targets, min, max, h, schedule, hold, reminder,
                        action(r, path, actuators));
            }
            case "stale" -> {
                keys(r, path, "kind", "name", "severity", "for_s", "reminder_h", "sensors", "rooms", "after_s");
                return new Rule.Stale(name, severity, sensors(r, path, "sensors", true),
                        seconds(r, path, "after_s", 30, 1, 86_400), hold, reminder);
            }
            case "silent_node" -> {
                keys(r, path, "kind", "name", "severity", "for_s", "reminder_h", "nodes", "after_s");
                return new Rule.SilentNode(name, severity, nodes(r, path), seconds(r, path, "after_s", 20, 1, 86_400), hold,
                        reminder);
            }
            case "faulted", "out_of_range" -> {
                keys(r, path, "kind", "name", "severity", "for_s", "reminder_h", "sensors", "rooms");
                return new Rule.Problem(name, severity, kind, sensors(r, path, "sensors", true), hold, reminder);
            }
            case "pipeline" -> {
                keys(r, path, "kind", "name", "severity", "for_s", "reminder_h", "check", "max_entries", "max_s", "after_s",
                        "window_s", "fraction", "cap");
                return pipeline(r, path, name, severity, hold, reminder);
            }
            default -> throw error(path + ".kind", "'" + kind + "' must be one of band, stale, silent_node, faulted,"
                    + " out_of_range, pipeline");
        }
    }

    private Rule pipeline(JsonObject r, String path, String name, String severity, Duration hold, Duration reminder) {
        String c = string(r, path, "check", null);
        Rule.Check check;
        try {
            check = Rule.Check.valueOf(c.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw error(path + ".check", "'" + c + "' must be one of redis_unreachable, worker_down, db_down, worker_lag,"
                    + " dead_letters, stream_near_cap");
        }
        long maxEntries = 0;
        Duration age = Duration.ZERO;
        double fraction = 0;
        long cap = 0;
        switch (check) {
            case WORKER_LAG -> {
                maxEntries = (long) number(r, path, "max_entries", 0, 0, 1e9);
                age = seconds(r, path, "max_s", 0, 0, 86_400);
                if (maxEntries == 0 && age.isZero()) {
                    throw error(path, "worker_lag needs max_entries, max_s or both");
                }
            }
            case WORKER_DOWN -> age = seconds(r, path, "after_s", 30, 1, 86_400);
            case DEAD_LETTERS -> age = seconds(r, path, "window_s", 600, 1, 7 * 86_400);
            case STREAM_NEAR_CAP -> {
                fraction = number(r, path, "fraction", 0.8, 0.01, 1);
                cap = (long) number(r, path, "cap", 1_000_000, 1000, 1e10);
            }
            default -> {
                // REDIS_UNREACHABLE and DB_DOWN take only for_s
            }
        }
        return new Rule.Pipeline(name, severity, check, maxEntries, age, fraction, cap, hold, reminder);
    }

    private Rule.Schedule schedule(JsonObject r, String path) {
        String s = string(r, path, "schedule", "always");
        return switch (s) {
            case "always" -> Rule.Schedule.ALWAYS;
            case "day" -> Rule.Schedule.DAY;
            case "night" -> Rule.Schedule.NIGHT;
            default -> throw error(path + ".schedule", "'" + s + "' must be always, day or night");
        };
    }

    private Rule.CommandAction action(JsonObject r, String path, Map<String, AutomationConfig.Actuator> actuators) {
        if (!r.has("command")) {
            return null;
        }
        String p = path + ".command";
        JsonObject c = object(r.get("command"), p);
        keys(c, p, "actuator", "on_fire", "on_resolve", "value");
        String actuator = string(c, p, "actuator", null);
        if (!actuators.containsKey(actuator)) {
            throw error(p + ".actuator", "'" + actuator + "' is not configured under actuators (its interlocks);"
                    + " configured: " + String.join(", ", new TreeSet<>(actuators.keySet())));
        }
        return new Rule.CommandAction(actuator, string(c, p, "on_fire", null), c.has("on_resolve")
                ? string(c, p, "on_resolve", null) : null, string(c, p, "value", ""));
    }

    /** Sensors by concrete name or base name (one per room), optionally limited to rooms; "all" where allowed. */
    private List<Rule.Target> sensors(JsonObject r, String path, String key, boolean allAllowed) {
        Set<String> roomFilter = null;
        if (r.has("rooms")) {
            roomFilter = new LinkedHashSet<>(strings(r.get("rooms"), path + ".rooms"));
            Set<String> known = new TreeSet<>();
            profile.rooms().forEach(x -> known.add(x.name()));
            for (String x : roomFilter) {
                if (!known.contains(x)) {
                    throw error(path + ".rooms", "no room '" + x + "' in the facility profile; rooms: " + String.join(", ", known));
                }
            }
        }
        if (!r.has(key)) {
            if (allAllowed) {
                return allSensors(roomFilter);
            }
            throw error(path + "." + key, "missing: a sensor name (co2_v) or a base name for every room (vpd)");
        }
        List<String> names = r.get(key).isJsonArray() ? strings(r.get(key), path + "." + key)
                : List.of(string(r, path, key, null));
        if (allAllowed && names.equals(List.of("all"))) {
            return allSensors(roomFilter);
        }
        List<Rule.Target> out = new ArrayList<>();
        for (String n : names) {
            out.addAll(resolve(n, roomFilter, path + "." + key));
        }
        return out;
    }

    private List<Rule.Target> allSensors(Set<String> roomFilter) {
        List<Rule.Target> out = new ArrayList<>();
        for (SensorSpec s : profile.sensors()) {
            if (roomFilter == null || roomFilter.contains(s.room())) {
                out.add(new Rule.Target(s.name(), s.name(), nodeOf(s.room()), s.room()));
            }
        }
        return out;
    }

    private List<Rule.Target> resolve(String name, Set<String> roomFilter, String path) {
        var exact = profile.sensor(name);
        if (exact.isPresent()) {
            SensorSpec s = exact.get();
            if (roomFilter != null && !roomFilter.contains(s.room())) {
                throw error(path, "sensor '" + name + "' is in room " + s.room() + ", not in " + roomFilter);
            }
            return List.of(new Rule.Target(s.name(), s.name(), nodeOf(s.room()), s.room()));
        }
        List<Rule.Target> out = new ArrayList<>();
        for (Room room : profile.rooms()) {
            if (roomFilter != null && !roomFilter.contains(room.name())) {
                continue;
            }
            var s = profile.sensor(name + room.suffix());
            if (s.isPresent() && room.name().equals(s.get().room())) {
                out.add(new Rule.Target(room.name(), s.get().name(), room.nodeId(), room.name()));
            }
        }
        if (out.isEmpty()) {
            Set<String> known = new TreeSet<>();
            profile.sensors().forEach(s -> known.add(s.name()));
            throw error(path, "'" + name + "' is neither a sensor nor a base name of a sensor in "
                    + (roomFilter == null ? "any room" : "rooms " + roomFilter) + "; sensors: " + String.join(", ", known));
        }
        return out;
    }

    private Integer nodeOf(String room) {
        for (Room r : profile.rooms()) {
            if (r.name().equals(room)) {
                return r.nodeId();
            }
        }
        return null;
    }

    private List<Rule.Target> nodes(JsonObject r, String path) {
        List<Rule.Target> out = new ArrayList<>();
        boolean all = !r.has("nodes") || r.get("nodes").isJsonPrimitive() && "all".equals(r.get("nodes").getAsString());
        Set<Integer> wanted = new HashSet<>();
        if (!all) {
            JsonArray a = array(r.get("nodes"), path + ".nodes");
            for (int i = 0; i < a.size(); i++) {
                JsonElement x = a.get(i);
                if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                    throw error(path + ".nodes[" + i + "]", "must be a node number, was " + x);
                }
                wanted.add(x.getAsInt());
            }
        }
        for (Room room : profile.rooms()) {
            if (all || wanted.remove(room.nodeId())) {
                out.add(new Rule.Target(room.name(), null, room.nodeId(), room.name()));
            }
        }
        if (!wanted.isEmpty()) {
            throw error(path + ".nodes", "no node " + wanted + " in the facility profile");
        }
        return out;
    }

    private AutomationConfig.Notifier notifier(JsonElement e, String path) {
        JsonObject n = object(e, path);
        String type = string(n, path, "type", null);
        String name = string(n, path, "name", type);
        if (!name.matches("[a-z0-9_-]{1,32}")) {
            throw error(path + ".name", "'" + name + "' must be 1..32 of [a-z0-9_-]");
        }
        List<String> common = List.of("name", "type", "on", "min_severity", "rate_per_minute", "retry_max_s", "timeout_s",
                "give_up_after_h");
        Set<String> transitions = n.has("on") ? new LinkedHashSet<>(strings(n.get("on"), path + ".on")) : NOTIFY_DEFAULT;
        for (String t : transitions) {
            if (!AlertEvents.TRANSITIONS.contains(t) || "pending".equals(t)) {
                throw error(path + ".on", "'" + t + "' must be one of firing, resolved, reminder, acknowledged");
            }
        }
        String minSeverity = string(n, path, "min_severity", "info");
        if (!Alert.SEVERITIES.contains(minSeverity)) {
            throw error(path + ".min_severity", "'" + minSeverity + "' must be info, warning or critical");
        }
        int rate = (int) number(n, path, "rate_per_minute", 20, 1, 600);
        Duration retryMax = seconds(n, path, "retry_max_s", 60, 1, 3600);
        Duration timeout = seconds(n, path, "timeout_s", 10, 1, 120);
        Duration giveUp = seconds(n, path, "give_up_after_h", 24, 0.01, 24 * 30, 3600);
        AutomationConfig.Webhook webhook = null;
        AutomationConfig.Smtp smtp = null;
        AutomationConfig.Command command = null;
        List<String> allowed = new ArrayList<>(common);
        switch (type) {
            case "webhook" -> {
                allowed.addAll(List.of("url", "url_env", "headers_env", "topic"));
                keys(n, path, allowed.toArray(String[]::new));
                webhook = webhook(n, path);
            }
            case "smtp" -> {
                allowed.addAll(List.of("host", "port", "tls", "from", "to", "user_env", "password_env", "trust_store",
                        "trust_store_password_env"));
                keys(n, path, allowed.toArray(String[]::new));
                smtp = smtp(n, path);
            }
            case "command" -> {
                allowed.add("argv");
                keys(n, path, allowed.toArray(String[]::new));
                List<String> argv = strings(n.get("argv"), path + ".argv");
                if (argv.isEmpty()) {
                    throw error(path + ".argv", "must name a program");
                }
                if (argv.get(0).startsWith("bin/")) {
                    // bin/... is the install's (or checkout's): beside etc/, where this file lives
                    List<String> abs = new ArrayList<>(argv);
                    Path root = file.toAbsolutePath().getParent().getParent();
                    abs.set(0, (root == null ? Path.of(argv.get(0)) : root.resolve(argv.get(0))).toString());
                    argv = abs;
                }
                command = new AutomationConfig.Command(argv);
            }
            default -> throw error(path + ".type", "'" + type + "' must be webhook, smtp or command");
        }
        return new AutomationConfig.Notifier(name, type, transitions, minSeverity, rate, retryMax, timeout, giveUp, webhook,
                smtp, command);
    }

    private AutomationConfig.Webhook webhook(JsonObject n, String path) {
        String url = n.has("url") ? string(n, path, "url", null) : null;
        String urlEnv = n.has("url_env") ? string(n, path, "url_env", null) : null;
        if ((url == null) == (urlEnv == null)) {
            throw error(path + ".url", "give exactly one of url and url_env (a URL with a token belongs in the environment)");
        }
        if (url != null && !url.matches("https?://.+")) {
            throw error(path + ".url", "'" + url + "' must be an http:// or https:// URL");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (n.has("headers_env")) {
            JsonObject h = object(n.get("headers_env"), path + ".headers_env");
            for (String k : h.keySet()) {
                headers.put(k, string(h, path + ".headers_env", k, null));
            }
        }
        return new AutomationConfig.Webhook(url, urlEnv, headers, n.has("topic") ? string(n, path, "topic", null) : null);
    }

    private AutomationConfig.Smtp smtp(JsonObject n, String path) {
        String tls = string(n, path, "tls", "starttls");
        if (!List.of("starttls", "starttls_optional", "smtps", "none").contains(tls)) {
            throw error(path + ".tls", "'" + tls + "' must be starttls, starttls_optional, smtps or none");
        }
        List<String> to = n.get("to") != null && n.get("to").isJsonArray() ? strings(n.get("to"), path + ".to")
                : List.of(string(n, path, "to", null));
        for (String addr : to) {
            if (!addr.matches("[^@\\s]+@[^@\\s]+")) {
                throw error(path + ".to", "'" + addr + "' is not an e-mail address");
            }
        }
        String from = string(n, path, "from", null);
        if (!from.matches("[^@\\s]+@[^@\\s]+")) {
            throw error(path + ".from", "'" + from + "' is not an e-mail address");
        }
        String ts = n.has("trust_store") ? string(n, path, "trust_store", null) : null;
        return new AutomationConfig.Smtp(string(n, path, "host", null),
                (int) number(n, path, "port", "smtps".equals(tls) ? 465 : 587, 1, 65535), tls, from, to,
                n.has("user_env") ? string(n, path, "user_env", null) : null,
                n.has("password_env") ? string(n, path, "password_env", null) : null, ts == null ? null : Path.of(ts),
                n.has("trust_store_password_env") ? string(n, path, "trust_store_password_env", null) : null);
    }

    // ---- JSON helpers: every failure names the path ----

    private JsonObject object(JsonElement e, String path) {
        if (e == null || !e.isJsonObject()) {
            throw error(path, "must be a JSON object, was " + describe(e));
        }
        return e.getAsJsonObject();
    }

    private JsonArray array(JsonElement e, String path) {
        if (e == null || !e.isJsonArray()) {
            throw error(path, "must be a JSON array, was " + describe(e));
        }
        return e.getAsJsonArray();
    }

    private void keys(JsonObject o, String path, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (String k : o.keySet()) {
            if (!k.startsWith("_") && !ok.contains(k)) {
                throw error(path.equals("$") ? k : path + "." + k, "unknown key; allowed here: "
                        + String.join(", ", new TreeSet<>(ok)));
            }
        }
    }

    private String string(JsonObject o, String path, String key, String def) {
        JsonElement e = o.get(key);
        String p = path.equals("$") ? key : path + "." + key;
        if (e == null || e.isJsonNull()) {
            if (def == null) {
                throw error(p, "missing (a string)");
            }
            return def;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isBlank()) {
            throw error(p, "must be a non-empty string, was " + describe(e));
        }
        return e.getAsString();
    }

    private List<String> strings(JsonElement e, String path) {
        if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return List.of(e.getAsString());
        }
        JsonArray a = array(e, path);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonElement x = a.get(i);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString() || x.getAsString().isBlank()) {
                throw error(path + "[" + i + "]", "must be a non-empty string, was " + describe(x));
            }
            out.add(x.getAsString());
        }
        return out;
    }

    private double number(JsonObject o, String path, String key, double def, double min, double max) {
        JsonElement e = o.get(key);
        String p = path.equals("$") ? key : path + "." + key;
        if (e == null) {
            return def;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw error(p, "must be a number " + min + ".." + max + ", was " + describe(e));
        }
        double v = e.getAsDouble();
        if (!(v >= min && v <= max)) {
            throw error(p, "must be " + min + ".." + max + ", was " + v);
        }
        return v;
    }

    private Duration seconds(JsonObject o, String path, String key, double def, double min, double max) {
        return seconds(o, path, key, def, min, max, 1);
    }

    private Duration seconds(JsonObject o, String path, String key, double def, double min, double max, double unitSeconds) {
        double v = number(o, path, key, def, min, max);
        return Duration.ofMillis(Math.round(v * unitSeconds * 1000));
    }

    private LocalTime time(JsonObject o, String path, String key) {
        String s = string(o, path, key, null);
        try {
            return LocalTime.parse(s);
        } catch (DateTimeParseException e) {
            throw error(path + "." + key, "'" + s + "' must be a local time HH:MM");
        }
    }

    private static String describe(JsonElement e) {
        if (e == null) {
            return "missing";
        }
        String s = e.toString();
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    static boolean isString(JsonElement e) {
        return e instanceof JsonPrimitive p && p.isString();
    }
}
