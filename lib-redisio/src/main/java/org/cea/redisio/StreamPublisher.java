package org.cea.redisio;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.cea.candecode.CanFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames to the stream with batching, fallback and replay, driven by one caller thread (this
 * type owns none): {@link #add} assigns each frame an explicit, increasing entry id and sends a
 * batch when it is full; {@link #poll} sends a partial batch once it is
 * {@link StreamWriterSettings#flushIntervalMs()} old, reconnects with capped exponential backoff
 * and replays the spool. While Redis is unavailable, or while the spool still holds entries,
 * batches go to the {@link Spool} (one fsync per batch), so entries reach the stream in order and,
 * thanks to the explicit ids, exactly once even when a batch is re-sent after a broken connection.
 * A full batch is sent without waiting for its replies, which are read after the next batch has
 * been sent (one batch in flight), so encoding overlaps Redis's work; {@link #flush()},
 * {@link #poll()} when idle and {@link #close()} wait for every reply. On a broken connection the
 * batches in flight are spooled first, keeping the order. Every reply is checked: entries Redis
 * refuses (out of memory, MISCONF) are counted, spooled and sent again after a backoff; one that
 * an accepted entry has passed gets a new id, since its own is below the stream's top and a
 * re-send would be taken for a duplicate.
 * Counters may be read from other threads through {@link #stats()}.
 */
public final class StreamPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPublisher.class);

    /**
     * A snapshot of the counters.
     *
     * @param added        frames handed to {@link #add}
     * @param written      entries added to the stream (including replayed ones)
     * @param duplicates   entries Redis already had (re-sent after a broken connection)
     * @param spooled      entries written to the spool
     * @param replayed     spooled entries sent to the stream
     * @param spoolDepth   entries waiting in the spool
     * @param lost         frames lost because the spool could not be written
     * @param connected    a Redis connection is up
     * @param streamLength stream length after the last batch
     * @param capHits      batches after which the stream was at its MAXLEN cap (data at risk)
     * @param lastError    last error message, or null
     * @param spoolBad     (additive) spool lines that were not entries (damage), skipped and moved to
     *                     {@link Spool#QUARANTINE_FILE_NAME}
     * @param refused      (additive) entries Redis refused (out of memory, MISCONF, ...); they were
     *                     spooled and sent again, under new ids where accepted entries had passed them
     */
    public record Stats(long added, long written, long duplicates, long spooled, long replayed, long spoolDepth,
                        long lost, boolean connected, long streamLength, long capHits, String lastError,
                        long spoolBad, long refused) {
        /** The counters without the additive ones (zero). */
        public Stats(long added, long written, long duplicates, long spooled, long replayed, long spoolDepth,
                     long lost, boolean connected, long streamLength, long capHits, String lastError) {
            this(added, written, duplicates, spooled, replayed, spoolDepth, lost, connected, streamLength, capHits,
                    lastError, 0, 0);
        }
    }

    private final StreamWriterSettings settings;
    private final LongSupplier nanoTime;
    private final LongSupplier wallMillis;
    private final EntryIdGenerator ids = new EntryIdGenerator();
    private final PublisherCounters counters = new PublisherCounters();
    private final PublisherSpool spool;
    private final PublisherLink link;
    private final Refusals refusals;
    private final ArrayDeque<List<FrameEntry>> inFlight = new ArrayDeque<>();
    private List<FrameEntry> batch;
    private long batchStartNs;
    private boolean closed;

    /**
     * Does not connect yet: the first {@link #add} or {@link #poll} does.
     *
     * @param redis      connection settings
     * @param settings   stream, cap, batch, flush interval, backoff
     * @param spool      an open spool (owned by the caller, which closes it after this)
     * @param nanoTime   monotonic clock, nanoseconds (flush timing and backoff)
     * @param wallMillis wall clock, Unix milliseconds (entry ids)
     */
    public StreamPublisher(RedisConfig redis, StreamWriterSettings settings, Spool spool, LongSupplier nanoTime,
                           LongSupplier wallMillis) {
        Objects.requireNonNull(redis, "redis");
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(spool, "spool");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.wallMillis = Objects.requireNonNull(wallMillis, "wallMillis");
        this.batch = new ArrayList<>(settings.batchSize());
        Backoff backoff = new Backoff(settings.backoffInitialMs(), settings.backoffMaxMs(), nanoTime);
        if (spool.lastEntryId() != null) {
            ids.advancePast(spool.lastEntryId());
        }
        this.spool = new PublisherSpool(spool, counters);
        this.link = new PublisherLink(redis, settings, counters, this.spool, backoff);
        this.refusals = new Refusals(counters, nanoTime);
    }

    /**
     * Queues one frame; sends (or spools) the batch when it reaches the batch size.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public void add(CanFrame frame) {
        if (closed) {
            throw new IllegalStateException("stream publisher is closed");
        }
        if (batch.isEmpty()) {
            batchStartNs = nanoTime.getAsLong();
        }
        batch.add(ids.nextEntry(wallMillis.getAsLong(), frame));
        counters.added++;
        if (batch.size() >= settings.batchSize()) {
            sendBatch();
        }
    }

    /**
     * Does what is due: reconnect after the backoff, replay one chunk of the spool, send a
     * partial batch that has waited the flush interval.
     */
    public void poll() {
        if (closed) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (link.reconnectDue()) {
            link.connect(ids, refusals.refusing());
        }
        if (link.writer() != null && !spool.isEmpty()) {
            replayChunk();
        }
        if (!batch.isEmpty() && now - batchStartNs >= settings.flushIntervalMs() * 1_000_000L) {
            flush();
        }
        if (batch.isEmpty() && !inFlight.isEmpty()) {
            drain();
        }
    }

    /** Nanoseconds until {@link #poll} has something to do (0 when now; capped at one second). */
    public long nanosUntilDue() {
        long now = nanoTime.getAsLong();
        long due = 1_000_000_000L;
        if (!batch.isEmpty()) {
            due = Math.min(due, batchStartNs + settings.flushIntervalMs() * 1_000_000L - now);
        }
        if (link.writer() == null) {
            due = Math.min(due, link.remainingNanos());
        } else if (!spool.isEmpty() || (batch.isEmpty() && !inFlight.isEmpty())) {
            due = 0;
        }
        return Math.max(0, due);
    }

    /**
     * Sends the current batch now and waits for Redis to confirm every batch sent: to the stream
     * when connected and the spool is empty, else to the spool.
     */
    public void flush() {
        sendBatch();
        if (link.writer() != null && !inFlight.isEmpty()) {
            drain();
        }
    }

    /** Sends the batch, leaving its replies to be read after the next batch is sent (overlap). */
    private void sendBatch() {
        if (batch.isEmpty()) {
            return;
        }
        if (link.reconnectDue() && !closed) {
            link.connect(ids, refusals.refusing());
        }
        if (link.writer() != null && !spool.isEmpty()) {
            replayChunk();
        }
        if (link.writer() != null && spool.isEmpty()) {
            try {
                link.writer().send(batch);
                inFlight.addLast(batch);
                batch = new ArrayList<>(settings.batchSize());
                while (inFlight.size() > 1) {
                    receiveOldest();
                }
                settleIfRefused();
                return;
            } catch (RedisIoException e) {
                disconnected(e);
            }
        }
        spoolBatch(batch);
        batch.clear();
    }

    /** Reads the replies of every batch still in flight. */
    private void drain() {
        try {
            while (!inFlight.isEmpty()) {
                receiveOldest();
            }
            settleIfRefused();
        } catch (RedisIoException e) {
            disconnected(e);
        }
    }

    private void receiveOldest() {
        StreamWriter.BatchResult r = link.writer().receive(inFlight.peekFirst());
        inFlight.removeFirst();
        counters.record(r, settings, nanoTime.getAsLong());
        refusals.received(r);
    }

    /**
     * After Redis refused entries: reads the replies of the rest of the window, spools what was
     * refused and backs off (the connection is closed; batches go to the spool meanwhile).
     */
    private void settleIfRefused() {
        if (refusals.isEmpty()) {
            return;
        }
        while (!inFlight.isEmpty()) {
            receiveOldest();
        }
        spoolRefused();
        link.down();
    }

    /**
     * Spools the refused entries of the window, then the batches still in flight (outcome
     * unknown). A refused entry that an accepted one has passed is below the stream's top and
     * would be taken for a duplicate ({@link Refusals#take}): it is spooled last, under a new id,
     * and so is the batch being filled, so the spool stays in id order.
     */
    private void spoolRefused() {
        Refusals.Split split = refusals.take();
        spool.append(split.keep());
        spoolInFlight();
        spool.append(renumbered(split.behind()));
        batch = renumbered(batch);
        refusals.report(split.keep().size() + split.behind().size(), split.behind().size(), split.first(),
                link.nextDelayMs());
    }

    /** The frames under new ids from the generator (above every id handed out so far), in order. */
    private List<FrameEntry> renumbered(List<FrameEntry> entries) {
        List<FrameEntry> out = new ArrayList<>(Math.max(entries.size(), settings.batchSize()));
        for (FrameEntry e : entries) {
            out.add(ids.nextEntry(wallMillis.getAsLong(), e.frame()));
        }
        return out;
    }

    /**
     * Spools what is still in flight (older) and then {@code entries}: their replies are lost with
     * the connection, so they are sent again from the spool, where the explicit ids make a second
     * copy impossible.
     */
    private void spoolBatch(List<FrameEntry> entries) {
        spoolInFlight();
        spool.append(entries);
    }

    private void spoolInFlight() {
        while (!inFlight.isEmpty()) {
            spool.append(inFlight.removeFirst());
        }
    }

    private void replayChunk() {
        drain();
        if (link.writer() == null) {
            return;
        }
        List<FrameEntry> chunk = spool.peek(settings.replayChunk());
        if (chunk.isEmpty()) {
            return;
        }
        try {
            StreamWriter.BatchResult r = link.writer().write(chunk);
            counters.record(r, settings, nanoTime.getAsLong());
            counters.replayed += r.written();
            if (!r.refused().isEmpty()) {
                replayRefused(chunk, r);
                return;
            }
            refusals.accepted(r);
            spool.consume(chunk.size());
            if (spool.isEmpty()) {
                LOG.info("spool replayed into {}; spool truncated", settings.stream());
            }
        } catch (SpoolException e) {
            counters.lastError = e.getMessage();
            LOG.error("spool {}: {}", spool.file(), e.getMessage(), e);
        } catch (RedisIoException e) {
            disconnected(e);
        }
    }

    /**
     * Redis refused part of a replayed chunk: the refused tail after the last entry now in the
     * stream stays in the spool; refused entries before it are appended under new ids (their old
     * ids are below the top now) before the chunk is consumed, so a kill in between loses nothing.
     */
    private void replayRefused(List<FrameEntry> chunk, StreamWriter.BatchResult r) {
        List<FrameEntry> behind = r.refused().subList(0, r.refusedBehind());
        int tail = r.refused().size() - r.refusedBehind();
        spool.append(renumbered(behind));
        spool.consume(chunk.size() - tail);
        batch = renumbered(batch);
        refusals.report(r.refused().size(), behind.size(), r.refusal(), link.nextDelayMs());
        link.down();
    }

    private void disconnected(RedisIoException e) {
        if (!refusals.isEmpty()) {
            spoolRefused();
        }
        counters.lastError = e.getMessage();
        spoolInFlight();
        LOG.warn("Redis write failed ({}); spooling to {} and reconnecting", e.getMessage(), spool.file());
        link.down();
    }

    /** A snapshot of the counters; safe from any thread. */
    public Stats stats() {
        return counters.snapshot();
    }

    /** Flushes the batch (to Redis, or to the spool) and closes the connection; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flush();
            if (link.writer() != null) {
                drain();
            }
        } finally {
            closed = true;
            link.close();
        }
    }
}
