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
 * @param kind            (additive) what kind of invalid reading this is; null when valid
 */
public record SensorReading(String sensor, double value, String unit, long timestampMicros, boolean valid,
                            String problem, Problem kind) {

    /** Why a reading is invalid, as a type (the {@code problem} text is for people). */
    public enum Problem {
        /** A status bit of the message reports the probe faulted (facility.json {@code fault_bits}). */
        FAULTED,
        /** The calibrated value lies outside the sensor's valid range. */
        OUT_OF_RANGE,
        /** Physically impossible derived value (wet bulb above dry bulb, RH outside 0..100). */
        IMPOSSIBLE
    }

    /** A reading without a typed problem kind: {@link Problem#IMPOSSIBLE} when invalid. */
    public SensorReading(String sensor, double value, String unit, long timestampMicros, boolean valid, String problem) {
        this(sensor, value, unit, timestampMicros, valid, problem, valid ? null : Problem.IMPOSSIBLE);
    }

    /** Validates the fields. */
    public SensorReading {
        if (valid != (kind == null)) {
            throw new IllegalArgumentException("sensor " + sensor + ": kind must be null exactly when valid, was " + kind);
        }
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
