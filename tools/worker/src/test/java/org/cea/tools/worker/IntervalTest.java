package org.cea.tools.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IntervalTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private void advanceMs(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    @Test
    void intervalFiresOncePerPeriod() {
        Interval i = new Interval(1_000, nanos::get);
        assertFalse(i.take());
        advanceMs(1_000);
        assertTrue(i.take());
        assertFalse(i.take());
        advanceMs(999);
        assertFalse(i.take());
        advanceMs(1);
        assertTrue(i.take());
    }
}
