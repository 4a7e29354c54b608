package org.cea.tsdb;

import java.util.HashSet;
import java.util.List;

/** Argument checks shared by the backends' exports. */
final class Exports {
    private Exports() {
    }

    /** The summary query of both backends: one row (count, min, avg, max, in band) per window. */
    static final String SUMMARY = "SELECT count(*), min(value), avg(value), max(value),"
            + " coalesce(sum(CASE WHEN value >= ? AND value <= ? THEN 1 ELSE 0 END), 0)"
            + " FROM sensor_readings WHERE sensor = ? AND time >= ? AND time < ?";
    /** Stands for "no lower limit" in {@link #SUMMARY} (every finite double is above it). */
    static final double NO_MIN = -Double.MAX_VALUE;
    /** Stands for "no upper limit". */
    static final double NO_MAX = Double.MAX_VALUE;

    /** Reads one {@link #SUMMARY} row. */
    static Summary summary(SummaryWindow w, java.sql.ResultSet rs) throws java.sql.SQLException {
        long n = rs.getLong(1);
        return new Summary(w, n, n == 0 ? null : rs.getDouble(2), n == 0 ? null : rs.getDouble(3),
                n == 0 ? null : rs.getDouble(4), rs.getLong(5));
    }

    /** A non-empty list of distinct, non-empty sensor names. */
    static void checkSensors(List<String> sensors) {
        if (sensors == null || sensors.isEmpty()) {
            throw new BadDataException("export: give at least one sensor");
        }
        if (new HashSet<>(sensors).size() != sensors.size()) {
            throw new BadDataException("export: sensors must be distinct, were " + sensors);
        }
        for (String s : sensors) {
            if (s == null || s.isEmpty()) {
                throw new BadDataException("export: sensor names must not be empty, were " + sensors);
            }
        }
    }
}
