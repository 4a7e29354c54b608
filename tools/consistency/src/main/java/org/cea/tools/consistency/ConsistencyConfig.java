package org.cea.tools.consistency;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One invocation of can-consistency, validated at construction (messages name the flag).
 *
 * @param legacy           the scanner's legacy store (SQLite file or URL), read-only
 * @param database         the worker's database URL
 * @param fromMicros       start of the range, a minute boundary, &gt;= 0
 * @param toMicros         end, exclusive, a minute boundary, &gt; fromMicros
 * @param openFromMicros   the first minute still being written (later minutes are open)
 * @param settle           how long after its end a minute counts as written, 0..1 day
 * @param rows             rows listed per side of each difference, 0..10000
 * @param detail           differences whose rows are fetched and listed, 0..1000000
 * @param json             write the JSON report
 * @param quiet            print the summary line only
 * @param redisUrl         where to record the result ({@code consistency:status}), or null for nowhere
 * @param progressSeconds  seconds between progress lines when stderr is not a terminal, 0 = none
 */
record ConsistencyConfig(String legacy, String database, long fromMicros, long toMicros, long openFromMicros,
                         Duration settle, int rows, int detail, boolean json, boolean quiet, String redisUrl,
                         long progressSeconds) {
    /** Checks every field. */
    ConsistencyConfig {
        if (legacy == null || legacy.isBlank()) {
            throw new IllegalArgumentException("--legacy must not be empty");
        }
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("--db-url must not be empty");
        }
        if (sameStore(legacy, database)) {
            throw new IllegalArgumentException("--legacy and --db-url name the same store: compare the scanner's legacy"
                    + " file with the worker's database");
        }
        if (fromMicros < 0 || fromMicros % 60_000_000L != 0 || toMicros % 60_000_000L != 0) {
            throw new IllegalArgumentException("--from must be at or after 1970-01-01T00:00Z, was " + fromMicros + " µs");
        }
        if (toMicros <= fromMicros) {
            throw new IllegalArgumentException("--to must be after --from (whole minutes), were "
                    + TimeArgs.show(fromMicros / 1000) + " and " + TimeArgs.show(toMicros / 1000));
        }
        if (settle.isNegative() || settle.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("--settle must be 0s..1d, was " + settle);
        }
        if (rows < 0 || rows > 10_000) {
            throw new IllegalArgumentException("--rows must be 0..10000, was " + rows);
        }
        if (detail < 0 || detail > 1_000_000) {
            throw new IllegalArgumentException("--detail must be 0..1000000, was " + detail);
        }
        if (json && quiet) {
            throw new IllegalArgumentException("--json and --quiet exclude each other");
        }
        if (progressSeconds < 0 || progressSeconds > 3600) {
            throw new IllegalArgumentException("--progress-interval must be 0..3600 seconds, was " + progressSeconds);
        }
    }

    /** True when both name one SQLite file (however spelled) or are the same URL. */
    static boolean sameStore(String a, String b) {
        Path pa = sqliteFile(a);
        Path pb = sqliteFile(b);
        return pa != null && pb != null ? pa.equals(pb) : a.trim().equals(b.trim());
    }

    /** The normalized file of a SQLite URL or plain path, null for a server URL. */
    private static Path sqliteFile(String url) {
        String u = url.trim();
        if (u.startsWith("jdbc:sqlite:")) {
            u = u.substring("jdbc:sqlite:".length());
        } else if (u.contains("://") || u.startsWith("jdbc:")) {
            return null;
        }
        return Path.of(u).toAbsolutePath().normalize();
    }
}
