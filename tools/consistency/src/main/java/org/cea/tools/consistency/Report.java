package org.cea.tools.consistency;

import org.cea.tsdb.Backend;

/** Where a comparison's results go: the text report, or the {@code --json} one. */
interface Report extends Comparison.Listener {
    /**
     * What is compared, printed before any result.
     *
     * @param legacy           the legacy store, password masked
     * @param legacyBackend    its kind
     * @param database         the worker's database, password masked
     * @param databaseBackend  its kind
     * @param fromMicros       start of the range, Unix µs
     * @param toMicros         end, exclusive
     * @param openFromMicros   the first minute still being written
     */
    record Header(String legacy, Backend legacyBackend, String database, Backend databaseBackend, long fromMicros,
                  long toMicros, long openFromMicros) {
        /** Minutes in the range. */
        long minutes() {
            return (toMicros - fromMicros) / 60_000_000L;
        }
    }

    /** Called once, first. */
    void start(Header h);

    /**
     * Called once, last: the summary.
     *
     * @param t            what was found
     * @param elapsedNanos how long the comparison took
     */
    void finish(Comparison.Totals t, long elapsedNanos);

    @Override
    default void progress(long doneMicros, Comparison.Totals soFar) {
    }
}
