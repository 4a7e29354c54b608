package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * SQLite REAL seconds to microseconds. Expected values are worked by hand from the doubles' exact
 * binary values (docs/MIGRATION.md's table; x/128 s is exact in binary and lies on a half
 * microsecond) or, for the near-ties, from Python's {@code Decimal(float)} expansion.
 */
class SecondsToMicrosTest {
    @Test
    void roundsTheStoredDoubleBackToTheMicrosecondTheWriterMeant() {
        // stored as 1734001123.12345600128173828125 and 1734001123.1234569549560546875
        assertEquals(1_734_001_123_123_456L, Times.secondsToMicros(1734001123.123456));
        assertEquals(1_734_001_123_123_457L, Times.secondsToMicros(1734001123.123457));
        assertEquals(1_734_001_140_000_000L, Times.secondsToMicros(1734001140.0));
        // 1734001139.9999997615814208984375: the next minute's first microsecond
        assertEquals(1_734_001_140_000_000L, Times.secondsToMicros(1734001139.9999998));
        // Decimal(1734001123.999999) = 1734001123.99999904632568359375
        assertEquals(1_734_001_123_999_999L, Times.secondsToMicros(1734001123.999999));
        assertEquals(-1_500_000L, Times.secondsToMicros(-1.5));
        assertEquals(0L, Times.secondsToMicros(0.0));
    }

    @Test
    void anExactHalfMicrosecondRoundsToEven() {
        // 1/128 s = 7812.5 µs, 3/128 s = 23437.5 µs, exact in binary
        assertEquals(7_812L, Times.secondsToMicros(0.0078125));
        assertEquals(23_438L, Times.secondsToMicros(0.0234375));
        assertEquals(-7_812L, Times.secondsToMicros(-0.0078125));
        assertEquals(1_734_001_123_007_812L, Times.secondsToMicros(1734001123.0078125));
        assertEquals(1_734_001_123_023_438L, Times.secondsToMicros(1734001123.0234375));
    }

    @Test
    void aValueJustBelowAHalfRoundsDownWhereRoundingTheProductWouldNot() {
        // 1734001123.123456478118896484375 s; its product with 1e6 rounds to ...456.5 in double,
        // which Math.round would turn into ...457
        assertEquals(1_734_001_123_123_456L, Times.secondsToMicros(1734001123.1234565));
        // 4102444800.000000476837158203125 s (year 2100)
        assertEquals(4_102_444_800_000_000L, Times.secondsToMicros(4102444800.0000005));
        // 9007199254.7409915924072265625 s: past 2^53 µs, where a double cannot hold every microsecond
        assertEquals(9_007_199_254_740_992L, Times.secondsToMicros(9007199254.7409915));
    }

    @Test
    void refusesWhatIsNoTimeWithinYearsOneTo9999() {
        assertEquals("timestamp must be finite seconds within years 0001..9999, was NaN",
                assertThrows(IllegalArgumentException.class, () -> Times.secondsToMicros(Double.NaN)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Times.secondsToMicros(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Times.secondsToMicros(253402300800.0));
        assertThrows(IllegalArgumentException.class, () -> Times.secondsToMicros(-62135596801.0));
    }
}
