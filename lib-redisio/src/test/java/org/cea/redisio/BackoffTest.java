package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Expected delays are worked out by hand: initial, doubled per failure, cut at the cap. */
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
        assertTrue(b.due());
        assertEquals(250, b.failed());
    }

    @Test
    void theScannersAndApisPacing100To5000() {
        // 100, 200, 400, 800, 1600, 3200, then the cap 5000 (not 6400)
        Backoff b = new Backoff(100, 5_000, nanos::get);
        long[] expected = {100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000};
        for (long e : expected) {
            assertEquals(e, b.nextDelayMs(), "peek before failure " + (b.failures() + 1));
            assertEquals(e, b.failed());
        }
    }

    @Test
    void aCapThatIsNotAPowerOfTwoTimesTheStartIsReachedExactly() {
        Backoff b = new Backoff(300, 1_000, nanos::get);
        assertEquals(300, b.failed());
        assertEquals(600, b.failed());
        assertEquals(1_000, b.failed());
    }

    @Test
    void doesNotOverflowNearTheLargestCap() {
        Backoff b = new Backoff(Long.MAX_VALUE / 4 + 1, Long.MAX_VALUE / 2, nanos::get);
        b.failed();
        assertEquals(Long.MAX_VALUE / 2, b.failed());
        assertEquals(Long.MAX_VALUE / 2, b.nextDelayMs());
    }

    @Test
    void nextDelayIsAPeekThatRecordsNothing() {
        Backoff b = new Backoff(250, 1_000, nanos::get);
        assertEquals(250, b.nextDelayMs());
        assertEquals(250, b.nextDelayMs());
        assertEquals(0, b.failures());
        assertTrue(b.due());
    }

    @Test
    void isDueOnlyAfterTheDelayOnTheMonotonicClock() {
        Backoff b = new Backoff(250, 1_000, nanos::get);
        b.failed();
        assertFalse(b.due());
        assertEquals(250, b.remainingMs());
        assertEquals(250_000_000L, b.remainingNanos());
        advanceMs(249);
        assertFalse(b.due());
        assertEquals(1, b.remainingMs());
        nanos.addAndGet(999_999);
        assertEquals(1, b.remainingNanos());
        assertEquals(1, b.remainingMs(), "rounded up");
        nanos.incrementAndGet();
        assertTrue(b.due());
        assertEquals(0, b.remainingMs());
        assertEquals(0, b.remainingNanos());
    }

    @Test
    void theDelayCountsFromTheFailureNotFromTheLastDueTime() {
        Backoff b = new Backoff(250, 1_000, nanos::get);
        b.failed();
        advanceMs(10_000);
        assertEquals(500, b.failed());
        assertEquals(500, b.remainingMs());
    }

    @Test
    void rejectsAnInvertedOrEmptyRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Backoff(500, 100, nanos::get));
        assertTrue(e.getMessage().contains("500..100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 100, nanos::get));
        assertTrue(e.getMessage().contains("0..100"), e.getMessage());
    }
}
