package org.cea.tsdb;

/**
 * One calibrated, valid sensor reading for {@code sensor_readings}. Identity is {@code (sensor, time)}:
 * writing the same pair twice keeps the first value.
 *
 * @param timeMicros reading time, microseconds since the Unix epoch, 0..253402300799999999 (years 1970..9999)
 * @param sensor     database sensor name ({@code dry_bulb_b}, {@code co2_v}, ...), 1..64 characters,
 *                   no control characters
 * @param value      the value in the sensor's unit; finite (no NaN or infinity)
 */
public record ReadingRow(long timeMicros, String sensor, double value) implements BulkLoader.Reading {
    /** Longest accepted sensor name, in characters. */
    public static final int MAX_SENSOR_LENGTH = 64;

    /**
     * Validates every field.
     *
     * @throws BadDataException naming the reading, the field, the value and the limit
     */
    public ReadingRow {
        if (sensor == null || sensor.isEmpty()) {
            throw new BadDataException("reading at " + timeMicros + " us: sensor name must not be "
                    + (sensor == null ? "null" : "empty"));
        }
        if (sensor.length() > MAX_SENSOR_LENGTH) {
            throw new BadDataException("reading " + sensor.substring(0, 16) + "... at " + timeMicros
                    + " us: sensor name must be at most " + MAX_SENSOR_LENGTH + " characters, was " + sensor.length());
        }
        for (int i = 0; i < sensor.length(); i++) {
            if (Character.isISOControl(sensor.charAt(i))) {
                throw new BadDataException("reading at " + timeMicros + " us: sensor name must not contain control "
                        + "characters, had U+" + String.format("%04X", (int) sensor.charAt(i)) + " at index " + i);
            }
        }
        if (timeMicros < 0 || timeMicros > Times.MAX_MICROS) {
            throw new BadDataException("reading " + sensor + ": timeMicros must be 0.." + Times.MAX_MICROS
                    + " (1970..9999), was " + timeMicros);
        }
        if (!Double.isFinite(value)) {
            throw new BadDataException("reading " + sensor + " at " + timeMicros + " us: value must be finite, was " + value);
        }
    }
}
