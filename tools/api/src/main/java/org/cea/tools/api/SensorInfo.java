package org.cea.tools.api;

import java.util.List;
import java.util.Objects;

/**
 * A sensor as the API shows it: its database name, unit and room (from the facility profile), how a
 * grower reads it (display name, room display name, decimals) and the bands it should stay in.
 *
 * @param name      database sensor name, e.g. {@code dry_bulb_b}
 * @param unit      unit symbol, e.g. {@code °C}; may be empty
 * @param room      room name, e.g. {@code flower_back}; may be empty
 * @param label     display name, e.g. {@code Dry bulb} (the name when none is configured)
 * @param roomLabel the room's display name, e.g. {@code Flower room, back}
 * @param precision decimals every value of this sensor is rounded to in JSON, 0..6
 * @param validMin  lowest valid value (facility.json {@code min})
 * @param validMax  highest valid value (facility.json {@code max})
 * @param bands     band rules of automation.json for this sensor, in file order; may be empty
 */
record SensorInfo(String name, String unit, String room, String label, String roomLabel, int precision,
                  double validMin, double validMax, List<Band> bands) {

    /**
     * One band rule for a sensor.
     *
     * @param rule     rule name in automation.json
     * @param min      lower limit or null
     * @param max      upper limit or null
     * @param schedule {@code always}, {@code day} or {@code night} (the room's lights)
     */
    record Band(String rule, Double min, Double max, String schedule) {
    }

    SensorInfo {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("sensor name must not be blank");
        }
        unit = unit == null ? "" : unit;
        room = room == null ? "" : room;
        label = label == null || label.isBlank() ? name : label;
        roomLabel = roomLabel == null || roomLabel.isBlank() ? room.replace('_', ' ') : roomLabel;
        if (precision < 0 || precision > 6) {
            throw new IllegalArgumentException("sensor " + name + ": precision must be 0..6, was " + precision);
        }
        bands = List.copyOf(bands);
    }

    /** A sensor with defaults: its name as label, 2 decimals, an unbounded valid range, no bands. */
    SensorInfo(String name, String unit, String room) {
        this(name, unit, room, null, null, 2, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, List.of());
    }

    /** {@code v} rounded half-up to {@link #precision} decimals; null stays null. */
    Double round(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return v;
        }
        return java.math.BigDecimal.valueOf(v).setScale(precision, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}
