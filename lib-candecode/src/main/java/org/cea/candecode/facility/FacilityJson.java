package org.cea.candecode.facility;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cea.candecode.ConfigException;
import org.cea.candecode.dbc.Dbc;
import org.cea.candecode.dbc.DbcMessage;
import org.cea.candecode.dbc.DbcSignal;

/**
 * Reads facility.json against a DBC. Keys starting with {@code _} are comments and ignored;
 * any other unknown key is an error (a typo would otherwise silently drop a setting).
 */
final class FacilityJson {
    static final String DERIVED = "derived";
    private static final Set<String> TOP_KEYS = Set.of("a_psy", "station", "nodes", "sensor_map", "sensors",
            "calibration", "fault_bits");
    private static final Set<String> DERIVED_NAMES = Set.of("rh", "vpd");

    private final String file;
    private final Dbc dbc;
    private final Map<String, SensorSpec> sensors = new LinkedHashMap<>();
    private final Map<Integer, Room> rooms = new LinkedHashMap<>();
    private final Map<Integer, Map<String, List<FacilityProfile.Binding>>> bindings = new HashMap<>();
    private final Map<Integer, FacilityProfile.Derived> derived = new HashMap<>();
    private final Map<String, SensorDisplay> display = new LinkedHashMap<>();
    private final Map<String, String> roomLabels = new LinkedHashMap<>();

    private FacilityJson(String file, Dbc dbc) {
        this.file = file;
        this.dbc = dbc;
    }

    static FacilityProfile read(Path path, Dbc dbc) {
        FacilityJson r = new FacilityJson(path.toString(), dbc);
        JsonObject root = r.parse(path);
        return r.build(root);
    }

