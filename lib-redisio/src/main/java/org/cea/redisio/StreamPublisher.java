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
    private static final long CAP_WARN_INTERVAL_NS = 60_000_000_000L;

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

    private final RedisConfig redis;
    private final StreamWriterSettings settings;
    private final Spool spool;
    private final LongSupplier nanoTime;
    private final LongSupplier wallMillis;
    private final EntryIdGenerator ids = new EntryIdGenerator();
    private final ArrayDeque<List<FrameEntry>> inFlight = new ArrayDeque<>();
    private List<FrameEntry> batch;
    private StreamWriter writer;
    private long batchStartNs;
    /** Reconnect pacing: due while connected; after a failure or refusal, when the next connect may be tried. */
    private final Backoff backoff;
    private long lastCapWarnNs;
    private boolean closed;
    private boolean downLogged;
    private volatile long added;
    private volatile long written;
    private volatile long duplicates;
    private volatile long spooled;
    private volatile long replayed;
    private volatile long lost;
    private volatile long streamLength;
    private volatile long capHits;
    private volatile long spoolDepth;
    private volatile long spoolBad;
    private volatile long refused;
    /** Results from the first batch with a refused entry on, until its window has been received. */
    private final List<StreamWriter.BatchResult> refusedWindow = new ArrayList<>();
    /** Redis refused writes and has not accepted a batch since: keep backing off. */
    private boolean refusing;
    private long lastRefusalLogNs;
    private volatile boolean connected;
    private volatile String lastError;

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
        this.redis = Objects.requireNonNull(redis, "redis");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.wallMillis = Objects.requireNonNull(wallMillis, "wallMillis");
        this.batch = new ArrayList<>(settings.batchSize());
        this.backoff = new Backoff(settings.backoffInitialMs(), settings.backoffMaxMs(), nanoTime);
        if (spool.lastEntryId() != null) {
            ids.advancePast(spool.lastEntryId());
        }
        this.spoolDepth = spool.depth();
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
        added++;
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
        if (writer == null && backoff.due()) {
            tryConnect();
        }
        if (writer != null && !spool.isEmpty()) {
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
        if (writer == null) {
            due = Math.min(due, backoff.remainingNanos());
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
        if (writer != null && !inFlight.isEmpty()) {
            drain();
        }
    }

    /** Sends the batch, leaving its replies to be read after the next batch is sent (overlap). */
    private void sendBatch() {
        if (batch.isEmpty()) {
            return;
        }
        if (writer == null && backoff.due() && !closed) {
            tryConnect();
        }
        if (writer != null && !spool.isEmpty()) {
            replayChunk();
        }
        if (writer != null && spool.isEmpty()) {
            try {
                writer.send(batch);
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
        StreamWriter.BatchResult r = writer.receive(inFlight.peekFirst());
        inFlight.removeFirst();
        record(r);
        if (!r.refused().isEmpty() || !refusedWindow.isEmpty()) {
            refusedWindow.add(r);
        } else if (r.written() > 0) {
            refusing = false;
        }
    }

    /**
     * After Redis refused entries: reads the replies of the rest of the window, spools what was
     * refused and backs off (the connection is closed; batches go to the spool meanwhile).
     */
    private void settleIfRefused() {
        if (refusedWindow.isEmpty()) {
            return;
        }
        while (!inFlight.isEmpty()) {
            receiveOldest();
        }
        spoolRefused();
        backOff();
    }

    /**
     * Spools the refused entries of {@link #refusedWindow}, then the batches still in flight
     * (outcome unknown). A refused entry that an accepted one has passed (a later entry of its
     * batch, or any entry of a later batch, is in the stream) is below the stream's top and would
     * be taken for a duplicate: it is spooled last, under a new id, and so is the batch being
     * filled, so the spool stays in id order.
     */
    private void spoolRefused() {
        List<FrameEntry> keep = new ArrayList<>();
        List<FrameEntry> behind = new ArrayList<>();
        String first = null;
        for (int k = 0; k < refusedWindow.size(); k++) {
            StreamWriter.BatchResult r = refusedWindow.get(k);
            boolean passed = false;
            for (int j = k + 1; j < refusedWindow.size(); j++) {
                passed |= refusedWindow.get(j).anyInStream();
            }
            int cut = passed ? r.refused().size() : r.refusedBehind();
            behind.addAll(r.refused().subList(0, cut));
            keep.addAll(r.refused().subList(cut, r.refused().size()));
            first = first == null ? r.refusal() : first;
        }
        refusedWindow.clear();
        spoolOne(keep);
        while (!inFlight.isEmpty()) {
            spoolOne(inFlight.removeFirst());
        }
        spoolOne(renumbered(behind));
        batch = renumbered(batch);
        reportRefused(keep.size() + behind.size(), behind.size(), first);
    }

    /** The frames under new ids from the generator (above every id handed out so far), in order. */
    private List<FrameEntry> renumbered(List<FrameEntry> entries) {
        List<FrameEntry> out = new ArrayList<>(Math.max(entries.size(), settings.batchSize()));
        for (FrameEntry e : entries) {
            out.add(ids.nextEntry(wallMillis.getAsLong(), e.frame()));
        }
        return out;
    }

    private void reportRefused(int n, int renumbered, String first) {
        if (n == 0) {
            return;
        }
        refused += n;
        refusing = true;
        lastError = first;
        long now = nanoTime.getAsLong();
        if (lastRefusalLogNs == 0 || now - lastRefusalLogNs >= CAP_WARN_INTERVAL_NS / 6) {
            lastRefusalLogNs = now;
            LOG.error("Redis refused {} entries ({} refused since start; {} under new ids, as accepted entries had"
                    + " passed them): spooled, sending again after a backoff of {} ms. First refusal: {}", n, refused,
                    renumbered, backoff.nextDelayMs(), first);
        }
    }

    /** Closes the connection and schedules the next attempt with capped exponential backoff. */
    private void backOff() {
        downLogged = true;
        if (writer != null) {
            writer.close();
            writer = null;
        }
        connected = false;
        backoff.failed();
    }

    /**
     * Spools what is still in flight (older) and then {@code entries}: their replies are lost with
     * the connection, so they are sent again from the spool, where the explicit ids make a second
     * copy impossible.
     */
    private void spoolBatch(List<FrameEntry> entries) {
        while (!inFlight.isEmpty()) {
            spoolOne(inFlight.removeFirst());
        }
        spoolOne(entries);
    }

    private void spoolOne(List<FrameEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            spool.append(entries);
            spooled += entries.size();
        } catch (SpoolException e) {
            lost += entries.size();
            lastError = e.getMessage();
            LOG.error("DATA LOST: {} frames could not be spooled while Redis is unavailable: {}", entries.size(),
                    e.getMessage(), e);
        } finally {
            spoolDepth = spool.depth();
        }
    }

    private void replayChunk() {
        drain();
        if (writer == null) {
            return;
        }
        List<FrameEntry> chunk = peekChunk();
        if (chunk.isEmpty()) {
            return;
        }
        try {
            StreamWriter.BatchResult r = writer.write(chunk);
            record(r);
            replayed += r.written();
            if (!r.refused().isEmpty()) {
                replayRefused(chunk, r);
                return;
            }
            if (r.written() > 0) {
                refusing = false;
            }
            spool.consume(chunk.size());
            spoolDepth = spool.depth();
            if (spool.isEmpty()) {
                LOG.info("spool replayed into {}; spool truncated", settings.stream());
            }
        } catch (SpoolException e) {
            lastError = e.getMessage();
            LOG.error("spool {}: {}", spool.file(), e.getMessage(), e);
        } catch (RedisIoException e) {
            disconnected(e);
        }
    }

    /** The next chunk of the spool; empty when there is none or it cannot be read (logged). */
    private List<FrameEntry> peekChunk() {
        List<FrameEntry> chunk;
        try {
            chunk = spool.peek(settings.replayChunk());
        } catch (SpoolException e) {
            lastError = e.getMessage();
            LOG.error("spool replay stopped: {}", e.getMessage(), e);
            return List.of();
        } finally {
            spoolBad = spool.corruptLines();
        }
        if (chunk.isEmpty()) {
            spoolDepth = spool.depth();
        }
        return chunk;
    }

    /**
     * Redis refused part of a replayed chunk: the refused tail after the last entry now in the
     * stream stays in the spool; refused entries before it are appended under new ids (their old
     * ids are below the top now) before the chunk is consumed, so a kill in between loses nothing.
     */
    private void replayRefused(List<FrameEntry> chunk, StreamWriter.BatchResult r) {
        List<FrameEntry> behind = r.refused().subList(0, r.refusedBehind());
        int tail = r.refused().size() - r.refusedBehind();
        spoolOne(renumbered(behind));
        spool.consume(chunk.size() - tail);
        spoolDepth = spool.depth();
        batch = renumbered(batch);
        reportRefused(r.refused().size(), behind.size(), r.refusal());
        backOff();
    }

    private void record(StreamWriter.BatchResult r) {
        written += r.written();
        duplicates += r.duplicates();
        streamLength = r.streamLength();
        if (r.streamLength() >= settings.maxLen() - settings.maxLen() / 100) {
            capHits++;
            long now = nanoTime.getAsLong();
            if (capHits == 1 || now - lastCapWarnNs >= CAP_WARN_INTERVAL_NS) {
                lastCapWarnNs = now;
                LOG.warn("DATA AT RISK: stream {} holds {} entries, at its MAXLEN cap of {}: entries the worker has not"
                        + " consumed yet are being trimmed (is can-worker running?)", settings.stream(),
                        r.streamLength(), settings.maxLen());
            }
        }
    }

    private void tryConnect() {
        try {
            writer = StreamWriter.connect(redis, settings);
            ids.advancePast(writer.lastId());
            connected = true;
            if (!refusing) {
                backoff.succeeded();
            }
            downLogged = false;
            LOG.info("connected to {} (stream {} top {}); {} spooled frames to replay", redis.maskedUrl(),
                    settings.stream(), writer.lastId(), spool.depth());
        } catch (RedisIoException e) {
            writer = null;
            lastError = e.getMessage();
            long delayMs = backoff.failed();
            if (!downLogged) {
                LOG.warn("Redis unavailable ({}); spooling to {}, retrying with backoff up to {} ms", e.getMessage(),
                        spool.file(), settings.backoffMaxMs());
                downLogged = true;
            } else {
                LOG.debug("reconnect to {} failed, next attempt in {} ms: {}", redis.maskedUrl(), delayMs,
                        e.getMessage());
            }
        }
    }

    private void disconnected(RedisIoException e) {
        if (!refusedWindow.isEmpty()) {
            spoolRefused();
        }
        lastError = e.getMessage();
        while (!inFlight.isEmpty()) {
            spoolOne(inFlight.removeFirst());
        }
        LOG.warn("Redis write failed ({}); spooling to {} and reconnecting", e.getMessage(), spool.file());
        backOff();
    }

    /** A snapshot of the counters; safe from any thread. */
    public Stats stats() {
        return new Stats(added, written, duplicates, spooled, replayed, spoolDepth, lost, connected, streamLength,
                capHits, lastError, spoolBad, refused);
    }

    /** Flushes the batch (to Redis, or to the spool) and closes the connection; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flush();
            if (writer != null) {
                drain();
            }
        } finally {
            closed = true;
            if (writer != null) {
                writer.close();
                writer = null;
            }
        }
    }
}
