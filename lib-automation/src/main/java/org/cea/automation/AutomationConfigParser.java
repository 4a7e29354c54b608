package org.cea.automation;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.cea.candecode.facility.FacilityProfile;

/**
 * Reads {@code automation.json} against the facility profile. Every error is an
 * {@link AutomationConfigException} naming the file, the JSON path and what is allowed; unknown
 * keys are errors (a typo never silently disables a rule); keys starting with {@code _} are comments.
 * This class reads the top level (time zone, period, rooms, actuators); {@link RuleParser} and
 * {@link NotifierParser} read one rule and one notifier, {@link ConfigJson} the typed values.
 */
public final class AutomationConfigParser {
    private final ConfigJson json;
    private final TargetResolver targets;

    private AutomationConfigParser(Path file, FacilityProfile profile) {
        this.json = new ConfigJson(file);
        this.targets = new TargetResolver(json, profile);
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

    private AutomationConfig config(JsonElement root) {
        JsonObject o = json.object(root, "$");
        json.keys(o, "$", "time_zone", "evaluation_period_s", "rooms", "rules", "notifiers", "actuators");
        ZoneId zone = zone(o);
        Duration period = json.seconds(o, "$", "evaluation_period_s", 1, 0.1, 60);
        Map<String, AutomationConfig.Lights> rooms = rooms(o);
        Map<String, AutomationConfig.Actuator> actuators = actuators(o);
        RuleParser ruleParser = new RuleParser(json, targets, rooms, actuators);
        List<Rule> rules = named(o, "rules", "rule", ruleParser::rule, Rule::name);
        List<AutomationConfig.Notifier> notifiers = named(o, "notifiers", "notifier",
                new NotifierParser(json)::notifier, AutomationConfig.Notifier::name);
        return new AutomationConfig(json.file(), zone, period, rooms, rules, notifiers, actuators);
    }

    /** The optional array {@code key}, each element parsed; names must be unique within it. */
    private <T> List<T> named(JsonObject o, String key, String what, BiFunction<JsonElement, String, T> parse,
                              Function<T, String> nameOf) {
        List<T> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        JsonArray items = o.has(key) ? json.array(o.get(key), key) : new JsonArray();
        for (int i = 0; i < items.size(); i++) {
            T item = parse.apply(items.get(i), key + "[" + i + "]");
            String name = nameOf.apply(item);
            if (!names.add(name)) {
                throw json.error(key + "[" + i + "].name", "'" + name + "' is used by another " + what
                        + "; names must be unique");
            }
            out.add(item);
        }
        return out;
    }

    private ZoneId zone(JsonObject o) {
        if (!o.has("time_zone")) {
            return ZoneId.systemDefault();
        }
        String z = json.string(o, "$", "time_zone", null);
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            throw json.error("time_zone", "'" + z + "' is not a time zone; use a region id such as Europe/Amsterdam");
        }
    }

    private Map<String, AutomationConfig.Lights> rooms(JsonObject o) {
        Map<String, AutomationConfig.Lights> out = new LinkedHashMap<>();
        if (!o.has("rooms")) {
            return out;
        }
        JsonObject rooms = json.object(o.get("rooms"), "rooms");
        Set<String> known = targets.roomNames();
        for (String name : rooms.keySet()) {
            if (name.startsWith("_")) {
                continue;
            }
            String path = "rooms." + name;
            if (!known.contains(name)) {
                throw json.error(path, "no room '" + name + "' in the facility profile; rooms: " + String.join(", ", known));
            }
            JsonObject r = json.object(rooms.get(name), path);
            json.keys(r, path, "lights_on", "lights_off");
            out.put(name, new AutomationConfig.Lights(json.time(r, path, "lights_on"), json.time(r, path, "lights_off")));
        }
        return out;
    }

    private Map<String, AutomationConfig.Actuator> actuators(JsonObject o) {
        Map<String, AutomationConfig.Actuator> out = new LinkedHashMap<>();
        if (!o.has("actuators")) {
            return out;
        }
        JsonObject as = json.object(o.get("actuators"), "actuators");
        for (String name : as.keySet()) {
            if (name.startsWith("_")) {
                continue;
            }
            String path = "actuators." + name;
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw json.error(path, "actuator names are 1..64 of [A-Za-z0-9_.-]");
            }
            JsonObject a = json.object(as.get(name), path);
            json.keys(a, path, "min_on_s", "min_off_s", "max_per_minute", "expires_s");
            out.put(name, new AutomationConfig.Actuator(name, json.seconds(a, path, "min_on_s", 0, 0, 86_400),
                    json.seconds(a, path, "min_off_s", 0, 0, 86_400),
                    (int) json.number(a, path, "max_per_minute", 4, 1, 60),
                    json.seconds(a, path, "expires_s", 30, 1, 3600)));
        }
        return out;
    }
}
