package org.cea.redisio;

/**
 * The spool file cannot be created, locked, written or synced (unwritable directory, disk full,
 * another process holds it). Frames that should have been spooled are at risk: report loudly.
 */
public class SpoolException extends RedisIoException {
    private static final long serialVersionUID = 1L;

    /** With the file, the operation and the cause. */
    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
