package org.cea.candecode.facility;

/**
 * One calibrated (or derived) sensor value.
 *
 * @param sensor          sensor name, e.g. {@code rh_b}, non-empty
 * @param value           calibrated value in {@code unit}; for an invalid reading the value that
 *                        failed (may be NaN when it could not be computed)
 * @param unit            unit, e.g. {@code °C}
 * @param timestampMicros time of the frame the value came from, microseconds since the Unix epoch
 * @param valid           false for an out-of-range, faulted or physically impossible reading
 * @param problem         why the reading is invalid; null when valid
 */
public record SensorReading(String sensor, double value, String unit, long timestampMicros, boolean valid,
                            String problem) {

    /** Validates the fields. */
    public SensorReading {
        if (sensor == null || sensor.isEmpty()) {
            throw new IllegalArgumentException("sensor must be non-empty");
        }
        if (unit == null) {
            throw new IllegalArgumentException("sensor " + sensor + ": unit must not be null");
        }
        if (valid && problem != null) {
            throw new IllegalArgumentException("sensor " + sensor + ": a valid reading has no problem, was " + problem);
        }
        if (!valid && (problem == null || problem.isEmpty())) {
            throw new IllegalArgumentException("sensor " + sensor + ": an invalid reading needs a problem");
        }
        if (valid && !Double.isFinite(value)) {
            throw new IllegalArgumentException("sensor " + sensor + ": a valid reading must be finite, was " + value);
        }
    }

    /** Timestamp in Unix milliseconds. */
    public long timestampMillis() {
        return Math.floorDiv(timestampMicros, 1000);
    }
}
