package org.cea.redisio;

/**
 * Root of every exception lib-redisio throws. Catch {@link RedisUnavailableException} to retry
 * with backoff, {@link MalformedEntryException} to dead-letter and report.
 */
public class RedisIoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a diagnostic message. */
    public RedisIoException(String message) {
        super(message);
    }

    /** With a diagnostic message and the cause. */
    public RedisIoException(String message, Throwable cause) {
        super(message, cause);
    }
}
