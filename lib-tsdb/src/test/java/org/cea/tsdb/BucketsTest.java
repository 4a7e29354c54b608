package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BucketsTest {
    private static long us(String instant) {
        return Times.micros(Instant.parse(instant), "t");
    }

    @Test
    void thirtyDaysInAThousandPointsAreHourly() {
        // 30 d = 720 h: 1 h buckets give 720 points; 30 min would give 1440
        assertEquals(Buckets.HOUR, Buckets.width(us("2024-03-01T00:00:00Z"), us("2024-03-31T00:00:00Z"), 1000));
    }

    @Test
    void oneDayInAThousandPointsIsTwoMinutes() {
        // 1440 one-minute buckets are too many, 720 two-minute buckets fit
        assertEquals(2 * Buckets.MINUTE, Buckets.width(us("2024-03-10T00:00:00Z"), us("2024-03-11T00:00:00Z"), 1000));
    }

    @Test
    void unalignedRangeCountsTheExtraEdgeBucket() {
        // 00:00:30..00:10:30 touches 11 one-minute buckets (00:00 .. 00:10) > 10; two-minute: 00:00..00:10 = 6
        long from = us("2024-03-10T00:00:30Z");
        long to = us("2024-03-10T00:10:30Z");
        assertEquals(11, Buckets.count(from, to, Buckets.MINUTE));
        assertEquals(2 * Buckets.MINUTE, Buckets.width(from, to, 10));
        assertEquals(Buckets.MINUTE, Buckets.width(from, to, 11));
    }

    @Test
    void tinyRangesUseOneSecondAndHugeOnesDouble() {
        assertEquals(Buckets.SECOND, Buckets.width(us("2024-03-10T00:00:00Z"), us("2024-03-10T00:00:00.500Z"), 1));
        // 10 years in one point: 28 d doubled until one epoch-aligned bucket covers it
        long w = Buckets.width(us("2014-01-01T00:00:00Z"), us("2024-01-01T00:00:00Z"), 1);
        assertEquals(1, Buckets.count(us("2014-01-01T00:00:00Z"), us("2024-01-01T00:00:00Z"), w));
        assertEquals(0, w % (28 * Buckets.DAY));
    }

    @Test
    void floorAndCeilAlignToTheEpoch() {
        assertEquals(us("2024-03-10T01:00:00Z"), Buckets.floor(us("2024-03-10T01:59:59Z"), Buckets.HOUR));
        assertEquals(us("2024-03-10T02:00:00Z"), Buckets.ceil(us("2024-03-10T01:00:01Z"), Buckets.HOUR));
        assertEquals(us("2024-03-10T01:00:00Z"), Buckets.ceil(us("2024-03-10T01:00:00Z"), Buckets.HOUR));
        // 7-day buckets start on Thursdays: 1970-01-01 was a Thursday, 2024-03-07 is one too
        assertEquals(us("2024-03-07T00:00:00Z"), Buckets.floor(us("2024-03-10T12:00:00Z"), 7 * Buckets.DAY));
    }
}
