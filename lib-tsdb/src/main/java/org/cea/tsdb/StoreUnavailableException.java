package org.cea.tsdb;

/**
 * The database cannot be reached or is shutting down (connection refused, SQLSTATE class 08,
 * 57P01..57P03, SQLite busy/locked or I/O errors). Nothing of the failed call was committed; the
 * caller retries later with capped exponential backoff. The store reconnects by itself on the next call.
 */
public class StoreUnavailableException extends TsdbException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was attempted and against which database (password masked)
     * @param cause   the driver exception
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
