package org.cea.automation;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.candecode.facility.Room;
import org.cea.candecode.facility.SensorSpec;

/**
 * Turns a rule's {@code sensor}/{@code sensors}, {@code rooms} and {@code nodes} keys into
 * {@link Rule.Target}s of the facility profile: a concrete sensor name, a base name (one sensor per
 * room), or {@code "all"} where the rule kind allows it.
 */
final class TargetResolver {
    private final ConfigJson json;
    private final FacilityProfile profile;

    TargetResolver(ConfigJson json, FacilityProfile profile) {
        this.json = json;
        this.profile = profile;
    }

    /** The profile's room names, sorted (for error messages). */
    Set<String> roomNames() {
        Set<String> known = new TreeSet<>();
        profile.rooms().forEach(r -> known.add(r.name()));
        return known;
    }

    /** Sensors by concrete name or base name (one per room), optionally limited to rooms; "all" where allowed. */
    List<Rule.Target> sensors(JsonObject r, String path, String key, boolean allAllowed) {
        Set<String> roomFilter = r.has("rooms") ? roomFilter(r, path) : null;
        if (!r.has(key)) {
            if (allAllowed) {
                return allSensors(roomFilter);
            }
            throw json.error(path + "." + key, "missing: a sensor name (co2_v) or a base name for every room (vpd)");
        }
        List<String> names = r.get(key).isJsonArray() ? json.strings(r.get(key), path + "." + key)
                : List.of(json.string(r, path, key, null));
        if (allAllowed && names.equals(List.of("all"))) {
            return allSensors(roomFilter);
        }
        List<Rule.Target> out = new ArrayList<>();
        for (String n : names) {
            out.addAll(resolve(n, roomFilter, path + "." + key));
        }
        return out;
    }

    private Set<String> roomFilter(JsonObject r, String path) {
        Set<String> roomFilter = new LinkedHashSet<>(json.strings(r.get("rooms"), path + ".rooms"));
        Set<String> known = roomNames();
        for (String x : roomFilter) {
            if (!known.contains(x)) {
                throw json.error(path + ".rooms", "no room '" + x + "' in the facility profile; rooms: "
                        + String.join(", ", known));
            }
        }
        return roomFilter;
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
                throw json.error(path, "sensor '" + name + "' is in room " + s.room() + ", not in " + roomFilter);
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
            throw json.error(path, "'" + name + "' is neither a sensor nor a base name of a sensor in "
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

    /** A silent_node rule's {@code nodes}: absent or {@code "all"} for every room's node, else node numbers. */
    List<Rule.Target> nodes(JsonObject r, String path) {
        List<Rule.Target> out = new ArrayList<>();
        boolean all = !r.has("nodes") || r.get("nodes").isJsonPrimitive() && "all".equals(r.get("nodes").getAsString());
        Set<Integer> wanted = new HashSet<>();
        if (!all) {
            JsonArray a = json.array(r.get("nodes"), path + ".nodes");
            for (int i = 0; i < a.size(); i++) {
                JsonElement x = a.get(i);
                if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                    throw json.error(path + ".nodes[" + i + "]", "must be a node number, was " + x);
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
            throw json.error(path + ".nodes", "no node " + wanted + " in the facility profile");
        }
        return out;
    }
}
