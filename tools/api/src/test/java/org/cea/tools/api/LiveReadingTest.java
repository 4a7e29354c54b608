package org.cea.tools.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LiveReadingTest {
    private static final long NOW = 1_734_001_123_123L;

    @Test
    void staleWhenMissingOrOlderThanTheLimit() {
        assertTrue(LiveReading.absent("co2_b").isStale(NOW, 10_000));
        assertFalse(new LiveReading("co2_b", 812.0, NOW - 10_000).isStale(NOW, 10_000));
        assertTrue(new LiveReading("co2_b", 812.0, NOW - 10_001).isStale(NOW, 10_000));
    }

    @Test
    void staleWhenStampedBeyondTheSkewAllowanceInTheFuture() {
        // taken before the clock was stepped back: its age is unknown, so it is not shown as live
        assertFalse(new LiveReading("co2_b", 812.0, NOW + 2_000).isStale(NOW, 10_000));
        assertTrue(new LiveReading("co2_b", 812.0, NOW + 2_001).isStale(NOW, 10_000));
        assertTrue(new LiveReading("co2_b", 812.0, NOW + 3_600_000).isStale(NOW, 10_000));
    }
}
