package org.cea.automation;

import java.time.Duration;
import java.util.List;

/**
 * One rule of {@code automation.json}, resolved against the facility profile: concrete sensor and
 * node names, never base names.
 */
public sealed interface Rule permits Rule.Band, Rule.Stale, Rule.SilentNode, Rule.Problem, Rule.Pipeline {
    /** Rule name, unique; the first part of its alert ids. */
    String name();

    /** {@code info}, {@code warning} or {@code critical}. */
    String severity();

    /** How long the condition must hold before the alert fires (0 = at once). */
    Duration holdFor();

    /** Time between reminders while firing and not acknowledged; {@link Duration#ZERO} for none. */
    Duration reminder();

    /** When a band applies in a room. */
    enum Schedule {
        /** Around the clock. */
        ALWAYS,
        /** Between the room's lights-on and lights-off. */
        DAY,
        /** Between lights-off and lights-on. */
        NIGHT
    }

    /**
     * A sensor outside {@code [min, max]}.
     *
     * @param targets    the sensors, each with the subject that names its alert (room or sensor)
     * @param min        lower limit, or null
     * @param max        upper limit, or null
     * @param hysteresis once pending or firing, the value must come back this far inside the band to clear, &gt;= 0
     * @param schedule   when the band applies
     * @param action     command to publish when it fires and resolves, or null
     */
    record Band(String name, String severity, List<Target> targets, Double min, Double max, double hysteresis,
                Schedule schedule, Duration holdFor, Duration reminder, CommandAction action) implements Rule {
    }

    /**
     * No valid live reading for {@code after}.
     *
     * @param targets the sensors
     */
    record Stale(String name, String severity, List<Target> targets, Duration after, Duration holdFor, Duration reminder)
            implements Rule {
    }

    /**
     * No frame at all from a node for {@code after}.
     *
     * @param nodes CAN node ids with their rooms
     */
    record SilentNode(String name, String severity, List<Target> nodes, Duration after, Duration holdFor,
                      Duration reminder) implements Rule {
    }

    /**
     * The newest reading of a sensor is invalid in one way: faulted (status bits) or out of range.
     *
     * @param kind    {@code faulted} or {@code out_of_range}
     * @param targets the sensors
     */
    record Problem(String name, String severity, String kind, List<Target> targets, Duration holdFor, Duration reminder)
            implements Rule {
    }

    /** What a pipeline rule watches. */
    enum Check {
        /** This service cannot reach Redis. */
        REDIS_UNREACHABLE,
        /** {@code worker:status} missing or older than {@code after}. */
        WORKER_DOWN,
        /** The worker reports {@code db=down}. */
        DB_DOWN,
        /** Entries not yet processed by the worker above {@code maxEntries}, or the oldest older than {@code maxAge}. */
        WORKER_LAG,
        /** {@code can:dead} grew within the last {@code window}. */
        DEAD_LETTERS,
        /** {@code can:raw} holds at least {@code fraction} of its cap. */
        STREAM_NEAR_CAP
    }

    /**
     * A pipeline condition.
     *
     * @param check      what is watched
     * @param maxEntries WORKER_LAG: entries limit (0 = not checked)
     * @param maxAge     WORKER_LAG: age limit (zero = not checked); WORKER_DOWN: status age limit;
     *                   DEAD_LETTERS: window
     * @param fraction   STREAM_NEAR_CAP: fraction of {@code cap}, 0..1
     * @param cap        STREAM_NEAR_CAP: the stream's MAXLEN cap, entries
     */
    record Pipeline(String name, String severity, Check check, long maxEntries, Duration maxAge, double fraction, long cap,
                    Duration holdFor, Duration reminder) implements Rule {
    }

    /**
     * A sensor or node a rule watches.
     *
     * @param subject alert id suffix: the room for base-name selections and nodes, else the sensor
     * @param sensor  sensor name, or null for a node
     * @param node    CAN node, or null when unknown
     * @param room    room name, or null
     */
    record Target(String subject, String sensor, Integer node, String room) {
    }

    /**
     * A command published when a band alert fires and resolves.
     *
     * @param actuator  actuator name (configured under {@code actuators})
     * @param onFire    command when it fires, e.g. {@code on}
     * @param onResolve command when it resolves, e.g. {@code off}, or null
     * @param value     argument, may be empty
     */
    record CommandAction(String actuator, String onFire, String onResolve, String value) {
    }
}
