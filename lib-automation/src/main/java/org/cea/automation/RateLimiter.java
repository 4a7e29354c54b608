package org.cea.automation;

/**
 * A token bucket: at most {@code perMinute} messages in a burst, refilled at {@code perMinute} per
 * minute. Time is passed in (monotonic ms). Not thread-safe.
 */
public final class RateLimiter {
    private final int perMinute;
    private double tokens;
    private long lastMs;

    /**
     * @param perMinute burst and refill rate, &gt; 0
     * @param nowMs     monotonic ms
     */
    public RateLimiter(int perMinute, long nowMs) {
        if (perMinute <= 0) {
            throw new IllegalArgumentException("perMinute must be > 0, was " + perMinute);
        }
        this.perMinute = perMinute;
        this.tokens = perMinute;
        this.lastMs = nowMs;
    }

    /** Takes a token if there is one. */
    public boolean tryAcquire(long nowMs) {
        refill(nowMs);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Milliseconds until a token is available, 0 when one is. */
    public long waitMs(long nowMs) {
        refill(nowMs);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * 60_000.0 / perMinute);
    }

    private void refill(long nowMs) {
        long dt = Math.max(0, nowMs - lastMs);
        tokens = Math.min(perMinute, tokens + dt * perMinute / 60_000.0);
        lastMs = nowMs;
    }
}
