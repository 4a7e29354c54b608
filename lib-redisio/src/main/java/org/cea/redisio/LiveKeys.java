package org.cea.redisio;

import java.math.BigDecimal;

/** Names and value rendering of the live-state keyspace (DESIGN.md, "Live state"). */
public final class LiveKeys {
    /** Prefix of the per-sensor keys. */
    public static final String PREFIX = "sensor:";
    /** Suffix of the timestamp key. */
    public static final String TS_SUFFIX = ":ts";
    /** Channel on which changed readings are published as JSON. */
    public static final String CHANNEL = "sensor:updates";
    /**
     * Channel on which the changed readings of one live-state write (one worker read) are published
     * together, as a JSON array of the {@link #CHANNEL} objects (additive, issue 20: one message and
     * one wake-up of each subscriber per batch instead of per reading).
     */
    public static final String BATCH_CHANNEL = "sensor:updates:batch";
    /** Live keys expire this long after the reading was taken, milliseconds. */
    public static final long TTL_MS = 10_000;
    /**
     * A reading stamped more than this ahead of the wall clock, milliseconds, is from a clock that
     * has since been stepped back (NTP correcting a Raspberry Pi without a real-time clock): it is
     * not live, and a newer reading replaces it even though its timestamp is smaller.
     */
    public static final long CLOCK_SKEW_MS = 2_000;

    private LiveKeys() {
    }

    /** {@code sensor:<name>}: the value as a plain decimal string. */
    public static String valueKey(String sensor) {
        return PREFIX + sensor;
    }

    /** {@code sensor:<name>:ts}: Unix milliseconds of the reading. */
    public static String tsKey(String sensor) {
        return PREFIX + sensor + TS_SUFFIX;
    }

    /** A finite double as a plain decimal string, never in exponent form ({@code 0.0001}, {@code 412.0}). */
    public static String plain(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("live value must be finite, was " + v);
        }
        String s = Double.toString(v);
        return s.indexOf('E') < 0 ? s : new BigDecimal(s).stripTrailingZeros().toPlainString();
    }
}