    private JsonObject parse(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file, "cannot read facility profile: " + e, e);
        }
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw new ConfigException(file, "top level: expected a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ConfigException(file, "not valid JSON: " + e.getMessage(), e);
        }
    }

    private FacilityProfile build(JsonObject root) {
        checkKeys(root, "", TOP_KEYS);
        checkDbcIds();
        double aPsy = number(root, "a_psy", "a_psy");
        if (!(aPsy > 0 && aPsy <= 0.01)) {
            throw fail("a_psy", aPsy + " is outside 0..0.01 1/°C (FAO-56: 0.000662 ventilated, 0.000800 naturally "
                    + "ventilated, 0.0012 non-ventilated indoors)");
        }
        double pressure = stationPressure(object(root, "station", "station"));
        JsonObject sensorDefs = object(root, "sensors", "sensors");
        JsonObject calibration = root.has("calibration") ? object(root, "calibration", "calibration") : new JsonObject();
        JsonObject maps = object(root, "sensor_map", "sensor_map");
        JsonObject nodes = object(root, "nodes", "nodes");
        for (Map.Entry<String, JsonElement> e : nodes.entrySet()) {
            if (!e.getKey().startsWith("_")) {
                room(e.getKey(), e.getValue(), maps, sensorDefs, calibration);
            }
        }
        for (String name : calibration.keySet()) {
            if (!name.startsWith("_") && !sensors.containsKey(name)) {
                throw fail("calibration." + name, "no such sensor (known: " + String.join(", ", sensors.keySet()) + ")");
            }
        }
        Map<String, List<FacilityProfile.FaultBit>> faults = root.has("fault_bits")
                ? faultBits(object(root, "fault_bits", "fault_bits")) : Map.of();
        return new FacilityProfile(dbc, aPsy, pressure, rooms, sensors, bindings, derived, faults, display, roomLabels);
    }

    private void checkDbcIds() {
        for (DbcMessage m : dbc.messages()) {
            if (m.extended() || m.id() > 0xFF) {
                throw new ConfigException(dbc.source(), "message " + m.name() + ": id 0x" + Integer.toHexString(m.id())
                        + " is not a facility type id 0x00..0xFF (frames are addressed as node << 8 | type)");
            }
        }
    }

    private double stationPressure(JsonObject station) {
        checkKeys(station, "station.", Set.of("elevation_m", "default_pressure_kpa"));
        boolean hasElevation = station.has("elevation_m");
        boolean hasPressure = station.has("default_pressure_kpa");
        if (hasElevation == hasPressure) {
            throw fail("station", "give exactly one of elevation_m (metres above sea level) or default_pressure_kpa");
        }
        if (hasElevation) {
            double z = number(station, "elevation_m", "station.elevation_m");
            if (z < -500 || z > 9000) {
                throw fail("station.elevation_m", z + " is outside -500..9000 m");
            }
            return Psychrometrics.pressureKpaAtElevation(z);
        }
        double p = number(station, "default_pressure_kpa", "station.default_pressure_kpa");
        if (p < 30 || p > 110) {
            throw fail("station.default_pressure_kpa", p + " is outside 30..110 kPa");
        }
        return p;
    }

    private void room(String key, JsonElement value, JsonObject maps, JsonObject sensorDefs, JsonObject calibration) {
        String path = "nodes." + key;
        int node;
        try {
            node = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw fail(path, "node key must be a node address 1..7, was \"" + key + "\"");
        }
        if (!value.isJsonObject()) {
            throw fail(path, "expected an object {\"room\", \"suffix\", \"kind\"}");
        }
        JsonObject o = value.getAsJsonObject();
        checkKeys(o, path + ".", Set.of("room", "suffix", "kind", "label"));
        Room room;
        try {
            room = new Room(node, string(o, "room", path + ".room"), string(o, "suffix", path + ".suffix"),
                    string(o, "kind", path + ".kind"));
        } catch (IllegalArgumentException e) {
            throw fail(path, e.getMessage());
        }
        rooms.put(node, room);
        roomLabels.put(room.name(), o.has("label") ? label(o, path + ".label") : room.name().replace('_', ' '));
        JsonObject map = object(maps, room.kind(), "sensor_map." + room.kind());
        Map<String, SensorSpec> bySource = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> m : map.entrySet()) {
            if (!m.getKey().startsWith("_")) {
                mapEntry(room, m.getKey(), m.getValue(), sensorDefs, calibration, bySource);
            }
        }
        derivedFor(room, bySource);
    }

    private void mapEntry(Room room, String base, JsonElement ref, JsonObject sensorDefs, JsonObject calibration,
                          Map<String, SensorSpec> byBase) {
        String path = "sensor_map." + room.kind() + "." + base;
        if (!ref.isJsonPrimitive() || !ref.getAsJsonPrimitive().isString()) {
            throw fail(path, "expected \"MESSAGE.signal\" or \"derived\"");
        }
        String source = ref.getAsString();
        SensorSpec spec = spec(room, base, sensorDefs, calibration);
        if (sensors.putIfAbsent(spec.name(), spec) != null) {
            throw fail(path, "sensor " + spec.name() + " is produced twice (check the room suffixes in nodes)");
        }
        byBase.put(base, spec);
        if (source.equals(DERIVED)) {
            if (!DERIVED_NAMES.contains(base)) {
                throw fail(path, "only rh and vpd can be derived, not " + base);
            }
            return;
        }
        int dot = source.indexOf('.');
        String message = dot > 0 ? source.substring(0, dot) : source;
        String signal = dot > 0 ? source.substring(dot + 1) : "";
        DbcSignal s = dbc.messageByName(message).flatMap(msg -> msg.signal(signal)).orElseThrow(() -> fail(path,
                "\"" + source + "\" is not a MESSAGE.signal of " + dbc.source()));
        bindings.computeIfAbsent(room.nodeId(), k -> new HashMap<>())
                .computeIfAbsent(message, k -> new ArrayList<>())
                .add(new FacilityProfile.Binding(message, s.name(), base, spec));
    }

    private SensorSpec spec(Room room, String base, JsonObject sensorDefs, JsonObject calibration) {
        String path = "sensors." + base;
        JsonObject def = object(sensorDefs, base, path);
        checkKeys(def, path + ".", Set.of("unit", "min", "max", "label", "precision"));
        String name = base + room.suffix();
        double gain = 1;
        double offset = 0;
        if (calibration.has(name)) {
            String cpath = "calibration." + name;
            if (!calibration.get(name).isJsonObject()) {
                throw fail(cpath, "expected an object {\"gain\", \"offset\"}");
            }
            JsonObject c = calibration.getAsJsonObject(name);
            checkKeys(c, cpath + ".", Set.of("gain", "offset"));
            gain = c.has("gain") ? number(c, "gain", cpath + ".gain") : 1;
            offset = c.has("offset") ? number(c, "offset", cpath + ".offset") : 0;
        }
        display.put(name, display(def, path, name));
        try {
            return new SensorSpec(name, string(def, "unit", path + ".unit"), number(def, "min", path + ".min"),
                    number(def, "max", path + ".max"), gain, offset, room.name());
        } catch (IllegalArgumentException e) {
            throw fail(path, e.getMessage());
        }
    }

    /** Optional {@code label} and {@code precision} of a sensor definition. */
    private SensorDisplay display(JsonObject def, String path, String name) {
        String label = def.has("label") ? label(def, path + ".label") : name;
        int precision = SensorDisplay.DEFAULT_PRECISION;
        if (def.has("precision")) {
            double p = number(def, "precision", path + ".precision");
            if (p != Math.rint(p) || p < 0 || p > SensorDisplay.MAX_PRECISION) {
                throw fail(path + ".precision", "decimals must be a whole number 0.." + SensorDisplay.MAX_PRECISION
                        + ", was " + def.get("precision"));
            }
            precision = (int) p;
        }
        return new SensorDisplay(label, precision);
    }

    private String label(JsonObject o, String path) {
        String s = string(o, path.substring(path.lastIndexOf('.') + 1), path);
        if (s.isBlank() || s.length() > 64) {
            throw fail(path, "a display name must be 1..64 characters, was \"" + s + "\"");
        }
        return s;
    }

    private void derivedFor(Room room, Map<String, SensorSpec> byBase) {
        SensorSpec rh = byBase.get("rh");
        SensorSpec vpd = byBase.get("vpd");
        if (rh == null && vpd == null) {
            return;
        }
        String path = "sensor_map." + room.kind();
        SensorSpec dry = byBase.get("dry_bulb");
        SensorSpec wet = byBase.get("wet_bulb");
        if (dry == null || wet == null) {
            throw fail(path, "derived rh/vpd need dry_bulb and wet_bulb in the same map");
        }
        if (vpd != null && rh == null) {
            throw fail(path + ".vpd", "vpd is derived from rh: map rh as derived too");
        }
        SensorSpec pressure = byBase.get("pressure");
        if (pressure != null) {
            pressureScale(pressure, "sensors.pressure.unit");
        }
        derived.put(room.nodeId(), new FacilityProfile.Derived(dry, wet, pressure, rh, vpd));
    }

    /** kPa per unit of the pressure sensor. */
    static double pressureScale(SensorSpec pressure) {
        return switch (pressure.unit()) {
            case "hPa", "mbar" -> 0.1;
            case "kPa" -> 1.0;
            case "Pa" -> 0.001;
            default -> Double.NaN;
        };
    }

    private void pressureScale(SensorSpec pressure, String path) {
        if (Double.isNaN(pressureScale(pressure))) {
            throw fail(path, "pressure unit must be hPa, mbar, kPa or Pa, was \"" + pressure.unit() + "\"");
        }
    }

    private Map<String, List<FacilityProfile.FaultBit>> faultBits(JsonObject o) {
        Map<String, List<FacilityProfile.FaultBit>> out = new HashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (e.getKey().startsWith("_")) {
                continue;
            }
            String path = "fault_bits." + e.getKey();
            String[] parts = e.getKey().split("\\.", 2);
            DbcMessage msg = dbc.messageByName(parts[0]).orElse(null);
            if (parts.length != 2 || msg == null || msg.signal(parts[1]).isEmpty()) {
                throw fail(path, "key must be a MESSAGE.status_signal of " + dbc.source());
            }
            if (!e.getValue().isJsonObject()) {
                throw fail(path, "expected an object {\"bit\": \"signal\"}");
            }
            for (Map.Entry<String, JsonElement> b : e.getValue().getAsJsonObject().entrySet()) {
                String bpath = path + "." + b.getKey();
                int bit = parseBit(b.getKey(), bpath);
                String target = b.getValue().isJsonPrimitive() ? b.getValue().getAsString() : "";
                if (msg.signal(target).isEmpty()) {
                    throw fail(bpath, "\"" + target + "\" is not a signal of " + msg.name());
                }
                out.computeIfAbsent(msg.name(), k -> new ArrayList<>()).add(new FacilityProfile.FaultBit(parts[1], bit, target));
            }
        }
        return out;
    }

    private int parseBit(String key, String path) {
        try {
            int bit = Integer.parseInt(key);
            if (bit >= 0 && bit <= 63) {
                return bit;
            }
        } catch (NumberFormatException e) {
            throw fail(path, "bit number must be 0..63, was \"" + key + "\"");
        }
        throw fail(path, "bit number must be 0..63, was " + key);
    }

    private void checkKeys(JsonObject o, String prefix, Set<String> allowed) {
        for (String k : o.keySet()) {
            if (!k.startsWith("_") && !allowed.contains(k)) {
                throw fail(prefix + k, "unknown key (allowed: " + String.join(", ", allowed.stream().sorted().toList())
                        + "; keys starting with _ are comments)");
            }
        }
    }

    private JsonObject object(JsonObject o, String key, String path) {
        JsonElement e = o.get(key);
        if (e == null) {
            throw fail(path, "missing");
        }
        if (!e.isJsonObject()) {
            throw fail(path, "expected an object, was " + e);
        }
        return e.getAsJsonObject();
    }

    private double number(JsonObject o, String key, String path) {
        JsonElement e = o.get(key);
        if (e == null) {
            throw fail(path, "missing");
        }
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
            throw fail(path, "expected a number, was " + e);
        }
        double d = e.getAsDouble();
        if (!Double.isFinite(d)) {
            throw fail(path, "expected a finite number, was " + e);
        }
        return d;
    }

    private String string(JsonObject o, String key, String path) {
        JsonElement e = o.get(key);
        if (e == null) {
            throw fail(path, "missing");
        }
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isString()) {
            throw fail(path, "expected a string, was " + e);
        }
        return e.getAsString();
    }

    private ConfigException fail(String key, String problem) {
        return new ConfigException(file, "key " + key + ": " + problem);
    }
}
