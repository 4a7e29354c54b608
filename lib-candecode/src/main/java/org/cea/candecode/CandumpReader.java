package org.cea.candecode;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads frames from a {@code candump -l} log, one line at a time. Blank lines are ignored. Bad
 * lines either stop the read with a {@link CandumpFormatException} or, when {@code skipBad} is
 * set, are skipped and counted. Not thread-safe; owns the reader it is given.
 */
public final class CandumpReader implements AutoCloseable {
    private final BufferedReader in;
    private final boolean skipBad;
    private final LineParser parser = new LineParser();
    private long lineNumber;
    private long badLines;
    private CandumpFormatException lastError;
    private boolean closed;

    /**
     * @param in      the log; closed by {@link #close()}
     * @param skipBad true to skip and count malformed lines, false to throw on the first one
     */
    public CandumpReader(BufferedReader in, boolean skipBad) {
        if (in == null) {
            throw new IllegalArgumentException("in must not be null");
        }
        this.in = in;
        this.skipBad = skipBad;
    }

    /**
     * The next frame, or null at the end of the log.
     *
     * @throws CandumpFormatException on a malformed line when not skipping bad lines
     * @throws CanDecodeException     when reading fails
     */
    public CanFrame next() {
        while (true) {
            String line = readLine();
            if (line == null) {
                return null;
            }
            if (line.isBlank()) {
                continue;
            }
            try {
                return parser.parse(line, lineNumber);
            } catch (CandumpFormatException e) {
                if (!skipBad) {
                    throw e;
                }
                badLines++;
                lastError = e;
            }
        }
    }

    private String readLine() {
        try {
            String line = in.readLine();
            if (line != null) {
                lineNumber++;
            }
            return line;
        } catch (IOException e) {
            throw new CanDecodeException("reading candump log after line " + lineNumber + ": " + e.getMessage(), e);
        }
    }

    /** Number of malformed lines skipped so far. */
    public long badLines() {
        return badLines;
    }

    /** The error of the last skipped line, or null when none was skipped. */
    public CandumpFormatException lastError() {
        return lastError;
    }

    /** Number of lines read so far (1-based number of the line of the last frame returned). */
    public long lineNumber() {
        return lineNumber;
    }

    /** Interface name of the last frame returned (empty before the first frame). */
    public String lastInterface() {
        return parser.iface();
    }

    /** Closes the underlying reader; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            in.close();
        } catch (IOException e) {
            throw new CanDecodeException("closing candump log: " + e.getMessage(), e);
        }
    }
}
