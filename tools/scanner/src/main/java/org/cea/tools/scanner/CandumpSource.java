package org.cea.tools.scanner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.cea.candecode.CanDecodeException;
import org.cea.candecode.CanFrame;
import org.cea.candecode.CandumpReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a {@code candump -l} log (a file or standard input). With a speed above 0 the gaps
 * between the log's timestamps are kept (divided by the speed); 0 replays as fast as possible.
 * Bad lines (malformed, not US-ASCII, longer than {@link CandumpReader#MAX_LINE_BYTES}) are
 * skipped, logged as {@code file:line} and counted; the replay goes on. Frames keep their logged reception time unless
 * {@code retime} stamps them with the wall clock.
 */
final class CandumpSource implements FrameSource {
    private static final Logger LOG = LoggerFactory.getLogger(CandumpSource.class);
    private final CandumpReader reader;
    private final String name;
    private final double speed;
    private final boolean retime;
    private final LongSupplier nanoTime;
    private final LongSupplier wallMicros;
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean eof;
    private long firstLogMicros = -1;
    private long startNs;
    private long loggedBad;
    private CanFrame held;

    private CandumpSource(CandumpReader reader, String name, double speed, boolean retime, LongSupplier nanoTime,
                          LongSupplier wallMicros) {
        this.reader = reader;
        this.name = name;
        this.speed = speed;
        this.retime = retime;
        this.nanoTime = nanoTime;
        this.wallMicros = wallMicros;
    }

    /**
     * Opens {@code path} ("-" for standard input).
     *
     * @throws UncheckedIOException when the file cannot be opened
     */
    static CandumpSource open(String path, double speed, boolean retime, LongSupplier nanoTime,
                              LongSupplier wallMicros) {
        InputStream in;
        if ("-".equals(path)) {
            in = System.in;
        } else {
            try {
                in = Files.newInputStream(Path.of(path));
            } catch (IOException e) {
                throw new UncheckedIOException("candump log " + path + ": cannot open (" + e.getMessage() + ")", e);
            }
        }
        return new CandumpSource(CandumpReader.ascii(in, true), path, speed, retime, nanoTime, wallMicros);
    }

    @Override
    public CanFrame next(long timeoutMs) throws InterruptedException {
        if (eof) {
            return null;
        }
        CanFrame f = held != null ? held : read();
        held = null;
        if (f == null) {
            return null;
        }
        if (speed > 0) {
            if (firstLogMicros < 0) {
                firstLogMicros = f.timestampMicros();
                startNs = nanoTime.getAsLong();
            }
            long due = startNs + (long) ((f.timestampMicros() - firstLogMicros) * 1000 / speed);
            long wait = due - nanoTime.getAsLong();
            if (wait > timeoutMs * 1_000_000L) {
                Thread.sleep(timeoutMs);
                held = f;
                return null;
            }
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            }
        }
        if (retime) {
            return new CanFrame(f.id(), f.extended(), f.rtr(), f.error(), f.fd(), f.fdFlags(), f.dlc(), f.data(),
                    wallMicros.getAsLong());
        }
        return f;
    }

    private CanFrame read() {
        try {
            CanFrame f = reader.next();
            if (reader.badLines() > loggedBad) {
                long more = reader.badLines() - loggedBad;
                loggedBad = reader.badLines();
                LOG.warn("{}:{}: skipped bad line{} ({} bad lines so far): {}", name, reader.lastError().lineNumber(),
                        more > 1 ? " (and " + (more - 1) + " before it since the last frame)" : "", loggedBad,
                        reader.lastError().getMessage());
            }
            if (f == null) {
                eof = true;
            }
            return f;
        } catch (CanDecodeException | UncheckedIOException e) {
            LOG.error("candump log {}: reading stopped at line {}: {}", name, reader.lineNumber(), e.getMessage());
            eof = true;
            return null;
        }
    }

    @Override
    public boolean exhausted() {
        return eof && held == null;
    }

    @Override
    public long errors() {
        return reader.badLines();
    }

    @Override
    public String interfaceName() {
        String i = reader.lastInterface();
        return i == null || i.isEmpty() ? "can0" : i;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            reader.close();
        }
    }
}
