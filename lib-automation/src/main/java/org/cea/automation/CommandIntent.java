package org.cea.automation;

import java.util.List;

/**
 * A command a rule wants issued; {@link ActuatorController} decides when it may go out.
 *
 * @param actuator actuator name
 * @param command  e.g. {@code on}
 * @param value    argument, may be empty
 * @param rule     the rule that wants it
 * @param reason   one sentence: why
 * @param inputs   the sensors the decision was based on (no command while any is stale)
 * @param ts       Unix ms of the decision
 */
public record CommandIntent(String actuator, String command, String value, String rule, String reason,
                            List<String> inputs, long ts) {
    /** Copies. */
    public CommandIntent {
        inputs = List.copyOf(inputs);
        value = value == null ? "" : value;
    }
}
