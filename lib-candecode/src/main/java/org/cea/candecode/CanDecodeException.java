package org.cea.candecode;

/**
 * Root of every exception thrown by lib-candecode. All are unchecked and mean "bad data or bad
 * configuration": retrying the same input gives the same error, so callers report it (dead-letter,
 * count, print) rather than retry.
 */
public class CanDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a diagnostic message. */
    public CanDecodeException(String message) {
        super(message);
    }

    /** An error with a diagnostic message and the underlying cause. */
    public CanDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
