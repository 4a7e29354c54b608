package org.cea.tsdb;

/**
 * The readings of one sensor in one {@link SummaryWindow}.
 *
 * @param window the window asked for
 * @param count  readings in it, &gt;= 0
 * @param min    smallest reading, or null when there is none
 * @param mean   mean of the readings, or null when there is none
 * @param max    largest reading, or null when there is none
 * @param inBand readings within the window's band (limits inclusive), 0..count
 */
public record Summary(SummaryWindow window, long count, Double min, Double mean, Double max, long inBand) {
    /** Checks the counts. */
    public Summary {
        if (count < 0 || inBand < 0 || inBand > count) {
            throw new IllegalArgumentException("summary counts must have 0 <= inBand <= count, were " + inBand + ", " + count);
        }
    }

    /** Share of the readings within the band, percent 0..100, or null when there is no reading. */
    public Double inBandPercent() {
        return count == 0 ? null : 100.0 * inBand / count;
    }
}
