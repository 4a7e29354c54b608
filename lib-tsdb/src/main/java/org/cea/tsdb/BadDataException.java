package org.cea.tsdb;

/**
 * A row or argument is invalid (NaN value, missing sensor name, malformed JSON, out-of-range
 * field, a value the database rejects). Retrying the same data cannot succeed: report it
 * (dead-letter, counter) and go on.
 */
public class BadDataException extends TsdbException {
    private static final long serialVersionUID = 1L;

    /** @param message names the row or argument, the field, the actual value and the limit */
    public BadDataException(String message) {
        super(message);
    }

    /**
     * @param message names the row or argument, the field, the actual value and the limit
     * @param cause   the driver exception, may be null
     */
    public BadDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
