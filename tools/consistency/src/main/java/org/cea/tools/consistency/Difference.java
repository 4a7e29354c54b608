package org.cea.tools.consistency;

import java.util.List;
import org.cea.tsdb.DigestRow;

/**
 * One CAN id in one closed minute whose rows differ between the two paths.
 *
 * @param minuteMicros       start of the minute, Unix µs
 * @param canId              the CAN id
 * @param legacyRows         rows in the legacy file, &gt;= 0
 * @param databaseRows       rows in the worker's database, &gt;= 0
 * @param listed             whether the rows were fetched and compared one by one (only the first
 *                           differences of a run are, see {@code --detail})
 * @param onlyLegacy         the first rows present in the legacy file only, in canonical order
 * @param onlyLegacyTotal    how many rows are in the legacy file only (0 when not listed)
 * @param onlyDatabase       the first rows present in the worker's database only
 * @param onlyDatabaseTotal  how many rows are in the database only (0 when not listed)
 * @param note               why the rows could not be told apart, or null
 */
record Difference(long minuteMicros, int canId, long legacyRows, long databaseRows, boolean listed,
                  List<DigestRow> onlyLegacy, long onlyLegacyTotal, List<DigestRow> onlyDatabase,
                  long onlyDatabaseTotal, String note) {
    /** Copies the lists. */
    Difference {
        onlyLegacy = List.copyOf(onlyLegacy);
        onlyDatabase = List.copyOf(onlyDatabase);
    }

    /** A difference whose rows were not fetched. */
    static Difference counted(long minuteMicros, int canId, long legacyRows, long databaseRows) {
        return new Difference(minuteMicros, canId, legacyRows, databaseRows, false, List.of(), 0, List.of(), 0, null);
    }
}
