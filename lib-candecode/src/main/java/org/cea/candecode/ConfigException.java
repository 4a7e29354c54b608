package org.cea.candecode;

/**
 * A bad DBC file or facility.json: the message names the file, the line or key, the offending
 * token and what was expected. Fix the file and reload.
 */
public class ConfigException extends CanDecodeException {
    private static final long serialVersionUID = 1L;

    private final String source;

    /**
     * @param source  the file (or source name) the error is in
     * @param message where in the file (line or key), the token and the problem
     */
    public ConfigException(String source, String message) {
        super(source + ": " + message);
        this.source = source;
    }

    /**
     * @param source  the file (or source name) the error is in
     * @param message where in the file (line or key), the token and the problem
     * @param cause   the underlying error (I/O, JSON syntax)
     */
    public ConfigException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
    }

    /** The file or source name the error is in. */
    public String source() {
        return source;
    }
}
