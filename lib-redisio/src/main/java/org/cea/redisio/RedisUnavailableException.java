package org.cea.redisio;

/** Redis could not be reached or the connection broke: retry with capped exponential backoff. */
public class RedisUnavailableException extends RedisIoException {
    private static final long serialVersionUID = 1L;

    /** With what was being done and the cause. */
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
