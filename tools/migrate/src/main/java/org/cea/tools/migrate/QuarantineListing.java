package org.cea.tools.migrate;

import java.util.List;

/**
 * The first quarantined rows for the report.
 *
 * @param total all rows in {@code migration_quarantine}
 * @param lines up to the listing limit, {@code id N: reason (original values)}
 */
public record QuarantineListing(long total, List<String> lines) {

    /** Copies the lines. */
    public QuarantineListing {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0, was " + total);
        }
        lines = List.copyOf(lines);
    }
}
