package org.cea.tsdb;

import java.time.Instant;
import java.util.Objects;

/**
 * A time window to summarize one sensor over, with the band its readings should be in.
 *
 * @param from    start, inclusive
 * @param to      end, exclusive, after {@code from}
 * @param bandMin lower limit of the band (inclusive), or null for none
 * @param bandMax upper limit of the band (inclusive), or null for none
 */
public record SummaryWindow(Instant from, Instant to, Double bandMin, Double bandMax) {
    /** Checks the order of the times and of the limits. */
    public SummaryWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new BadDataException("summary window must have from < to, was from=" + from + " to=" + to);
        }
        if (bandMin != null && bandMax != null && bandMin > bandMax) {
            throw new BadDataException("summary band must have min <= max, was " + bandMin + " > " + bandMax);
        }
    }
}
