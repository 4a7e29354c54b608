package org.cea.automation;

/**
 * {@code automation.json} is invalid: the message names the file, the JSON path (e.g.
 * {@code rules[2].max}) and what is allowed.
 */
public class AutomationConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message file, JSON path, actual vs allowed */
    public AutomationConfigException(String message) {
        super(message);
    }
}
