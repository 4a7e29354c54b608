package org.cea.tsdb;

/**
 * The rows of one CAN id in one minute of {@code can_messages}: how many, and the sum of their
 * {@link DigestRow#hash()}es modulo 2^64. A sum, unlike an XOR, does not cancel a duplicated row;
 * with the count beside it a missing, extra, duplicated or changed row changes the digest (short
 * of a 64-bit collision).
 *
 * @param minuteMicros start of the minute, Unix microseconds, a multiple of 60,000,000
 * @param canId        CAN id as stored
 * @param rows         rows of that id in the minute, &gt;= 1
 * @param checksum     sum of the rows' hashes, wrapping at 64 bits
 */
public record MinuteDigest(long minuteMicros, int canId, long rows, long checksum) {
    /** Microseconds in a minute. */
    public static final long MINUTE_MICROS = 60_000_000L;

    /** Checks the minute alignment and the count. */
    public MinuteDigest {
        if (Math.floorMod(minuteMicros, MINUTE_MICROS) != 0) {
            throw new IllegalArgumentException("minuteMicros must be a multiple of 60000000, was " + minuteMicros);
        }
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1, was " + rows);
        }
    }
}
