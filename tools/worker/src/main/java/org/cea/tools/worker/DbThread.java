package org.cea.tools.worker;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cea.tsdb.JobHealth;
import org.cea.tsdb.MessageRow;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's database thread ({@code can-worker-db}): every call to the {@link DbSink} runs on
 * it, one at a time, so that while a commit is slow (an fsync stall) the loop thread keeps reading
 * new entries and writing their live state. Used by the loop thread only.
 */
final class DbThread {
    private static final Logger LOG = LoggerFactory.getLogger(DbThread.class);
    /** How often the loop looks for new entries while a commit is in progress, ms. */
    private static final long COMMIT_POLL_MS = 2;
    /** How long {@link #stop()} waits for the thread, ms. */
    static final long STOP_MS = 10_000;

    private final DbSink db;
    private final Runnable stopRequest;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "can-worker-db");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param db          the database, used from the new thread only
     * @param stopRequest asks the worker to stop (an interrupt during a write becomes a stop)
     */
    DbThread(DbSink db, Runnable stopRequest) {
        this.db = db;
        this.stopRequest = stopRequest;
    }

    /**
     * One database write on the database thread; returns when it is done. While it runs,
     * {@code whileWaiting} (may be null) is called every {@value #COMMIT_POLL_MS} ms on the
     * caller's thread: the commit window stages new entries there, so a slow commit does not hold
     * back live state.
     *
     * @throws org.cea.tsdb.StoreUnavailableException nothing was committed; retry later
     * @throws org.cea.tsdb.TsdbException the batch was refused as bad data
     */
    WriteResult write(List<MessageRow> messages, List<ReadingRow> readings, Runnable whileWaiting) {
        Future<WriteResult> f = executor.submit(() -> db.write(messages, readings));
        try {
            while (true) {
                try {
                    f.get(COMMIT_POLL_MS, TimeUnit.MILLISECONDS);
                    return result(f);
                } catch (ExecutionException e) {
                    return result(f);
                } catch (TimeoutException e) {
                    if (whileWaiting != null) {
                        whileWaiting.run();
                    }
                } catch (InterruptedException e) {
                    // finish the write in progress; the interrupt is restored below
                    stopRequest.run();
                    Thread.currentThread().interrupt();
                    return result(f);
                }
            }
        } finally {
            awaitDone(f);
        }
    }

    /** Starts a read of the database's job health; null once the thread is stopped. */
    Future<JobHealth.Report> readJobHealth() {
        return executor.isShutdown() ? null : executor.submit(db::jobHealth);
    }

    /** Every write was awaited before it returned, so the thread is idle here (a job read may run). */
    void stop() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("database thread did not stop within {} ms", STOP_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The result of a write, waiting without interruption (the interrupt flag is kept). */
    private static WriteResult result(Future<WriteResult> f) {
        awaitDone(f);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading a finished write", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("database write failed: " + c, c);
        }
    }

    /** Waits until the write is done, so the database is never used by two writes at once. */
    private static void awaitDone(Future<WriteResult> f) {
        boolean interrupted = Thread.interrupted();
        while (!f.isDone()) {
            try {
                f.get();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
