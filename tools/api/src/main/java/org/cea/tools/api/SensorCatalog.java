package org.cea.tools.api;

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

    /**
     * @param sensors      sensors in display order; names must be unique
     * @param messageTypes DBC message names (e.g. {@code PT100}); empty means "accept any well-formed name"
     * @throws IllegalArgumentException on a duplicate sensor name
     */
    SensorCatalog(List<SensorInfo> sensors, Set<String> messageTypes) {
        Map<String, SensorInfo> m = new LinkedHashMap<>();
        for (SensorInfo s : sensors) {
            if (m.put(s.name(), s) != null) {
                throw new IllegalArgumentException("duplicate sensor name in the facility profile: " + s.name());
            }
        }
        this.sensors = Collections.unmodifiableMap(m);
        this.messageTypes = Collections.unmodifiableSet(new TreeSet<>(messageTypes));
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
