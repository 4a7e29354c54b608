package org.cea.tools.scanner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import org.cea.candecode.DecodeResult;
import org.cea.redisio.TimeSource;
import org.cea.tsdb.Store;
import org.cea.tsdb.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens what a {@link Scanner} run reads from and what its legacy database path writes to; every
 * failure is a {@link StartupException} with a one-line message for stderr.
 */
final class ScannerStartup {
    /** The scanner's logger: these lines were the scanner's before the split, and log filters name it. */
    private static final Logger LOG = LoggerFactory.getLogger(Scanner.class);

    /** A startup failure with a one-line message. */
    static final class StartupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ScannerStartup() {
    }

    /** The source named by {@code --source}: {@code socketcan:IF}, {@code candump:FILE} or the simulator. */
    static FrameSource openSource(ScannerOptions opt, TimeSource time) {
        String s = opt.source();
        try {
            if (s.startsWith("socketcan:")) {
                return SocketCanSource.open(s.substring("socketcan:".length()), 200, time.wallMicros());
            }
            if (s.startsWith("candump:")) {
                return CandumpSource.open(s.substring("candump:".length()), opt.speed(), opt.retime(), System::nanoTime,
                        time.wallMicros());
            }
            return new SimSource(new FacilitySimulator(opt.sim()), opt.simSpeed(), System::nanoTime, time.wallMicros());
        } catch (RuntimeException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    /**
     * The legacy direct write to {@code --db-url}, the body of the {@code scanner-db} thread. A
     * database that cannot be reached yet is retried in the background; one that holds rows the
     * worker wrote from the stream is refused (every frame would be stored twice).
     *
     * @param end the end marker the source loop puts on {@code queue}
     */
    static DbPath openDb(ScannerOptions opt, BlockingQueue<DecodeResult> queue, DecodeResult end) {
        String url = opt.dbUrl();
        String masked = Store.maskPasswords(url);
        createDirectory(url, masked);
        Store opened = null;
        try {
            opened = Store.open(url);
            if (opened.holdsStreamRows()) {
                String where = opened.toString();
                opened.close();
                throw refuseTheWorkersDatabase(where);
            }
            LOG.info("direct DB write to {} ({})", opened, opened.backend());
        } catch (StoreUnavailableException e) {
            LOG.warn("DB path: {} unavailable at start ({}); retrying in the background", masked, e.getMessage());
        } catch (StartupException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StartupException("--db-url: " + e.getMessage(), e);
        }
        return new DbPath(() -> Store.open(url), opened, masked, queue, end, opt.dbBatch(), opt.dbFlushMs(),
                System::nanoTime);
    }

    /** Creates the directory of a SQLite file, so that SQLite can create the file. */
    private static void createDirectory(String url, String masked) {
        Path file = sqliteFile(url);
        if (file != null && file.toAbsolutePath().getParent() != null) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new StartupException("--db-url " + masked + ": cannot create its directory (" + e.getMessage() + ")", e);
            }
        }
    }

    private static StartupException refuseTheWorkersDatabase(String where) {
        return new StartupException("--db-url " + where + " holds rows the worker wrote from the stream: it is the"
                + " worker's database, and the legacy direct write would store every frame a second time; point"
                + " --db-url / LEGACY_DB_URL at the legacy SQLite file or pass --no-db", null);
    }

    private static Path sqliteFile(String url) {
        if (url.startsWith("jdbc:sqlite:")) {
            return Path.of(url.substring("jdbc:sqlite:".length()));
        }
        if (url.contains("://") || url.startsWith("jdbc:")) {
            return null;
        }
        return Path.of(url);
    }
}
