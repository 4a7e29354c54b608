package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CopyTextTest {
    private static String reading(long micros, String sensor, double value) {
        CopyText t = new CopyText();
        t.readingRow(new ReadingRow(micros, sensor, value));
        return new String(t.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void formatsTimestampsWithMicroseconds() {
        assertEquals("1970-01-01 00:00:00.000000+00\tco2_b\t400.0\n", reading(0, "co2_b", 400));
        // 2000-02-29 is 951782400 s after the epoch (leap day of a century leap year)
        assertEquals("2000-02-29 00:00:00.000001+00\tx\t-1.5\n", reading(951_782_400_000_001L, "x", -1.5));
        // 2024-03-10T00:00:00Z = 1710028800 s; 2024-12-31T23:59:59Z = 1735689599 s
        assertEquals("2024-03-10 00:00:00.123456+00\tx\t1.0E-5\n", reading(1_710_028_800_123_456L, "x", 1e-5));
        assertEquals("2024-12-31 23:59:59.999999+00\tx\t0.0\n", reading(1_735_689_599_999_999L, "x", 0));
        assertEquals("9999-12-31 23:59:59.999999+00\tx\t0.0\n", reading(Times.MAX_MICROS, "x", 0));
    }

    @Test
    void escapesTextAndWritesNulls() {
        CopyText t = new CopyText();
        t.messageRow(new MessageRow(null, 0, 0x7E0, false, null, null, 1, "FF", "{\"a\":\"b\\\\c\",\n\"t\":\"\\t\"}"));
        assertEquals("\\N\t1970-01-01 00:00:00.000000+00\t2016\tf\t\\N\t\\N\t1\tFF\t{\"a\":\"b\\\\\\\\c\",\\n\"t\":\"\\\\t\"}\n",
                new String(t.bytes(), StandardCharsets.UTF_8));
    }
}
