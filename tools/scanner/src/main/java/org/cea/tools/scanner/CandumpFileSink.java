package org.cea.tools.scanner;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cea.candecode.CanFrame;
import org.cea.candecode.Candump;

/** Debug sink: every frame as a {@code candump -l} line, flushed within a few milliseconds. */
final class CandumpFileSink implements FrameSink {
    private static final long FLUSH_NS = 5_000_000L;
    private final Path file;
    private final String iface;
    private final BufferedWriter out;
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean dirty;

    /**
     * Creates or truncates {@code file}.
     *
     * @throws UncheckedIOException when it cannot be written
     */
    CandumpFileSink(Path file, String iface) {
        this.file = file;
        this.iface = iface;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("--sink candump:" + file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void add(CanFrame frame) {
        try {
            out.write(Candump.formatLine(frame, iface));
            out.write('\n');
            dirty = true;
        } catch (IOException e) {
            throw new UncheckedIOException("--sink candump:" + file + ": write failed", e);
        }
    }

    @Override
    public void poll() {
        if (dirty) {
            try {
                out.flush();
                dirty = false;
            } catch (IOException e) {
                throw new UncheckedIOException("--sink candump:" + file + ": flush failed", e);
            }
        }
    }

    @Override
    public long nanosUntilDue() {
        return dirty ? FLUSH_NS : 1_000_000_000L;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("--sink candump:" + file + ": close failed", e);
            }
        }
    }
}
