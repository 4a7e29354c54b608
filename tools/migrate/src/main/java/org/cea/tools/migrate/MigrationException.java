package org.cea.tools.migrate;

/**
 * A migration that cannot go on: a missing or unreadable file, an unreachable or unsuitable target,
 * conflicting rows. The message says what and where; the tool prints it as its one-line error.
 */
public class MigrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, with the identifiers involved */
    public MigrationException(String message) {
        super(message);
    }

    /**
     * @param message what failed, with the identifiers involved
     * @param cause   the underlying error
     */
    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
