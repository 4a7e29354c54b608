package org.cea.tools.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.util.List;
import org.cea.tsdb.DigestRow;
import org.junit.jupiter.api.Test;

class FormatTest {
    /** 2024-12-12 10:58:00 UTC (1734001080 s). */
    private static final long MINUTE = 1_734_001_080_000_000L;

    @Test
    void writesMinutesTimesAndCanIdsAsTheReportShowsThem() {
        assertEquals("2024-12-12 10:58+00:00", Format.minute(MINUTE, ZoneId.of("UTC")));
        assertEquals("2024-12-12 11:58+01:00", Format.minute(MINUTE, ZoneId.of("Europe/Berlin")));
        assertEquals("2024-12-12 10:58:43.123457+00:00", Format.time(MINUTE + 43_123_457, ZoneId.of("UTC")));
        assertEquals("2024-12-12T10:58:43.123457Z", Format.iso(MINUTE + 43_123_457));
        assertEquals("0x101", Format.canId(0x101));
        assertEquals("0x7FF", Format.canId(0x7FF));
        assertEquals("0x00000800", Format.canId(0x800));
        assertEquals("0x1ABCDEF0", Format.canId(0x1ABCDEF0));
    }

    @Test
    void aDifferenceOnOneLineNamesMinuteCanIdCountsAndTheFirstRowOfEachSide() {
        DigestRow mine = new DigestRow(MINUTE + 17_000_001, 0x101, 8, "12 0A A5 07 00 00 00 11");
        DigestRow theirs = new DigestRow(MINUTE + 17_000_001, 0x101, 8, "12 0A A5 07 00 00 00 99");
        Difference d = new Difference(MINUTE, 0x101, 60, 60, true, List.of(mine), 1, List.of(theirs), 1, null);
        assertEquals("2024-12-12 10:58+00:00 0x101: legacy 60 rows, database 60 rows; only in legacy 1, first"
                + " 2024-12-12 10:58:17.000001+00:00 dlc 8 [12 0A A5 07 00 00 00 11]; only in database 1, first"
                + " 2024-12-12 10:58:17.000001+00:00 dlc 8 [12 0A A5 07 00 00 00 99]",
                Format.oneLine(d, ZoneId.of("UTC")));
        assertEquals("2024-12-12 10:58+00:00 0x00000800: legacy 3 rows, database 0 rows",
                Format.oneLine(Difference.counted(MINUTE, 0x800, 3, 0), ZoneId.of("UTC")));
    }
}
