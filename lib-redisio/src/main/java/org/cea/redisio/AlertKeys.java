package org.cea.redisio;

/** Key names of the automation contract (DESIGN.md, "Automation"). */
public final class AlertKeys {
    /** Hash: alert id → alert JSON, for every pending or firing alert. */
    public static final String ACTIVE = "alerts:active";
    /** Stream: one entry per alert transition. */
    public static final String EVENTS = "alerts:events";
    /** Stream (additive): acknowledgement requests, written by can-api, applied by cea-automation. */
    public static final String ACKS = "alerts:acks";
    /** Stream: commands for actuators. */
    public static final String COMMANDS = "actuators:commands";
    /** Hash (additive): cea-automation's own status (notifiers, evaluation), refreshed every few seconds. */
    public static final String STATUS = "automation:status";
    /** Approximate cap of {@link #EVENTS} (transitions are rare: months of history). */
    public static final long EVENTS_MAX_LEN = 100_000;
    /** Approximate cap of {@link #ACKS} and {@link #COMMANDS}. */
    public static final long REQUESTS_MAX_LEN = 10_000;

    private AlertKeys() {
    }
}
