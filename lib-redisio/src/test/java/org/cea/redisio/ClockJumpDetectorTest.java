package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The wall clock against the monotonic clock, both controlled by the test (the host clock is never touched). */
class ClockJumpDetectorTest {
    private static final long T0_US = 1_796_000_000_000_000L;
    private final AtomicLong wall = new AtomicLong(T0_US);
    private final AtomicLong mono = new AtomicLong(42_000_000_000L);
    private final TimeSource time = new TimeSource(wall::get, mono::get);

    /** Both clocks advance by {@code ms}; the wall clock additionally by {@code stepUs}. */
    private void advance(long ms, long stepUs) {
        mono.addAndGet(ms * 1_000_000L);
        wall.addAndGet(ms * 1_000L + stepUs);
    }

    @Test
    void clocksThatAdvanceTogetherAreNoJumpEvenAcrossAPause() {
        ClockJumpDetector d = new ClockJumpDetector(time, 1_000);
        for (int i = 0; i < 50; i++) {
            advance(100, 0);
            assertNull(d.check());
        }
        advance(5_000, 0); // the process was stopped (SIGSTOP, GC): both clocks moved 5 s
        assertNull(d.check());
        advance(100, 50); // NTP slewing, 500 ppm
        assertNull(d.check());
        assertEquals(0, d.jumps());
        assertNull(d.last());
    }

    @Test
    void backwardStepOfAnHourIsOneJumpNamingSizeAndDirection() {
        ClockJumpDetector d = new ClockJumpDetector(time, 1_000);
        advance(100, 0);
        assertNull(d.check());
        advance(100, -3_600_000_000L);
        ClockJumpDetector.Jump j = d.check();
        assertEquals(-3_600_000_000L, j.deltaMicros());
        assertFalse(j.forward());
        assertEquals("3600.000 s backward", j.describe());
        assertEquals(T0_US + 200_000L - 3_600_000_000L, j.wallMicrosAfter());
        advance(100, 0);
        assertNull(d.check(), "the new offset is the baseline: reported once");
        assertEquals(1, d.jumps());
        assertEquals(j, d.last());
    }

    @Test
    void forwardStepIsReportedAndCounted() {
        ClockJumpDetector d = new ClockJumpDetector(time, 1_000);
        advance(100, 90_061_500_000L); // 25 h 1 min 1.5 s: a Pi without RTC booting at its last saved time
        ClockJumpDetector.Jump j = d.check();
        assertTrue(j.forward());
        assertEquals("90061.500 s forward", j.describe());
        advance(100, -2_500_000L);
        assertEquals("2.500 s backward", d.check().describe());
        assertEquals(2, d.jumps());
    }

    @Test
    void theThresholdItselfIsNoJumpOneMillisecondMoreIs() {
        ClockJumpDetector d = new ClockJumpDetector(time, 1_000);
        advance(100, 1_000_000L);
        assertNull(d.check());
        advance(100, -1_000_000L);
        assertNull(d.check());
        advance(100, 1_001_000L);
        assertEquals("1.001 s forward", d.check().describe());
    }

    @Test
    void thresholdBelowOneMillisecondIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClockJumpDetector(time, 0));
        assertEquals("clock jump threshold must be >= 1 ms, was 0", e.getMessage());
    }
}
