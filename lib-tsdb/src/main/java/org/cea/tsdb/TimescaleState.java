package org.cea.tsdb;

import java.util.Arrays;

/**
 * TimescaleDB on the target.
 *
 * @param installedVersion {@code pg_extension.extversion} of timescaledb in the target database, or null
 * @param preloadLibraries the server's {@code shared_preload_libraries} setting (may be empty)
 */
public record TimescaleState(String installedVersion, String preloadLibraries) {

    /** Normalises a null preload setting to empty. */
    public TimescaleState {
        preloadLibraries = preloadLibraries == null ? "" : preloadLibraries;
    }

    /** The extension is created in the database. */
    public boolean installed() {
        return installedVersion != null;
    }

    /** The server loads the TimescaleDB library at start ({@code shared_preload_libraries}). */
    public boolean preloaded() {
        return Arrays.stream(preloadLibraries.split(","))
                .map(s -> s.strip().replace("\"", ""))
                .anyMatch(s -> s.equals("timescaledb") || s.startsWith("timescaledb-"));
    }

    /** Installed and loaded: hypertables and compressed chunks work. */
    public boolean loaded() {
        return installed() && preloaded();
    }

    /**
     * Installed but not preloaded: rows in compressed chunks are invisible to queries, so no count or
     * checksum can be trusted.
     */
    public boolean installedButNotLoaded() {
        return installed() && !preloaded();
    }

    /** One line for the report. */
    public String describe() {
        if (!installed()) {
            return "TimescaleDB: not installed in this database (plain PostgreSQL tables)";
        }
        return "TimescaleDB " + installedVersion + (preloaded() ? ": loaded"
                : ": INSTALLED BUT NOT LOADED (shared_preload_libraries = '" + preloadLibraries + "')");
    }
}
