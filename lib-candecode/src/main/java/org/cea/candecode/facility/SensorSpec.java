package org.cea.candecode.facility;

/**
 * One concrete sensor of the facility, e.g. {@code dry_bulb_b}.
 *
 * @param name   sensor name as stored and published (base name + room suffix), non-empty
 * @param unit   unit of the calibrated value, e.g. {@code °C}, {@code hPa}, {@code ppm}, {@code %}, {@code kPa}
 * @param min    lowest valid calibrated value (inclusive)
 * @param max    highest valid calibrated value (inclusive), &gt;= min
 * @param gain   calibration gain: value = gain · decoded + offset (1 when uncalibrated), finite, non-zero
 * @param offset calibration offset in {@code unit} (0 when uncalibrated), finite
 * @param room   room name the sensor belongs to, e.g. {@code flower_back}
 */
public record SensorSpec(String name, String unit, double min, double max, double gain, double offset, String room) {

    /** Validates the fields; messages name the field and the limit. */
    public SensorSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("name must be non-empty");
        }
        if (unit == null) {
            throw new IllegalArgumentException("sensor " + name + ": unit must not be null");
        }
        if (!(min <= max)) {
            throw new IllegalArgumentException("sensor " + name + ": min must be <= max, was " + min + " > " + max);
        }
        if (!Double.isFinite(gain) || gain == 0) {
            throw new IllegalArgumentException("sensor " + name + ": gain must be finite and non-zero, was " + gain);
        }
        if (!Double.isFinite(offset)) {
            throw new IllegalArgumentException("sensor " + name + ": offset must be finite, was " + offset);
        }
        if (room == null || room.isEmpty()) {
            throw new IllegalArgumentException("sensor " + name + ": room must be non-empty");
        }
    }

    /** The calibrated value of a decoded value: {@code gain · decoded + offset}. */
    public double calibrate(double decoded) {
        return gain * decoded + offset;
    }

    /** True when the value is a number within [min, max]. */
    public boolean inRange(double value) {
        return value >= min && value <= max;
    }
}
