package org.cea.redisio;

/**
 * The {@code service:failures} list (DESIGN.md "Live state"): one line per systemd unit failure,
 * newest first, at most {@link #MAX_ENTRIES}; written by {@code bin/service_error_handler.sh}
 * (LPUSH, then LTRIM to the cap; a shell script cannot read this class, so tools/cli-it's
 * BinScriptsIT checks the script against these constants), read by the monitors.
 */
public final class ServiceFailures {
    /** The list key. */
    public static final String KEY = "service:failures";
    /** Entries kept, newest first. */
    public static final int MAX_ENTRIES = 100;

    private ServiceFailures() {
    }
}
