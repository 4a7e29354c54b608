package org.cea.candecode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads frames from a {@code candump -l} log, one line at a time. Blank lines are ignored. Bad
 * lines either stop the read with a {@link CandumpFormatException} or, when {@code skipBad} is
 * set, are skipped and counted. Not thread-safe; owns the reader it is given.
 */
public final class CandumpReader implements AutoCloseable {
    /** The longest line {@link #ascii} accepts, bytes: a candump line is under 200, this bounds memory. */
    public static final int MAX_LINE_BYTES = 4096;
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
     * Reads a log of US-ASCII bytes (a file or standard input) without a charset decoder. A line
     * with a byte that is not US-ASCII or longer than {@link #MAX_LINE_BYTES} is a bad line like
     * any other malformed one (named by its number, skipped and counted, or thrown); memory stays
     * bounded whatever the input.
     *
     * @param in      the bytes; closed by {@link #close()}
     * @param skipBad true to skip and count bad lines, false to throw on the first one
     */
    public static CandumpReader ascii(InputStream in, boolean skipBad) {
        if (in == null) {
            throw new IllegalArgumentException("in must not be null");
        }
        return new CandumpReader(new AsciiLineReader(in, MAX_LINE_BYTES), skipBad);
    }

    /**
     * The next frame, or null at the end of the log.
     *
     * @throws CandumpFormatException on a malformed line when not skipping bad lines
     * @throws CanDecodeException     when reading fails
     */
    public CanFrame next() {
        while (true) {
            String line;
            try {
                line = in.readLine();
            } catch (AsciiLineReader.BadLineException e) {
                lineNumber++;
                reject(new CandumpFormatException(lineNumber, e.getMessage()));
                continue;
            } catch (IOException e) {
                throw new CanDecodeException("reading candump log after line " + lineNumber + ": " + e.getMessage(), e);
            }
            if (line == null) {
                return null;
            }
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                return parser.parse(line, lineNumber);
            } catch (CandumpFormatException e) {
                reject(e);
            }
        }
    }

    private void reject(CandumpFormatException e) {
        if (!skipBad) {
            throw e;
        }
        badLines++;
        lastError = e;
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
