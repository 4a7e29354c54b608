package org.cea.tools.scanner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link BufferedReader} for US-ASCII text whose {@link #readLine()} turns bytes straight into
 * (Latin-1, compact) strings: {@code candump} logs are ASCII, and the charset decoder plus the
 * char buffer of {@code Files.newBufferedReader} were a measurable part of the source thread at
 * max-speed replay (scripts/bench-scanner.sh). Lines end at {@code \n}, {@code \r} or
 * {@code \r\n}, as {@link BufferedReader#readLine()}; a byte above 0x7F fails the read with
 * {@link MalformedInputException}, as the strict US-ASCII decoder does. Only {@link #readLine()}
 * and {@link #close()} are supported (all {@link CandumpSource} needs). Not thread-safe.
 */
final class AsciiLineReader extends BufferedReader {
    private static final int BUFFER = 1 << 16;
    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private final AtomicBoolean closed = new AtomicBoolean();
    private byte[] partial = new byte[256];
    private int pos;
    private int len;
    private boolean skipLf;

    /** @param in the bytes; closed by {@link #close()} */
    AsciiLineReader(InputStream in) {
        super(Reader.nullReader(), 1);
        this.in = in;
    }

    /**
     * The next line without its terminator, or null at the end of the input.
     *
     * @throws MalformedInputException on a byte that is not US-ASCII
     * @throws IOException             when reading fails
     */
    @Override
    public String readLine() throws IOException {
        int plen = 0;
        while (true) {
            if (pos == len && !fill()) {
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
                    return line(plen, start, i);
                }
                if (b < 0) {
                    throw new MalformedInputException(1);
                }
            }
            int n = len - start;
            if (plen + n > partial.length) {
                partial = Arrays.copyOf(partial, Math.max(partial.length * 2, plen + n));
            }
            System.arraycopy(buf, start, partial, plen, n);
            plen += n;
            pos = len;
        }
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
