package org.cea.tools.scanner;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.cea.candecode.DecodeResult;
import org.cea.redisio.Backoff;
import org.cea.tsdb.MessageRow;
import org.cea.tsdb.Store;
import org.cea.tsdb.StoreUnavailableException;
import org.cea.tsdb.TsdbException;
import org.cea.tsdb.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legacy direct write: decoded frames to {@code can_messages} exactly as the old scanner
 * wrote them (plain inserts, no source id), in batches, independent of the stream. While the
 * database is unavailable the batch is retried with capped exponential backoff and frames queue
 * up; when the queue is full the source drops DB rows and counts them (the stream still has them).
 * Rows gather for up to the flush interval after the first one, then go in one transaction (one
 * per frame rewrote the same index pages for every frame: issue 20); a full batch or the end
 * writes at once. Body of the {@code scanner-db} thread.
 */
final class DbPath implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DbPath.class);
    private static final long SHUTDOWN_RETRY_NS = 2_500_000_000L;

    private final Supplier<Store> opener;
    private final String url;
    private final BlockingQueue<DecodeResult> queue;
    private final DecodeResult end;
    private final int batchSize;
    private final long flushNanos;
    private final LongSupplier nanoTime;
    private Store store;
    private volatile long written;
    private volatile long rejected;
    private volatile long failures;
    private volatile long commits;
    private volatile boolean up;
    private volatile boolean unavailableLogged;

    /**
     * @param opener   opens the store (may throw {@link StoreUnavailableException})
     * @param url      for messages (password masked by the caller)
     * @param queue    decoded frames from the source thread; {@code end} marks the end
     * @param batch    rows per transaction
     * @param flushMs  how long rows gather after the first before their transaction, ms &gt;= 0
     * @param nanoTime monotonic clock
     */
    DbPath(Supplier<Store> opener, Store opened, String url, BlockingQueue<DecodeResult> queue, DecodeResult end,
           int batch, long flushMs, LongSupplier nanoTime) {
        this.opener = opener;
        this.store = opened;
        this.url = url;
        this.queue = queue;
        this.end = end;
        this.batchSize = batch;
        this.flushNanos = flushMs * 1_000_000L;
        this.nanoTime = nanoTime;
        this.up = opened != null;
    }

    @Override
    public void run() {
        List<MessageRow> rows = new ArrayList<>(batchSize);
        boolean ending = false;
        try {
            while (!ending) {
                DecodeResult r = queue.poll(200, TimeUnit.MILLISECONDS);
                long deadline = nanoTime.getAsLong() + flushNanos;
                while (r != null) {
                    if (r == end) {
                        ending = true;
                        break;
                    }
                    addRow(rows, r);
                    if (rows.size() >= batchSize) {
                        break;
                    }
                    r = queue.poll();
                    if (r == null) {
                        long left = deadline - nanoTime.getAsLong();
                        r = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                    }
                }
                if (!rows.isEmpty()) {
                    writeWithRetry(rows, ending ? nanoTime.getAsLong() + SHUTDOWN_RETRY_NS : Long.MAX_VALUE);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drainOnInterrupt(rows);
        } finally {
            if (!rows.isEmpty()) {
                LOG.error("DB path: {} frames not written to {} (database unavailable at shutdown)", rows.size(), url);
            }
            if (store != null) {
                store.close();
            }
        }
    }

    private void drainOnInterrupt(List<MessageRow> rows) {
        for (DecodeResult r = queue.poll(); r != null && r != end; r = queue.poll()) {
            addRow(rows, r);
        }
        try {
            writeWithRetry(rows, nanoTime.getAsLong() + SHUTDOWN_RETRY_NS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void addRow(List<MessageRow> rows, DecodeResult r) {
        try {
            rows.add(MessageRow.from(r, null));
        } catch (TsdbException e) {
            rejected++;
            LOG.error("DB path: frame {} cannot be stored: {}", r.frame(), e.getMessage());
        }
    }

    /** Writes the rows, retrying while unavailable until {@code deadlineNs}; clears the list when done. */
    private void writeWithRetry(List<MessageRow> rows, long deadlineNs) throws InterruptedException {
        Backoff backoff = new Backoff(100, 5_000, nanoTime);
        while (!rows.isEmpty()) {
            try {
                if (store == null) {
                    store = opener.get();
                }
                WriteResult w = store.writeBatch(rows, List.of());
                commits++;
                written += w.messagesWritten();
                rejected += w.rejectedCount();
                if (w.rejectedCount() > 0) {
                    LOG.error("DB path: {} rows rejected by {}: {}", w.rejectedCount(), url, w);
                }
                if (!up) {
                    LOG.info("DB path: {} is available again", url);
                }
                up = true;
                unavailableLogged = false;
                rows.clear();
            } catch (StoreUnavailableException e) {
                failures++;
                up = false;
                if (!unavailableLogged) {
                    LOG.warn("DB path: {} unavailable ({}); retrying with backoff, the stream path continues", url,
                            e.getMessage());
                    unavailableLogged = true;
                }
                if (nanoTime.getAsLong() + backoff.nextDelayMs() * 1_000_000L - deadlineNs > 0) {
                    return;
                }
                Thread.sleep(backoff.failed());
            } catch (TsdbException e) {
                rejected += rows.size();
                LOG.error("DB path: batch of {} rows refused by {}: {}", rows.size(), url, e.getMessage(), e);
                rows.clear();
            }
        }
    }

    /** Rows committed. */
    long written() {
        return written;
    }

    /** Transactions committed. */
    long commits() {
        return commits;
    }

    /** Rows refused as bad data. */
    long rejected() {
        return rejected;
    }

    /** Failed write attempts. */
    long failures() {
        return failures;
    }

    /** Last write succeeded. */
    boolean up() {
        return up;
    }
}
