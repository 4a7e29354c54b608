package org.cea.automation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.cea.redisio.Alert;

/**
 * Reads one entry of {@code rules}: the keys every kind shares, then the kind's own (band, stale,
 * silent_node, faulted/out_of_range, pipeline), checked against the rooms' light schedules and the
 * configured actuators.
 */
final class RuleParser {
    private final ConfigJson json;
    private final TargetResolver targets;
    private final Map<String, AutomationConfig.Lights> rooms;
    private final Map<String, AutomationConfig.Actuator> actuators;

    /** The keys every rule kind shares. */
    private record Head(String name, String severity, Duration hold, Duration reminder) {
    }

    RuleParser(ConfigJson json, TargetResolver targets, Map<String, AutomationConfig.Lights> rooms,
               Map<String, AutomationConfig.Actuator> actuators) {
        this.json = json;
        this.targets = targets;
        this.rooms = rooms;
        this.actuators = actuators;
    }

    /** Parses {@code e}, found at JSON path {@code path}. */
    Rule rule(JsonElement e, String path) {
        JsonObject r = json.object(e, path);
        String kind = json.string(r, path, "kind", null);
        Head h = head(r, path);
        switch (kind) {
            case "band" -> {
                json.keys(r, path, "kind", "name", "severity", "for_s", "reminder_h", "sensor", "rooms", "min", "max",
                        "hysteresis", "schedule", "command");
                return band(r, path, h);
            }
            case "stale" -> {
                json.keys(r, path, "kind", "name", "severity", "for_s", "reminder_h", "sensors", "rooms", "after_s");
                return new Rule.Stale(h.name, h.severity, targets.sensors(r, path, "sensors", true),
                        json.seconds(r, path, "after_s", 30, 1, 86_400), h.hold, h.reminder);
            }
            case "silent_node" -> {
                json.keys(r, path, "kind", "name", "severity", "for_s", "reminder_h", "nodes", "after_s");
                return new Rule.SilentNode(h.name, h.severity, targets.nodes(r, path),
                        json.seconds(r, path, "after_s", 20, 1, 86_400), h.hold, h.reminder);
            }
            case "faulted", "out_of_range" -> {
                json.keys(r, path, "kind", "name", "severity", "for_s", "reminder_h", "sensors", "rooms");
                return new Rule.Problem(h.name, h.severity, kind, targets.sensors(r, path, "sensors", true), h.hold,
                        h.reminder);
            }
            case "pipeline" -> {
                json.keys(r, path, "kind", "name", "severity", "for_s", "reminder_h", "check", "max_entries", "max_s",
                        "after_s", "window_s", "fraction", "cap");
                return pipeline(r, path, h);
            }
            default -> throw json.error(path + ".kind", "'" + kind + "' must be one of band, stale, silent_node, faulted,"
                    + " out_of_range, pipeline");
        }
    }

    private Head head(JsonObject r, String path) {
        String name = json.string(r, path, "name", null);
        if (!name.matches("[a-z0-9_]{1,48}")) {
            throw json.error(path + ".name", "'" + name + "' must be 1..48 of [a-z0-9_]");
        }
        String severity = json.string(r, path, "severity", "warning");
        if (!Alert.SEVERITIES.contains(severity)) {
            throw json.error(path + ".severity", "'" + severity + "' must be one of info, warning, critical");
        }
        Duration hold = json.seconds(r, path, "for_s", 0, 0, 7 * 86_400);
        Duration reminder = json.seconds(r, path, "reminder_h", 0, 0, 24 * 30, 3600);
        return new Head(name, severity, hold, reminder);
    }

