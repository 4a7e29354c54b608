package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Expected values from Python's decimal module, BigDecimal and GNU date, not from this code (the
 * hand-worked cases of {@code secondsToMicros} are in {@link SecondsToMicrosTest}).
 */
class TimesTest {

    @Test
    void fastRoundingAgreesWithExactDecimalArithmetic() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
        for (int i = 0; i < 300_000; i++) {
            double s = switch (i % 4) {
                case 0 -> 1.7e9 + rnd.nextDouble() * 1e8;
                case 1 -> (1_700_000_000_000_000L + rnd.nextLong(100_000_000_000_000L)) / 1e6;
                case 2 -> (rnd.nextLong(2_000_000_000_000L) - 1_000_000_000_000L) / 1e6 + 0.5e-6;
                default -> rnd.nextDouble() * 2.5e11 - 6e10;
            };
            long exact = new java.math.BigDecimal(s).movePointRight(6)
                    .setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
            assertEquals(exact, Times.secondsToMicros(s), "seconds " + s);
        }
        // exact ties: j/128 s with j odd is k + 0.5 us; ties go to the even microsecond
        assertEquals(1_007_812L, Times.secondsToMicros(1.0078125));   // 1,007,812.5 us
        assertEquals(1_023_438L, Times.secondsToMicros(1.0234375));   // 1,023,437.5 us
        assertEquals(-1_007_812L, Times.secondsToMicros(-1.0078125));
        assertEquals(7_812L, Times.secondsToMicros(0.0078125));       // 7,812.5 us
    }

    @Test
    void refusesNonFiniteAndOutOfRangeSeconds() {
        assertThrows(IllegalArgumentException.class, () -> Times.secondsToMicros(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Times.secondsToMicros(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Times.secondsToMicros(1e300));
        assertThrows(IllegalArgumentException.class, () -> Times.secondsToMicros(-1e12));
    }

    @Test
    void formatsUtcWithSixFractionDigits() {
        // date -u -d @1734001123 -> 2024-12-12 10:58:43
        assertEquals("2024-12-12 10:58:43.123456+00", Times.formatUtc(1_734_001_123_123_456L));
        // date -u -d @-2 -> 1969-12-31 23:59:58
        assertEquals("1969-12-31 23:59:58.500000+00", Times.formatUtc(-1_500_000L));
        assertEquals("0001-01-01 00:00:00.000000+00", Times.formatUtc(Times.MIN_SECONDS * 1_000_000L));
    }

    @Test
    void parsesSqliteCurrentTimestampAsUtc() {
        // date -u -d '2024-12-12 10:58:43 UTC' +%s -> 1734001123
        assertEquals(1_734_001_123_000_000L, Times.parseSqliteDateTime("2024-12-12 10:58:43"));
        assertEquals(1_734_001_123_250_000L, Times.parseSqliteDateTime("2024-12-12T10:58:43.25"));
        assertEquals(1_734_001_123_000_000L, Times.parseSqliteDateTime("2024-12-12 12:58:43+02:00"));
        assertEquals(1_734_001_080_000_000L, Times.parseSqliteDateTime("2024-12-12 10:58Z"));
    }

    @Test
    void refusesTextThatIsNotASqliteDateTime() {
        for (String bad : new String[] {"yesterday", "2024-02-30 00:00:00", "2024-12-12 24:00:00", "2024-12-12",
            "2024-12-12 10:58:43.1234567", "0000-01-01 00:00:00"}) {
            assertThrows(IllegalArgumentException.class, () -> Times.parseSqliteDateTime(bad), bad);
        }
    }
}
