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
 * batches in flight are spooled first, keeping the order.
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
     */
    public record Stats(long added, long written, long duplicates, long spooled, long replayed, long spoolDepth,
                        long lost, boolean connected, long streamLength, long capHits, String lastError,
                        long spoolBad) {
        /** The counters without the additive ones (zero). */
        public Stats(long added, long written, long duplicates, long spooled, long replayed, long spoolDepth,
                     long lost, boolean connected, long streamLength, long capHits, String lastError) {
            this(added, written, duplicates, spooled, replayed, spoolDepth, lost, connected, streamLength, capHits,
                    lastError, 0);
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
    private long nextAttemptNs;
    private long backoffMs;
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
        this.backoffMs = settings.backoffInitialMs();
        this.nextAttemptNs = nanoTime.getAsLong();
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
        if (writer == null && now - nextAttemptNs >= 0) {
            tryConnect(now);
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
            due = Math.min(due, nextAttemptNs - now);
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
        long now = nanoTime.getAsLong();
        if (writer == null && now - nextAttemptNs >= 0 && !closed) {
            tryConnect(now);
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
        } catch (RedisIoException e) {
            disconnected(e);
        }
    }

    private void receiveOldest() {
        record(writer.receive(inFlight.peekFirst()));
        inFlight.removeFirst();
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
        List<FrameEntry> chunk;
        try {
            chunk = spool.peek(settings.replayChunk());
        } catch (SpoolException e) {
            lastError = e.getMessage();
            LOG.error("spool replay stopped: {}", e.getMessage(), e);
            return;
        } finally {
            spoolBad = spool.corruptLines();
        }
        if (chunk.isEmpty()) {
            spoolDepth = spool.depth();
            return;
        }
        try {
            StreamWriter.BatchResult r = writer.write(chunk);
            record(r);
            replayed += r.written();
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

    private void tryConnect(long now) {
        try {
            writer = StreamWriter.connect(redis, settings);
            ids.advancePast(writer.lastId());
            connected = true;
            backoffMs = settings.backoffInitialMs();
            downLogged = false;
            LOG.info("connected to {} (stream {} top {}); {} spooled frames to replay", redis.maskedUrl(),
                    settings.stream(), writer.lastId(), spool.depth());
        } catch (RedisIoException e) {
            writer = null;
            lastError = e.getMessage();
            nextAttemptNs = now + backoffMs * 1_000_000L;
            if (!downLogged) {
                LOG.warn("Redis unavailable ({}); spooling to {}, retrying with backoff up to {} ms", e.getMessage(),
                        spool.file(), settings.backoffMaxMs());
                downLogged = true;
            } else {
                LOG.debug("reconnect to {} failed, next attempt in {} ms: {}", redis.maskedUrl(), backoffMs,
                        e.getMessage());
            }
            backoffMs = Math.min(backoffMs * 2, settings.backoffMaxMs());
        }
    }

    private void disconnected(RedisIoException e) {
        lastError = e.getMessage();
        while (!inFlight.isEmpty()) {
            spoolOne(inFlight.removeFirst());
        }
        LOG.warn("Redis write failed ({}); spooling to {} and reconnecting", e.getMessage(), spool.file());
        downLogged = true;
        if (writer != null) {
            writer.close();
            writer = null;
        }
        connected = false;
        nextAttemptNs = nanoTime.getAsLong() + backoffMs * 1_000_000L;
        backoffMs = Math.min(backoffMs * 2, settings.backoffMaxMs());
    }

    /** A snapshot of the counters; safe from any thread. */
    public Stats stats() {
        return new Stats(added, written, duplicates, spooled, replayed, spoolDepth, lost, connected, streamLength,
                capHits, lastError, spoolBad);
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
