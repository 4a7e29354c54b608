package org.cea.tsdb;

import java.time.Instant;

/**
 * Filters for {@link AlertEventLog#recent}: newest first, at most {@code limit} rows, optionally
 * within {@code [from, to)} and for one alert, rule or room.
 *
 * @param limit   1..{@value #MAX_LIMIT}
 * @param from    inclusive start, or null
 * @param to      exclusive end, or null
 * @param alertId only this alert, or null
 * @param rule    only this rule, or null
 * @param room    only this room, or null
 */
public record AlertEventQuery(int limit, Instant from, Instant to, String alertId, String rule, String room) {
    /** Most rows one query returns. */
    public static final int MAX_LIMIT = 1_000;

    /** Validates. */
    public AlertEventQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadDataException("alert history limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new BadDataException("alert history range is empty or reversed: " + from + " .. " + to);
        }
    }

    /** The newest {@code limit} events. */
    public static AlertEventQuery latest(int limit) {
        return new AlertEventQuery(limit, null, null, null, null, null);
    }
}
