package org.cea.redisio;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The side file ({@value Spool#QUARANTINE_FILE_NAME}) where the spool keeps lines it cannot replay:
 * each is appended as it was and synced, so the damage can be looked at after replay went on.
 * Not thread-safe.
 */
final class SpoolQuarantine {
    private final Path file;
    private long kept;

    /** The quarantine file beside {@code spool}. */
    SpoolQuarantine(Path spool) {
        this.file = spool.resolveSibling(Spool.QUARANTINE_FILE_NAME);
    }

    /**
     * Appends bytes {@code from..to} of {@code spool} to the quarantine file and syncs it; a failure
     * is reported, not thrown (the line is damaged either way, and replay must go on).
     *
     * @return where the line was kept, or why it could not be
     */
    String keep(FileChannel spool, long from, long to) {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (long at = from; at < to; ) {
                long n = spool.transferTo(at, to - at, out);
                if (n <= 0) {
                    throw new IOException("spool ended at offset " + at + " before " + to);
                }
                at += n;
            }
            out.force(false);
            kept++;
            return "kept in " + file;
        } catch (IOException e) {
            return "NOT kept in " + file + " (" + e.getMessage() + ")";
        }
    }

    /** Lines kept since the spool was opened. */
    long kept() {
        return kept;
    }
}
