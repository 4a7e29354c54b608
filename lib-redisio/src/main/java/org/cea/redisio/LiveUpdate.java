package org.cea.redisio;

/**
 * A reading to publish as live state, and the message on {@link LiveKeys#CHANNEL}.
 *
 * @param sensor   sensor name (the database name, e.g. {@code co2_v}), not blank, no spaces
 * @param value    calibrated value, finite
 * @param unit     unit text, e.g. {@code ppm}; may be empty, not null
 * @param tsMillis Unix milliseconds when the reading was taken, &gt;= 0
 */
public record LiveUpdate(String sensor, double value, String unit, long tsMillis) {
    /** Validates. */
    public LiveUpdate {
        if (sensor == null || sensor.isBlank() || sensor.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("sensor must be a non-empty name without spaces, was '" + sensor + "'");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value of " + sensor + " must be finite, was " + value);
        }
        if (unit == null) {
            throw new IllegalArgumentException("unit of " + sensor + " must not be null");
        }
        if (tsMillis < 0) {
            throw new IllegalArgumentException("tsMillis of " + sensor + " must be >= 0, was " + tsMillis);
        }
    }
}
