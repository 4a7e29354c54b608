package org.cea.tsdb;

/**
 * Root of every exception thrown by the storage layer. Callers normally catch one of the two
 * subclasses, which say what to do next: {@link StoreUnavailableException} (retry with backoff)
 * or {@link BadDataException} (report the row, do not retry it).
 */
public class TsdbException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message diagnostic message: operation, identifiers, actual vs allowed
     * @param cause   underlying cause, may be null
     */
    public TsdbException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message diagnostic message: operation, identifiers, actual vs allowed */
    public TsdbException(String message) {
        super(message);
    }
}
