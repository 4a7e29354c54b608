package org.cea.tools.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TimeArgsTest {
    /** 2026-01-01T00:00:00Z = 1767225600 s (see the monitor's RedisViewTest). */
    private static final long NEW_YEAR = 1_767_225_600_000L;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void readsEveryDocumentedTimeForm() {
        assertEquals(NEW_YEAR, TimeArgs.instant("from", "2026-01-01T00:00:00Z", BERLIN, 0));
        assertEquals(NEW_YEAR, TimeArgs.instant("from", "2026-01-01T01:00+01:00", BERLIN, 0));
        // local forms are in the given zone: Berlin is UTC+1 in January
        assertEquals(NEW_YEAR, TimeArgs.instant("from", "2026-01-01 01:00", BERLIN, 0));
        assertEquals(NEW_YEAR + 30_000, TimeArgs.instant("from", "2026-01-01T01:00:30", BERLIN, 0));
        assertEquals(NEW_YEAR - 3_600_000, TimeArgs.instant("from", "2026-01-01", BERLIN, 0));
        assertEquals(NEW_YEAR, TimeArgs.instant("to", "@1767225600", BERLIN, 0));
        assertEquals(42, TimeArgs.instant("to", "now", BERLIN, 42));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeArgs.instant("to", "yesterday", BERLIN, 0));
        assertEquals("--to 'yesterday': not a time (now, 2026-11-26, 2026-11-26 10:00, 2026-11-26T10:00:00Z,"
                + " 2026-11-26T10:00+01:00 or @UNIX_SECONDS)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimeArgs.instant("to", "2026-02-30", BERLIN, 0));
    }

    @Test
    void readsDurationsInSecondsMinutesHoursAndDays() {
        assertEquals(Duration.ofSeconds(45), TimeArgs.duration("settle", "45s"));
        assertEquals(Duration.ofMinutes(90), TimeArgs.duration("last", "90m"));
        assertEquals(Duration.ofHours(24), TimeArgs.duration("last", "24H"));
        assertEquals(Duration.ofDays(30), TimeArgs.duration("last", "30d"));
        assertEquals("--last '1.5h': not a duration (a number and s, m, h or d: 45s, 90m, 24h, 30d)",
                assertThrows(IllegalArgumentException.class, () -> TimeArgs.duration("last", "1.5h")).getMessage());
    }

    @Test
    void rangesAreWholeMinutesAndAMinuteOpensUntilSettleHasPassedAfterItsEnd() {
        long t = NEW_YEAR + 12 * 60_000 + 30_000; // 00:12:30
        assertEquals((NEW_YEAR + 12 * 60_000) * 1000, TimeArgs.floorMinuteMicros(t));
        assertEquals((NEW_YEAR + 13 * 60_000) * 1000, TimeArgs.ceilMinuteMicros(t));
        assertEquals(NEW_YEAR * 1000, TimeArgs.ceilMinuteMicros(NEW_YEAR));
        // at 00:12:30 with 60 s: minute 00:10 ended 00:11, settled 00:12 -> closed; 00:11 ends 00:12,
        // settles 00:13 -> open
        assertEquals((NEW_YEAR + 11 * 60_000) * 1000, TimeArgs.openFromMicros(t, Duration.ofSeconds(60)));
        // with no settle time only the minute being written is open
        assertEquals((NEW_YEAR + 12 * 60_000) * 1000, TimeArgs.openFromMicros(t, Duration.ZERO));
        assertEquals((NEW_YEAR + 12 * 60_000) * 1000, TimeArgs.openFromMicros(NEW_YEAR + 12 * 60_000, Duration.ZERO));
    }
}
