package org.cea.tools.scanner;

import java.time.Instant;

/** Wall-clock helpers (data timestamps); durations use {@link System#nanoTime()}. */
final class Clocks {
    private Clocks() {
    }

    /** Unix microseconds now. */
    static long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
