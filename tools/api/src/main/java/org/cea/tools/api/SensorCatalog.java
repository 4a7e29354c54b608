package org.cea.tools.api;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sensors and message types the API knows, in profile order. Query parameters are checked
 * against it, so unknown names are answered with 404/400 before any backend is asked.
 */
final class SensorCatalog {
    private final Map<String, SensorInfo> sensors;
    private final Set<String> messageTypes;
    private final ZoneId zone;
    private final Map<String, Lights> lights;
    private final Map<String, Integer> nodes;

    /**
     * A room's lights, local time of {@link #zone()}.
     *
     * @param on  lights-on
     * @param off lights-off (before {@code on}: lights on over midnight)
     */
    record Lights(LocalTime on, LocalTime off) {
        /** True when the lights are on at local time {@code t}. */
        boolean day(LocalTime t) {
            return on.isBefore(off) ? !t.isBefore(on) && t.isBefore(off) : !t.isBefore(on) || t.isBefore(off);
        }
    }

    /**
     * The band a sensor should be in at one moment: the intersection of the band rules that apply
     * then, or the valid range when none does.
     *
     * @param min    lower limit, or null for none
     * @param max    upper limit, or null for none
     * @param source {@code rule} or {@code valid_range}
     * @param rules  names of the rules that apply (empty for the valid range)
     */
    record CurrentBand(Double min, Double max, String source, List<String> rules) {
        /** True when {@code v} is within the band (limits inclusive). */
        boolean contains(double v) {
            return (min == null || v >= min) && (max == null || v <= max);
        }
    }

    /** Without a zone or lights (tests): the system zone, no day/night schedule. */
    SensorCatalog(List<SensorInfo> sensors, Set<String> messageTypes) {
        this(sensors, messageTypes, ZoneId.systemDefault(), Map.of(), Map.of());
    }

    /**
     * @param sensors      sensors in display order; names must be unique
     * @param messageTypes DBC message names (e.g. {@code PT100}); empty means "accept any well-formed name"
     * @param zone         the facility's local time zone (plain dates in parameters, day and night)
     * @param lights       lights schedule per room name; rooms without one have no day/night
     * @param nodes        CAN node address per room name
     * @throws IllegalArgumentException on a duplicate sensor name
     */
    SensorCatalog(List<SensorInfo> sensors, Set<String> messageTypes, ZoneId zone, Map<String, Lights> lights,
                  Map<String, Integer> nodes) {
        Map<String, SensorInfo> m = new LinkedHashMap<>();
        for (SensorInfo s : sensors) {
            if (m.put(s.name(), s) != null) {
                throw new IllegalArgumentException("duplicate sensor name in the facility profile: " + s.name());
            }
        }
        this.sensors = Collections.unmodifiableMap(m);
        this.messageTypes = Collections.unmodifiableSet(new TreeSet<>(messageTypes));
        this.zone = zone;
        this.lights = Map.copyOf(lights);
        this.nodes = Map.copyOf(nodes);
    }

    /** The CAN node serving a room, if known. */
    Optional<Integer> node(String room) {
        return Optional.ofNullable(nodes.get(room));
    }

    /** The facility's local time zone. */
    ZoneId zone() {
        return zone;
    }

    /** A room's lights schedule, if it has one. */
    Optional<Lights> lights(String room) {
        return Optional.ofNullable(lights.get(room));
    }

    /** The band {@code s} should be in at {@code t}: applicable band rules intersected, else its valid range. */
    CurrentBand band(SensorInfo s, Instant t) {
        Double min = null;
        Double max = null;
        List<String> rules = new ArrayList<>();
        Lights l = lights.get(s.room());
        Boolean day = l == null ? null : l.day(LocalTime.ofInstant(t, zone));
        for (SensorInfo.Band b : s.bands()) {
            boolean applies = switch (b.schedule()) {
                case "day" -> Boolean.TRUE.equals(day);
                case "night" -> Boolean.FALSE.equals(day);
                default -> true;
            };
            if (!applies) {
                continue;
            }
            rules.add(b.rule());
            if (b.min() != null) {
                min = min == null ? b.min() : Math.max(min, b.min());
            }
            if (b.max() != null) {
                max = max == null ? b.max() : Math.min(max, b.max());
            }
        }
        if (rules.isEmpty()) {
            return new CurrentBand(finite(s.validMin()), finite(s.validMax()), "valid_range", List.of());
        }
        return new CurrentBand(min, max, "rule", List.copyOf(rules));
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    /** All sensors, in profile order. */
    List<SensorInfo> sensors() {
        return List.copyOf(sensors.values());
    }

    /** Sensor names, in profile order. */
    List<String> names() {
        return new ArrayList<>(sensors.keySet());
    }

    /** One sensor by exact name. */
    Optional<SensorInfo> sensor(String name) {
        return Optional.ofNullable(sensors.get(name));
    }

    /** Known message type names, sorted; empty when the profile has none. */
    Set<String> messageTypes() {
        return messageTypes;
    }
}
