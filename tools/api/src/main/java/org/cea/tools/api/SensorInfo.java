package org.cea.tools.api;

import java.util.Objects;

/**
 * A sensor as the API shows it: its database name, unit and room (from the facility profile).
 *
 * @param name database sensor name, e.g. {@code dry_bulb_b}
 * @param unit unit symbol, e.g. {@code °C}; may be empty
 * @param room room label, e.g. {@code flower_back}; may be empty
 */
record SensorInfo(String name, String unit, String room) {
    SensorInfo {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("sensor name must not be blank");
        }
        unit = unit == null ? "" : unit;
        room = room == null ? "" : room;
    }
}
