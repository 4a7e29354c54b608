package org.cea.redisio;

/**
 * A live sensor value as read back from Redis.
 *
 * @param sensor   sensor name, not blank
 * @param value    the value, finite
 * @param tsMillis Unix milliseconds when the reading was taken, &gt;= 0
 */
public record LiveValue(String sensor, double value, long tsMillis) {
    /** Validates. */
    public LiveValue {
        if (sensor == null || sensor.isBlank()) {
            throw new IllegalArgumentException("sensor must not be blank");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value of " + sensor + " must be finite, was " + value);
        }
        if (tsMillis < 0) {
            throw new IllegalArgumentException("tsMillis of " + sensor + " must be >= 0, was " + tsMillis);
        }
    }
}
