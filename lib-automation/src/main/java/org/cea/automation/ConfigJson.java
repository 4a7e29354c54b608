package org.cea.automation;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The typed JSON reads of {@code automation.json}: every failure is an {@link AutomationConfigException}
 * naming the file, the JSON path ({@code $} is the root) and what is allowed there.
 */
final class ConfigJson {
    private final Path file;

    ConfigJson(Path file) {
        this.file = file;
    }

    /** The file being read, as given (relative paths stay relative). */
    Path file() {
        return file;
    }

    AutomationConfigException error(String path, String what) {
        return new AutomationConfigException(file + ": " + path + ": " + what);
    }

    JsonObject object(JsonElement e, String path) {
        if (e == null || !e.isJsonObject()) {
            throw error(path, "must be a JSON object, was " + describe(e));
        }
        return e.getAsJsonObject();
    }

    JsonArray array(JsonElement e, String path) {
        if (e == null || !e.isJsonArray()) {
            throw error(path, "must be a JSON array, was " + describe(e));
        }
        return e.getAsJsonArray();
    }

    /** Unknown keys are errors (a typo never silently disables a rule); keys starting with {@code _} are comments. */
    void keys(JsonObject o, String path, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (String k : o.keySet()) {
            if (!k.startsWith("_") && !ok.contains(k)) {
                throw error(path.equals("$") ? k : path + "." + k, "unknown key; allowed here: "
                        + String.join(", ", new TreeSet<>(ok)));
            }
        }
    }

    /** A non-blank string; {@code def == null} makes the key required. */
    String string(JsonObject o, String path, String key, String def) {
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

    /** One string, or an array of non-blank strings. */
    List<String> strings(JsonElement e, String path) {
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

    /** A number in {@code min..max} (inclusive), {@code def} when the key is absent. */
    double number(JsonObject o, String path, String key, double def, double min, double max) {
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

    /** A number of seconds in {@code min..max}, to the millisecond. */
    Duration seconds(JsonObject o, String path, String key, double def, double min, double max) {
        return seconds(o, path, key, def, min, max, 1);
    }

    /** A number of units of {@code unitSeconds} each (3600 for hours), bounds in those units. */
    Duration seconds(JsonObject o, String path, String key, double def, double min, double max, double unitSeconds) {
        double v = number(o, path, key, def, min, max);
        return Duration.ofMillis(Math.round(v * unitSeconds * 1000));
    }

    /** A required local time {@code HH:MM}. */
    LocalTime time(JsonObject o, String path, String key) {
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
}
