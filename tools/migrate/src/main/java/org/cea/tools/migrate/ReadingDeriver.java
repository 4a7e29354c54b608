package org.cea.tools.migrate;

import java.util.List;

/**
 * Derives {@code sensor_readings} rows from migrated messages, in id order. Stateful (derived
 * sensors use the room's latest pressure), so one instance per migration run.
 */
public interface ReadingDeriver {
    /** Derives nothing: {@code --no-readings}. */
    ReadingDeriver NONE = m -> List.of();

    /**
     * @param message a migrated message
     * @return the valid readings it carries (possibly none)
     */
    List<ReadingRecord> readings(MessageRecord message);
}
