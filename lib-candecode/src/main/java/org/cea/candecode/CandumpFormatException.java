package org.cea.candecode;

/** A candump log line that does not have the expected shape; the message names the line and what was expected. */
public class CandumpFormatException extends CanDecodeException {
    private static final long serialVersionUID = 1L;

    private final long lineNumber;

    /**
     * @param lineNumber 1-based line number in the log (0 when the line does not come from a file)
     * @param message    what was wrong and what was expected
     */
    public CandumpFormatException(long lineNumber, String message) {
        super("candump line " + lineNumber + ": " + message);
        this.lineNumber = lineNumber;
    }

    /** The 1-based line number of the bad line (0 when unknown). */
    public long lineNumber() {
        return lineNumber;
    }
}
