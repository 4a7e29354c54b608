package org.cea.tsdb;

import java.util.HashSet;
import java.util.List;

/** Argument checks shared by the backends' exports. */
final class Exports {
    private Exports() {
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
