package org.cea.automation;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How alert messages write times (local wall clock of the facility) and values. */
final class AlertText {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private final ZoneId zone;

    AlertText(ZoneId zone) {
        this.zone = zone;
    }

    /** Unix ms as HH:mm:ss in the configured time zone. */
    String clock(long ms) {
        return CLOCK.format(Instant.ofEpochMilli(ms).atZone(zone));
    }

    /** A value with 2 decimals, or none from 100 on. */
    static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
