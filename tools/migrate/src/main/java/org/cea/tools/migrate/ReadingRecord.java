package org.cea.tools.migrate;

import org.cea.tsdb.BulkLoader;

/**
 * One row for {@code sensor_readings}, derived from a migrated message by the facility profile.
 *
 * @param timeMicros epoch microseconds of the message
 * @param sensor     sensor name (DESIGN.md names), not blank
 * @param value      calibrated, valid value
 */
public record ReadingRecord(long timeMicros, String sensor, double value) implements BulkLoader.Reading {

    /** Checks the name and the value. */
    public ReadingRecord {
        if (sensor == null || sensor.isBlank()) {
            throw new IllegalArgumentException("sensor must not be blank");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value of " + sensor + " must be finite, was " + value);
        }
    }
}
