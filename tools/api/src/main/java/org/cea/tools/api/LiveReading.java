package org.cea.tools.api;

import org.cea.redisio.LiveKeys;

/**
 * The live value of one sensor as read from Redis.
 *
 * @param name     sensor name
 * @param value    the reading, or null when the key has expired (no reading within the TTL)
 * @param tsMillis Unix milliseconds the reading was taken, or null when unknown
 */
record LiveReading(String name, Double value, Long tsMillis) {
    /** A sensor with no live value. */
    static LiveReading absent(String name) {
        return new LiveReading(name, null, null);
    }

    /**
     * True when this reading is missing, older than {@code staleAfterMs} at {@code nowMillis}, or
     * stamped more than {@link LiveKeys#CLOCK_SKEW_MS} in the future (taken before the clock was
     * stepped back: its age is unknown, so it is not shown as live).
     */
    boolean isStale(long nowMillis, long staleAfterMs) {
        return value == null || tsMillis == null || nowMillis - tsMillis > staleAfterMs
                || tsMillis - nowMillis > LiveKeys.CLOCK_SKEW_MS;
    }
}
