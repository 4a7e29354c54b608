package org.cea.tools.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private void advanceMs(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    @Test
    void doublesUpToTheCapAndResetsOnSuccess() {
        Backoff b = new Backoff(250, 1_000, nanos::get);
        assertTrue(b.due());
        assertEquals(250, b.failed());
        assertEquals(500, b.failed());
        assertEquals(1_000, b.failed());
        assertEquals(1_000, b.failed());
        assertEquals(4, b.failures());
        b.succeeded();
        assertEquals(0, b.failures());
        assertEquals(250, b.failed());
    }

    @Test
    void isDueOnlyAfterTheDelayOnTheMonotonicClock() {
        Backoff b = new Backoff(250, 1_000, nanos::get);
        b.failed();
        assertFalse(b.due());
        assertEquals(250, b.remainingMs());
        advanceMs(249);
        assertFalse(b.due());
        advanceMs(1);
        assertTrue(b.due());
        assertEquals(0, b.remainingMs());
    }

    @Test
    void rejectsAnInvertedRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Backoff(500, 100, nanos::get));
        assertTrue(e.getMessage().contains("500..100"), e.getMessage());
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