    private Rule band(JsonObject r, String path, Head head) {
        Double min = r.has("min") ? json.number(r, path, "min", 0, -1e9, 1e9) : null;
        Double max = r.has("max") ? json.number(r, path, "max", 0, -1e9, 1e9) : null;
        if (min == null && max == null) {
            throw json.error(path, "a band needs min, max or both");
        }
        if (min != null && max != null && !(min < max)) {
            throw json.error(path + ".min", "min " + min + " must be below max " + max);
        }
        double h = json.number(r, path, "hysteresis", 0, 0, 1e9);
        if (min != null && max != null && 2 * h >= max - min) {
            throw json.error(path + ".hysteresis", h + " must be below half the band (" + (max - min) / 2 + ")");
        }
        Rule.Schedule schedule = schedule(r, path);
        List<Rule.Target> ts = targets.sensors(r, path, "sensor", false);
        if (schedule != Rule.Schedule.ALWAYS) {
            for (Rule.Target t : ts) {
                if (t.room() == null || !rooms.containsKey(t.room())) {
                    throw json.error(path + ".schedule", "'" + schedule.name().toLowerCase() + "' needs lights_on/lights_off"
                            + " for room '" + t.room() + "' under rooms");
                }
            }
        }
        return new Rule.Band(head.name, head.severity, ts, min, max, h, schedule, head.hold, head.reminder,
                action(r, path));
    }

    private Rule pipeline(JsonObject r, String path, Head head) {
        String c = json.string(r, path, "check", null);
        Rule.Check check;
        try {
            check = Rule.Check.valueOf(c.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw json.error(path + ".check", "'" + c + "' must be one of redis_unreachable, worker_down, db_down,"
                    + " worker_lag, dead_letters, stream_near_cap");
        }
        long maxEntries = 0;
        Duration age = Duration.ZERO;
        double fraction = 0;
        long cap = 0;
        switch (check) {
            case WORKER_LAG -> {
                maxEntries = (long) json.number(r, path, "max_entries", 0, 0, 1e9);
                age = json.seconds(r, path, "max_s", 0, 0, 86_400);
                if (maxEntries == 0 && age.isZero()) {
                    throw json.error(path, "worker_lag needs max_entries, max_s or both");
                }
            }
            case WORKER_DOWN -> age = json.seconds(r, path, "after_s", 30, 1, 86_400);
            case DEAD_LETTERS -> age = json.seconds(r, path, "window_s", 600, 1, 7 * 86_400);
            case STREAM_NEAR_CAP -> {
                fraction = json.number(r, path, "fraction", 0.8, 0.01, 1);
                cap = (long) json.number(r, path, "cap", 1_000_000, 1000, 1e10);
            }
            default -> {
                // REDIS_UNREACHABLE and DB_DOWN take only for_s
            }
        }
        return new Rule.Pipeline(head.name, head.severity, check, maxEntries, age, fraction, cap, head.hold,
                head.reminder);
    }

    private Rule.Schedule schedule(JsonObject r, String path) {
        String s = json.string(r, path, "schedule", "always");
        return switch (s) {
            case "always" -> Rule.Schedule.ALWAYS;
            case "day" -> Rule.Schedule.DAY;
            case "night" -> Rule.Schedule.NIGHT;
            default -> throw json.error(path + ".schedule", "'" + s + "' must be always, day or night");
        };
    }

    private Rule.CommandAction action(JsonObject r, String path) {
        if (!r.has("command")) {
            return null;
        }
        String p = path + ".command";
        JsonObject c = json.object(r.get("command"), p);
        json.keys(c, p, "actuator", "on_fire", "on_resolve", "value");
        String actuator = json.string(c, p, "actuator", null);
        if (!actuators.containsKey(actuator)) {
            throw json.error(p + ".actuator", "'" + actuator + "' is not configured under actuators (its interlocks);"
                    + " configured: " + String.join(", ", new TreeSet<>(actuators.keySet())));
        }
        return new Rule.CommandAction(actuator, json.string(c, p, "on_fire", null), c.has("on_resolve")
                ? json.string(c, p, "on_resolve", null) : null, json.string(c, p, "value", ""));
    }
}
