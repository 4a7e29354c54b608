package org.cea.redisio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only local file of stream entries that could not be written to Redis, replayed in order
 * when Redis returns and then truncated. Each {@link #append} is one write plus one
 * {@code fsync}, so a kill -9 or power cut loses at most the batch being appended (a torn last
 * line is cut off when the spool is next opened). One line per entry ({@link SpoolLine}):
 * {@code <entryId> <tsMicros> <0xID> <dlc> <DATAHEX|-> <flags|->}. A line that is not an entry
 * (damage; also one over 256 KB) is skipped, counted and copied to {@value #QUARANTINE_FILE_NAME}
 * beside the spool, and replay goes on. The file is locked while open.
 * Owns no threads; not thread-safe.
 */
public final class Spool implements AutoCloseable {
    /** File name inside the spool directory. */
    public static final String FILE_NAME = "can-raw.spool";
    /** Side file in the spool directory where lines that cannot be replayed are kept (appended). */
    public static final String QUARANTINE_FILE_NAME = "can-raw.spool.bad";
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final int READ_CHUNK = 256 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final SpoolQuarantine quarantine;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long writeOffset;
    private long readOffset;
    private long depth;
    private long corrupt;
    private long corruptSeenTo;
    private String lastEntryId;
    private long[] peekEnds = new long[0];
    private int peekCount;

    private Spool(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.quarantine = new SpoolQuarantine(file);
    }

    /**
     * Opens (creating) {@code dir/can-raw.spool}, locks it, cuts off a torn last line and counts
     * the entries waiting to be replayed.
     *
     * @throws SpoolException when the directory cannot be created or written, or another process
     *                        holds the spool
     */
    public static Spool open(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel ch;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | SecurityException e) {
            throw new SpoolException("spool " + file + ": cannot create or open for writing (" + e + ")", e);
        }
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new SpoolException("spool " + file + " is in use by another process", null);
            }
            Spool s = new Spool(file, ch, lock);
            s.recover();
            return s;
        } catch (IOException | OverlappingFileLockException | SpoolException e) {
            try {
                ch.close();
            } catch (IOException c) {
                e.addSuppressed(c);
            }
            if (e instanceof SpoolException se) {
                throw se;
            }
            throw new SpoolException("spool " + file + ": cannot lock or read (" + e + ")", e);
        }
    }

    private void recover() throws IOException {
        long size = channel.size();
        writeOffset = size;
        long lastNewline = -1;
        ByteBuffer buf = ByteBuffer.allocate(READ_CHUNK);
        long pos = 0;
        long lineStart = 0;
        while (pos < size) {
            buf.clear();
            int n = channel.read(buf, pos);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) == '\n') {
                    lastNewline = pos + i;
                    depth++;
                    lineStart = pos + i + 1;
                }
            }
            pos += n;
        }
        if (lastNewline + 1 < size) {
            LOG.warn("spool {}: cut off a torn last line of {} bytes (written when the process died)", file,
                    size - lastNewline - 1);
            channel.truncate(lastNewline + 1);
            channel.force(true);
            writeOffset = lastNewline + 1;
        }
        if (depth > 0) {
            try {
                lastEntryId = SpoolLine.parse(readLineBefore(lineStart)).entryId();
            } catch (IllegalArgumentException e) {
                LOG.error("spool {}: last line is corrupt: {}", file, e.getMessage());
            }
            LOG.info("spool {}: {} frames waiting to be replayed, last entry {}", file, depth, lastEntryId);
        }
    }

    private String readLineBefore(long end) throws IOException {
        long start = Math.max(0, end - 512);
        ByteBuffer b = ByteBuffer.allocate((int) (end - start));
        channel.read(b, start);
        String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
        String t = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        return t.substring(t.lastIndexOf('\n') + 1);
    }

    /**
     * Appends entries in one write and syncs the file to disk before returning.
     *
     * @throws SpoolException when the write or the sync fails (disk full, I/O error); the file is
     *                        cut back to its previous length so no partial line stays behind
     */
    public void append(List<FrameEntry> entries) {
        ensureOpen();
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(entries.size() * 64);
        for (FrameEntry e : entries) {
            SpoolLine.format(e, sb);
        }
        ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII));
        long start = writeOffset;
        try {
            long pos = start;
            while (buf.hasRemaining()) {
                pos += channel.write(buf, pos);
            }
            channel.force(false);
            writeOffset = pos;
            depth += entries.size();
            lastEntryId = entries.get(entries.size() - 1).entryId();
        } catch (IOException e) {
            try {
                channel.truncate(start);
            } catch (IOException t) {
                e.addSuppressed(t);
            }
            throw new SpoolException("spool " + file + ": appending " + entries.size()
                    + " frames failed (disk full or I/O error); those frames are lost: " + e.getMessage(), e);
        }
    }

    /**
     * Up to {@code max} entries from the replay position, oldest first, without consuming them.
     * Corrupt lines are skipped, logged and counted.
     *
     * @throws SpoolException when the file cannot be read
     */
    public List<FrameEntry> peek(int max) {
        ensureOpen();
        List<FrameEntry> out = new ArrayList<>(Math.min(max, 4096));
        if (peekEnds.length < max) {
            peekEnds = new long[max];
        }
        peekCount = 0;
        long pos = readOffset;
        ByteBuffer buf = ByteBuffer.allocate(READ_CHUNK);
        try {
            while (out.size() < max && pos < writeOffset) {
                buf.clear();
                buf.limit((int) Math.min(READ_CHUNK, writeOffset - pos));
                int n = channel.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                long consumedTo = parseChunk(buf.array(), n, pos, max, out);
                if (consumedTo == pos && out.size() < max) {
                    consumedTo = skipLongLine(pos, out.isEmpty());
                }
                pos = consumedTo;
            }
        } catch (IOException e) {
            throw new SpoolException("spool " + file + ": reading at offset " + pos + " failed: " + e.getMessage(), e);
        }
        if (out.isEmpty() && writeOffset > 0 && readOffset >= writeOffset) {
            truncate();
        }
        return out;
    }

    private long parseChunk(byte[] b, int n, long base, int max, List<FrameEntry> out) {
        int lineStart = 0;
        for (int i = 0; i < n && out.size() < max; i++) {
            if (b[i] != '\n') {
                continue;
            }
            String line = new String(b, lineStart, i - lineStart, StandardCharsets.US_ASCII);
            long end = base + i + 1;
            try {
                out.add(SpoolLine.parse(line));
                peekEnds[peekCount++] = end;
            } catch (IllegalArgumentException e) {
                if (end > corruptSeenTo) {
                    corruptSeenTo = end;
                    corrupt++;
                    depth--;
                    LOG.error("spool {}: skipping corrupt line at offset {}, {}: {}", file, base + lineStart,
                            quarantine.keep(channel, base + lineStart, end), e.getMessage());
                }
                if (out.isEmpty()) {
                    readOffset = end;
                }
            }
            lineStart = i + 1;
        }
        return base + lineStart;
    }

    /**
     * A line of over {@link #READ_CHUNK} bytes starts at {@code start} (no spooled entry is that
     * long: it is damage): finds its end without holding it in memory, moves it to the quarantine
     * file once, counts it, and returns the offset after it.
     */
    private long skipLongLine(long start, boolean nothingBefore) throws IOException {
        long end = writeOffset;
        ByteBuffer b = ByteBuffer.allocate(READ_CHUNK);
        for (long at = start; at < writeOffset; at += b.position()) {
            b.clear();
            b.limit((int) Math.min(READ_CHUNK, writeOffset - at));
            int n = channel.read(b, at);
            if (n <= 0) {
                break;
            }
            int nl = indexOfNewline(b.array(), n);
            if (nl >= 0) {
                end = at + nl + 1;
                break;
            }
        }
        if (end > corruptSeenTo) {
            corruptSeenTo = end;
            corrupt++;
            depth--;
            LOG.error("spool {}: skipping a line of {} bytes at offset {} (longer than {}: damaged), {}", file,
                    end - start, start, READ_CHUNK, quarantine.keep(channel, start, end));
        }
        if (nothingBefore) {
            readOffset = end;
        }
        return end;
    }

    private static int indexOfNewline(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Marks the first {@code n} entries of the last {@link #peek} as replayed; when nothing is left,
     * truncates the file to zero and syncs it.
     *
     * @throws IllegalArgumentException when {@code n} exceeds what the last peek returned
     * @throws SpoolException           when truncation fails
     */
    public void consume(int n) {
        ensureOpen();
        if (n < 0 || n > peekCount) {
            throw new IllegalArgumentException("consume count must be 0.." + peekCount + ", was " + n);
        }
        if (n == 0) {
            return;
        }
        readOffset = peekEnds[n - 1];
        depth -= n;
        peekCount = 0;
        if (readOffset >= writeOffset) {
            truncate();
        }
    }

    private void truncate() {
        try {
            channel.truncate(0);
            channel.force(true);
            readOffset = 0;
            writeOffset = 0;
            depth = 0;
            corruptSeenTo = 0;
        } catch (IOException e) {
            throw new SpoolException("spool " + file + ": truncating after replay failed: " + e.getMessage(), e);
        }
    }

    /** Entries waiting to be replayed. */
    public long depth() {
        return depth;
    }

    /** True when nothing waits to be replayed. */
    public boolean isEmpty() {
        return readOffset >= writeOffset;
    }

    /** The last entry id ever appended (also from a previous process), or null. */
    public String lastEntryId() {
        return lastEntryId;
    }

    /** Corrupt lines skipped since open (too long, or not an entry). */
    public long corruptLines() {
        return corrupt;
    }

    /** Corrupt lines copied to {@link #QUARANTINE_FILE_NAME} since open. */
    public long quarantinedLines() {
        return quarantine.kept();
    }

    /** Bytes in the file not yet replayed. */
    public long pendingBytes() {
        return writeOffset - readOffset;
    }

    /** The spool file. */
    public Path file() {
        return file;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("spool " + file + " is closed");
        }
    }

    /** Syncs and closes the file, releasing the lock; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.force(true);
            lock.release();
        } catch (IOException e) {
            LOG.error("spool {}: sync on close failed: {}", file, e.getMessage(), e);
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("spool {}: close failed: {}", file, e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "Spool[" + file + ", depth=" + depth + "]";
    }
}
