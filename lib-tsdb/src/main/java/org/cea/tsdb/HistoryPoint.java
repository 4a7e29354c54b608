package org.cea.tsdb;

import java.time.Instant;
import java.util.Objects;

/**
 * One bucket of a sensor's history. Buckets are aligned to the Unix epoch (a bucket of width
 * {@code w} starts at a multiple of {@code w} since 1970-01-01T00:00Z) and hold readings with
 * {@code bucket <= time < bucket + w}.
 *
 * @param bucket start of the bucket (inclusive)
 * @param avg    mean of the readings in the bucket, in the sensor's unit
 * @param min    smallest reading in the bucket
 * @param max    largest reading in the bucket
 * @param count  number of readings in the bucket, &gt;= 1
 */
public record HistoryPoint(Instant bucket, double avg, double min, double max, long count) {
    /** Checks the invariants min &lt;= avg &lt;= max (with rounding slack) and count &gt;= 1. */
    public HistoryPoint {
        Objects.requireNonNull(bucket, "bucket");
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, was " + count);
        }
        if (!(min <= max)) {
            throw new IllegalArgumentException("min must be <= max, was min=" + min + " max=" + max);
        }
    }
}
