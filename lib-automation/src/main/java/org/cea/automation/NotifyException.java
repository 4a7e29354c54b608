package org.cea.automation;

/** A notification was not delivered; {@link #retryable()} says whether trying again may help. */
public class NotifyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    /**
     * @param message   notifier, target (no secrets) and what went wrong
     * @param retryable false for a permanent refusal (bad request, unknown recipient)
     * @param cause     underlying cause, may be null
     */
    public NotifyException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** True when a later attempt may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
