package org.cea.tools.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads and converts the next batches on its own thread while the caller's thread loads the
 * previous one with COPY: SQLite reading, type conversion and JSON checks overlap with PostgreSQL's
 * insert work (two cores on a Raspberry Pi). At most {@value #AHEAD} batches are held ahead, so
 * memory stays bounded whatever the table size.
 */
final class BatchReader implements AutoCloseable {
    private static final int AHEAD = 2;
    private static final Object END = new Object();

    /** One converted batch: rows {@code (previous lastId, lastId]}. */
    record Batch(List<MessageRecord> messages, List<QuarantinedRow> quarantine, List<ReadingRecord> readings,
                 long lastId) {
    }

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread thread;

    /**
     * Starts reading rows {@code (afterId, upToId]} in batches of {@code size}; {@code tap} sees
     * every converted row in id order on the reader thread.
     */
    BatchReader(SqliteSource source, ReadingDeriver deriver, long afterId, long upToId, int size,
                java.util.function.Consumer<ConvertedRow> tap) {
        thread = new Thread(() -> produce(source, deriver, afterId, upToId, size, tap), "can-migrate-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(SqliteSource source, ReadingDeriver deriver, long afterId, long upToId, int size,
                         java.util.function.Consumer<ConvertedRow> tap) {
        long[] last = {afterId};
        try {
            while (!stopped.get()) {
                List<MessageRecord> messages = new ArrayList<>(size);
                List<QuarantinedRow> quarantine = new ArrayList<>();
                List<ReadingRecord> readings = new ArrayList<>();
                int n = source.readPage(last[0], upToId, size, r -> {
                    last[0] = r.id();
                    ConvertedRow c = RowConverter.convert(r);
                    tap.accept(c);
                    if (c instanceof MessageRecord m) {
                        messages.add(m);
                        readings.addAll(deriver.readings(m));
                    } else {
                        quarantine.add((QuarantinedRow) c);
                    }
                });
                if (n > 0) {
                    queue.put(new Batch(messages, quarantine, readings, last[0]));
                }
                if (n < size) {
                    break;
                }
            }
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            try {
                queue.put(e);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The next batch, or null after the last one.
     *
     * @throws MigrationException when reading failed (the reader's error as cause), or on interrupt
     */
    Batch next() {
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted while waiting for the SQLite reader", e);
        }
        if (o == END) {
            queue.offer(END);
            return null;
        }
        if (o instanceof MigrationException m) {
            throw m;
        }
        if (o instanceof RuntimeException e) {
            throw new MigrationException("reading the SQLite file failed: " + e.getMessage(), e);
        }
        return (Batch) o;
    }

    /** Stops the reader and waits up to 10 s for it; idempotent. */
    @Override
    public void close() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        thread.interrupt();
        queue.clear();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
