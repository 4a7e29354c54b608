package org.cea.candecode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link BufferedReader} for US-ASCII text whose {@link #readLine()} turns bytes straight into
 * (Latin-1, compact) strings: {@code candump} logs are ASCII, and the charset decoder plus the
 * char buffer of {@code Files.newBufferedReader} were a measurable part of the scanner's source
 * thread at max-speed replay (scripts/bench-scanner.sh). Lines end at {@code \n}, {@code \r} or
 * {@code \r\n}, as {@link BufferedReader#readLine()}. A line with a byte above 0x7F or longer
 * than the limit is a {@link BadLineException}: the line is read to its end (keeping at most the
 * limit in memory) and the next call returns the next line. Only {@link #readLine()} and
 * {@link #close()} are supported (all {@link CandumpReader} needs). Not thread-safe.
 */
final class AsciiLineReader extends BufferedReader {
    private static final int BUFFER = 1 << 16;
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[BUFFER];
    private final AtomicBoolean closed = new AtomicBoolean();
    private byte[] partial = new byte[256];
    private int pos;
    private int len;
    private boolean skipLf;

    /** A line that is not US-ASCII text of at most the limit; it was consumed. */
    static final class BadLineException extends IOException {
        private static final long serialVersionUID = 1L;

        BadLineException(String message) {
            super(message);
        }
    }

    /**
     * @param in           the bytes; closed by {@link #close()}
     * @param maxLineBytes the longest line accepted, without its terminator, &gt;= 1
     */
    AsciiLineReader(InputStream in, int maxLineBytes) {
        super(Reader.nullReader(), 1);
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be >= 1, was " + maxLineBytes);
        }
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line without its terminator, or null at the end of the input.
     *
     * @throws BadLineException on a line with a byte that is not US-ASCII or longer than the
     *                          limit (the line is consumed; reading can go on)
     * @throws IOException      when reading fails
     */
    @Override
    public String readLine() throws IOException {
        int plen = 0;
        String problem = null;
        while (true) {
            if (pos == len && !fill()) {
                if (problem != null) {
                    throw new BadLineException(problem);
                }
                return plen == 0 ? null : new String(partial, 0, plen, StandardCharsets.ISO_8859_1);
            }
            if (skipLf) {
                skipLf = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            for (int i = start; i < len; i++) {
                byte b = buf[i];
                if (b == '\n' || b == '\r') {
                    pos = i + 1;
                    skipLf = b == '\r';
                    if (problem == null && plen + i - start > maxLineBytes) {
                        problem = tooLong();
                    }
                    if (problem != null) {
                        throw new BadLineException(problem);
                    }
                    return line(plen, start, i);
                }
                if (b < 0 && problem == null) {
                    problem = String.format(java.util.Locale.ROOT,
                            "byte 0x%02X at column %d is not US-ASCII (a candump log is ASCII text)", b & 0xFF,
                            plen + i - start + 1);
                }
            }
            int n = len - start;
            pos = len;
            if (problem != null) {
                continue;
            }
            if (plen + n > maxLineBytes) {
                problem = tooLong();
                continue;
            }
            if (plen + n > partial.length) {
                partial = Arrays.copyOf(partial, Math.min(maxLineBytes, Math.max(partial.length * 2, plen + n)));
            }
            System.arraycopy(buf, start, partial, plen, n);
            plen += n;
        }
    }

    private String tooLong() {
        return "longer than " + maxLineBytes + " bytes (a candump line is under 200)";
    }

    private String line(int plen, int start, int end) {
        if (plen == 0) {
            return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
        }
        int n = end - start;
        if (plen + n > partial.length) {
            partial = Arrays.copyOf(partial, plen + n);
        }
        System.arraycopy(buf, start, partial, plen, n);
        return new String(partial, 0, plen + n, StandardCharsets.ISO_8859_1);
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            pos = 0;
            len = 0;
            return false;
        }
        pos = 0;
        len = n;
        return true;
    }

    /** @throws UnsupportedOperationException always: this reader only reads lines */
    @Override
    public int read() {
        throw new UnsupportedOperationException("AsciiLineReader only reads lines");
    }

    /** @throws UnsupportedOperationException always: this reader only reads lines */
    @Override
    public int read(char[] cbuf, int off, int n) {
        throw new UnsupportedOperationException("AsciiLineReader only reads lines");
    }

    /** Closes the input; idempotent. */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            in.close();
        }
    }
}
