package org.cea.tools.migrate;

/**
 * How the verifier samples and slices.
 *
 * @param rangeSize  ids per checksum range, 100..10,000,000
 * @param sampleSize rows compared field by field, 0..1,000,000
 * @param seed       random seed of the sample (printed, so a run can be repeated)
 * @param pageSize   rows per SQLite read, 1..1,000,000
 */
public record VerifyOptions(long rangeSize, int sampleSize, long seed, int pageSize) {

    /** Checks the ranges. */
    public VerifyOptions {
        if (rangeSize < 100 || rangeSize > 10_000_000) {
            throw new IllegalArgumentException("rangeSize must be 100..10000000, was " + rangeSize);
        }
        if (sampleSize < 0 || sampleSize > 1_000_000) {
            throw new IllegalArgumentException("sampleSize must be 0..1000000, was " + sampleSize);
        }
        if (pageSize < 1 || pageSize > 1_000_000) {
            throw new IllegalArgumentException("pageSize must be 1..1000000, was " + pageSize);
        }
    }
}
