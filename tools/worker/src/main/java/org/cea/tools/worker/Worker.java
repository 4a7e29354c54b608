package org.cea.tools.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.cea.redisio.Backoff;
import org.cea.redisio.DeadLetters;
import org.cea.redisio.LiveStateWriter;
import org.cea.redisio.RawEntry;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.RedisUnavailableException;
import org.cea.redisio.StreamConsumer;
import org.cea.redisio.StreamJanitor;
import org.cea.redisio.WorkerStatus;
import org.cea.tsdb.JobHealth;
import org.cea.tsdb.MessageRow;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.Rejection;
import org.cea.tsdb.StoreUnavailableException;
import org.cea.tsdb.TsdbException;
import org.cea.tsdb.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The worker loop: per batch parse → decode → readings → live state and publish → one database
 * transaction → XACK. When the database is down it keeps the live keys current from new entries,
 * holds the first unwritten batch, leaves everything unacknowledged and retries with capped
 * backoff; when the database returns it writes the held batch, then re-reads and writes its
 * pending entries (idempotent writes; the live keys never go back in time). When Redis is down it
 * retries with capped backoff and re-reads its pending entries afterwards.
 *
 * <p>Runs on the caller's thread ({@link #run()}) until {@link #stop()}; the batch in progress is
 * finished and acknowledged first. Database writes run on one thread of the worker's own
 * ({@code can-worker-db}) so that, while a commit is slow (an fsync stall), the loop keeps reading
 * new entries and writing their live state; those entries are committed and acknowledged after
 * the commit in progress, in stream order.
 */
final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    /** How often the loop looks for new entries while a commit is in progress, ms. */
    private static final long COMMIT_POLL_MS = 2;
    private static final long DB_THREAD_STOP_MS = 10_000;
    /** How often the database's scheduled jobs are read for {@code worker:status} (not per batch), ms. */
    static final long JOBS_INTERVAL_MS = 60_000;

    private final WorkerSettings settings;
    private final UnifiedJedis jedis;
    private final DbSink db;
    private final BatchPreparer preparer;
    private final SequenceJudge judge;
    private final LongSupplier wallClockMillis;
    private final LongSupplier nanoClock;
    private final LiveStateWriter live;
    private final DeadLetters deadLetters;
    private final WorkerStatus status;
    private final Backoff dbBackoff;
    private final Backoff redisBackoff;
    private final Interval statusInterval;
    private final Interval janitorInterval;
    private final Interval trimInterval;
    private final Interval jobsInterval;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final WorkerCounters counters = new WorkerCounters();
    private final ExecutorService dbThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "can-worker-db");
        t.setDaemon(true);
        return t;
    });

    private StreamConsumer consumer;
    private StreamJanitor janitor;
    private BatchPreparer.Prepared held;
    /** Staged during a commit, not yet committed nor acknowledged (pending in Redis); see {@link #handleCarried}. */
    private final Deque<Staged> carried = new ArrayDeque<>();
    private long carriedDeadline;
    private boolean janitorAgain = true;
    /** Entries that may still be staged during commits of the current {@link #handle} call. */
    private int stageBudget;
    private long capLossSeen;
    private boolean statusWritten;
    private Future<JobHealth.Report> jobsRead;
    private boolean jobsStarted;
    private String jobsState = "";

    Worker(WorkerSettings settings, UnifiedJedis jedis, DbSink db, BatchPreparer preparer, SequenceJudge judge,
           LongSupplier wallClockMillis, LongSupplier nanoClock) {
        this.settings = settings;
        this.jedis = jedis;
        this.db = db;
        this.preparer = preparer;
        this.judge = judge;
        this.wallClockMillis = wallClockMillis;
        this.nanoClock = nanoClock;
        this.live = new LiveStateWriter(jedis, wallClockMillis);
        this.deadLetters = new DeadLetters(jedis);
        this.status = new WorkerStatus(jedis);
        this.dbBackoff = new Backoff(settings.retryInitialMs(), settings.retryMaxMs(), nanoClock);
        this.redisBackoff = new Backoff(settings.retryInitialMs(), settings.retryMaxMs(), nanoClock);
        this.statusInterval = new Interval(settings.statusIntervalMs(), nanoClock);
        this.janitorInterval = new Interval(settings.janitorIntervalMs(), nanoClock);
        this.trimInterval = new Interval(settings.trimIntervalMs(), nanoClock);
        this.jobsInterval = new Interval(JOBS_INTERVAL_MS, nanoClock);
    }

    /** Asks {@link #run()} to return after the batch in progress; callable from any thread. */
    void stop() {
        stopSignal.countDown();
    }

    private boolean stopping() {
        return stopSignal.getCount() == 0;
    }

    /** Counters so far (a snapshot). */
    WorkerCounters.View counters() {
        return counters.view();
    }

    /** Processes batches until {@link #stop()}; the sequence judge runs beside it on its own thread. */
    void run() {
        Thread judging = new Thread(this::judgeLoop, "can-worker-seq-judge");
        judging.setDaemon(true);
        judging.start();
        try {
            loop();
        } finally {
            stopDbThread();
            joinQuietly(judging);
        }
    }

    /**
     * Once per status period: the judge takes or keeps its lease and reads what was written since
     * (on its own thread, so a long backlog never holds up the worker's batches; it sleeps between turns).
     */
    private void judgeLoop() {
        boolean failing = false;
        while (!stopping()) {
            try {
                judge.judge();
                failing = false;
            } catch (RedisIoException e) {
                if (!failing) {
                    LOG.warn("sequence judge: {} (tries again every {} ms)", e.getMessage(), settings.statusIntervalMs());
                }
                failing = true;
            } catch (RuntimeException e) {
                LOG.error("sequence judge failed; lost-frame figures stop until the next turn", e);
            }
            await(settings.statusIntervalMs());
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(DB_THREAD_STOP_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        LOG.info("worker started: {}", settings);
        while (!stopping()) {
            try {
                if (consumer == null) {
                    consumer = StreamConsumer.create(jedis, settings.consumer());
                    janitor = new StreamJanitor(jedis, settings.consumer(), deadLetters);
                }
                step();
                if (redisBackoff.failures() > 0) {
                    LOG.info("redis is back after {} failed attempts", redisBackoff.failures());
                    redisBackoff.succeeded();
                }
            } catch (RedisIoException e) {
                redisFailed(e);
            }
        }
        if (!carried.isEmpty() && held == null) {
            int n = count(carried);
            try {
                handleCarried();
            } catch (RedisIoException e) {
                LOG.warn("{} entries staged at the stop were not acknowledged (they stay pending and are re-read"
                        + " on restart): {}", n, e.getMessage());
            }
        }
        try {
            reportStatus();
        } catch (RedisIoException e) {
            LOG.debug("final status not written", e);
        }
        LOG.info("worker stopped: {}", counters.view());
    }

    /** Every write was awaited before it returned, so the thread is idle here. */
    private void stopDbThread() {
        dbThread.shutdown();
        try {
            if (!dbThread.awaitTermination(DB_THREAD_STOP_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("database thread did not stop within {} ms", DB_THREAD_STOP_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void redisFailed(RedisIoException e) {
        counters.lastError = e.getMessage();
        long delay = redisBackoff.failed();
        if (e instanceof RedisUnavailableException) {
            LOG.warn("redis unavailable (attempt {}), retrying in {} ms: {}", redisBackoff.failures(), delay,
                    e.getMessage());
        } else {
            LOG.error("redis command failed (attempt {}), retrying in {} ms", redisBackoff.failures(), delay, e);
        }
        if (consumer != null) {
            consumer.rewind();
        }
        // still pending in Redis: re-read after the rewind
        carried.clear();
        await(delay);
    }

    private void step() {
        // the first status right away: can-api's /health reports the worker as failing until it exists
        if (!statusWritten || statusInterval.take()) {
            reportStatus();
        }
        if (held == null) {
            if (janitorAgain || janitorInterval.take()) {
                runJanitor();
            }
            if (trimInterval.take()) {
                consumer.trimAcknowledged();
            }
        } else if (dbBackoff.due()) {
            retryHeld();
        }
        if (!carried.isEmpty() && held == null) {
            handleCarried();
            return;
        }
        List<RawEntry> entries = consumer.next();
        if (!entries.isEmpty()) {
            // new entries only: this consumer's pending ones (after a restart or an outage) are catch-up
            handle(entries, !consumer.readingPending() && held == null);
        }
    }

    private void runJanitor() {
        StreamJanitor.Result r = janitor.run();
        counters.deadLettered += r.deadLettered();
        counters.lostEntries += r.lost();
        janitorAgain = !r.claimed().isEmpty();
        if (janitorAgain) {
            handle(r.claimed(), false);
        }
    }

    /**
     * One batch, and the new entries that arrive while it is committed. The live keys are written
     * before the database commit: live state does not depend on the database (it is kept current
     * during outages too), the write is idempotent and never goes back in time, and the
     * frame-to-live-key latency then excludes the commit. Entries read during a commit are
     * committed and acknowledged after it, in order; when the database turns out to be down they
     * stay pending (their live state is written) and are re-read once it is back. With {@code window}
     * the commit waits for the commit window first ({@link #gather}).
     */
    private void handle(List<RawEntry> entries, boolean window) {
        Deque<Staged> queue = new ArrayDeque<>();
        queue.add(stage(entries));
        if (window) {
            gather(queue, entries.size(), nanoClock.getAsLong() + settings.commitIntervalMs() * 1_000_000L);
        }
        commitQueue(queue, window);
    }

    /**
     * Entries staged while the previous commit was in progress (their live state is written), in a
     * window of their own that opened when that commit ended: they are committed with what arrives
     * until it closes, rather than in a small transaction right after the commit (which doubled the
     * commits at facility load, scripts/bench-facility.sh).
     */
    private void handleCarried() {
        Deque<Staged> queue = new ArrayDeque<>(carried);
        carried.clear();
        gather(queue, count(queue), carriedDeadline);
        commitQueue(queue, true);
    }

    /**
     * Commits the queue, staging entries that arrive during each commit; with {@code window},
     * what was staged during the first commit is carried into the next window ({@link #handleCarried})
     * unless it fills a batch or the worker is stopping.
     */
    private void commitQueue(Deque<Staged> queue, boolean window) {
        stageBudget = settings.consumer().batchSize();
        boolean first = true;
        while (!queue.isEmpty() && held == null) {
            if (!first && window && !stopping() && count(queue) < settings.consumer().batchSize()) {
                carried.addAll(queue);
                carriedDeadline = nanoClock.getAsLong() + settings.commitIntervalMs() * 1_000_000L;
                return;
            }
            first = false;
            Staged s = merged(queue);
            long t2 = nanoClock.getAsLong();
            try {
                commit(s.prepared(), queue);
            } catch (StoreUnavailableException e) {
                enterOutage(s.prepared(), e);
                return;
            }
            long t3 = nanoClock.getAsLong();
            consumer.ack(s.prepared().itemIds());
            counters.processed += s.prepared().items().size();
            counters.timed(s.prepareNanos(), t3 - t2, s.liveNanos(), nanoClock.getAsLong() - t3);
        }
    }

    private static int count(Deque<Staged> queue) {
        int n = 0;
        for (Staged s : queue) {
            n += s.prepared().items().size();
        }
        return n;
    }

    /**
     * The commit window ({@code --commit-interval-ms}): at a low rate a read returns a frame or two,
     * and a transaction per read was a WAL flush per frame (issue 20: 15 commits/s at facility load,
     * each an fsync on the SD card). New entries are read for up to the interval after the first
     * read, their live state written as each read returns (a blocking read that returns as soon as
     * entries arrive: no polling), and committed together. Nothing is acknowledged before that
     * commit, so a kill in the window leaves every entry of it pending, re-read on restart: the loss
     * bound is unchanged. A full batch ends the window, so under load nothing waits (the peak rate
     * is unchanged); a stop ends it too.
     */
    private void gather(Deque<Staged> queue, int count, long deadline) {
        int batch = settings.consumer().batchSize();
        while (count < batch && !stopping()) {
            long leftMs = (deadline - nanoClock.getAsLong()) / 1_000_000L;
            if (leftMs <= 0) {
                return;
            }
            List<RawEntry> more = consumer.pollNew(Math.min(leftMs, settings.consumer().blockMs()));
            if (!more.isEmpty()) {
                count += more.size();
                queue.add(stage(more));
            }
        }
    }

    /** A batch whose live state is written and whose unstorable entries are settled, ready to commit. */
    private record Staged(BatchPreparer.Prepared prepared, long prepareNanos, long liveNanos) {
    }

    /**
     * Takes every staged batch off the queue as one: the chunks read during a commit are small
     * (what arrived in a few ms), and one transaction per chunk made the commit overhead, not the
     * rows, the limit under load (bench-worker.sh: about 240 entries per transaction at 27 k/s).
     */
    private static Staged merged(Deque<Staged> queue) {
        Staged first = queue.poll();
        if (queue.isEmpty()) {
            return first;
        }
        List<BatchPreparer.Item> items = new ArrayList<>(first.prepared().items());
        long prepareNanos = first.prepareNanos();
        long liveNanos = first.liveNanos();
        while (!queue.isEmpty()) {
            Staged s = queue.poll();
            items.addAll(s.prepared().items());
            prepareNanos += s.prepareNanos();
            liveNanos += s.liveNanos();
        }
        // live updates, dead letters and lost entries were settled when each chunk was staged
        return new Staged(new BatchPreparer.Prepared(items, List.of(), List.of(), List.of()), prepareNanos, liveNanos);
    }

    private Staged stage(List<RawEntry> entries) {
        long t0 = nanoClock.getAsLong();
        BatchPreparer.Prepared p = preparer.prepare(entries);
        settleUnstorable(p);
        long t1 = nanoClock.getAsLong();
        live.write(p.live());
        return new Staged(p, t1 - t0, nanoClock.getAsLong() - t1);
    }

    /**
     * One database write on the database thread. While it runs and {@code staged} is given, new
     * entries are read without blocking and staged (live state written), up to one batch size per
     * {@link #handle} (so status, janitor and stop are not starved under load), so a slow commit
     * does not hold back live state.
     */
    private WriteResult write(List<MessageRow> messages, List<ReadingRow> readings, Deque<Staged> staged) {
        Future<WriteResult> f = dbThread.submit(() -> db.write(messages, readings));
        try {
            while (true) {
                try {
                    f.get(COMMIT_POLL_MS, TimeUnit.MILLISECONDS);
                    return result(f);
                } catch (ExecutionException e) {
                    return result(f);
                } catch (TimeoutException e) {
                    if (staged != null && stageBudget > 0 && !stopping() && !consumer.readingPending()) {
                        List<RawEntry> more = consumer.pollNew();
                        if (!more.isEmpty()) {
                            stageBudget -= more.size();
                            staged.add(stage(more));
                        }
                    }
                } catch (InterruptedException e) {
                    // finish the write in progress; the interrupt is restored below
                    stop();
                    Thread.currentThread().interrupt();
                    return result(f);
                }
            }
        } finally {
            awaitDone(f);
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

    /** Dead-letters unparseable entries and acknowledges trimmed ones, independently of the database. */
    private void settleUnstorable(BatchPreparer.Prepared p) {
        if (!p.bad().isEmpty()) {
            deadLetters.moveAndAck(settings.consumer().stream(), settings.consumer().group(), p.bad());
            counters.deadLettered += p.bad().size();
            counters.lastError = p.bad().get(p.bad().size() - 1).reason();
        }
        if (!p.lost().isEmpty()) {
            consumer.ack(p.lost());
            counters.lostEntries += p.lost().size();
            LOG.error("{} pending entries were trimmed before they were written: LOST ({}..)", p.lost().size(),
                    p.lost().get(0));
        }
    }

    /**
     * One transaction; a batch refused as a whole is written entry by entry and the refused ones
     * dead-lettered. New entries arriving meanwhile are staged on {@code staged} (null: none are read).
     */
    private void commit(BatchPreparer.Prepared p, Deque<Staged> staged) {
        if (p.items().isEmpty()) {
            return;
        }
        WriteResult r;
        try {
            r = write(p.messages(), p.readings(), staged);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (TsdbException e) {
            LOG.warn("database refused a batch of {} ({}); writing entry by entry", p.items().size(), e.getMessage());
            commitOneByOne(p);
            return;
        }
        settleRejected(p, r);
    }

    private void commitOneByOne(BatchPreparer.Prepared p) {
        List<DeadLetters.Letter> refused = new ArrayList<>();
        for (BatchPreparer.Item item : p.items()) {
            try {
                WriteResult r = write(List.of(item.message()), item.readings(), null);
                if (!r.rejected().isEmpty()) {
                    refused.add(new DeadLetters.Letter(item.id(), item.fields(), "database rejected: " + r.rejected().get(0).describe()));
                }
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (TsdbException e) {
                refused.add(new DeadLetters.Letter(item.id(), item.fields(), "database rejected: " + e.getMessage()));
            }
        }
        refuseUnlessSystemic(p, refused);
        deadLetter(refused);
    }

    /**
     * Dead-letters the entry behind each row the database refused. A refused reading dead-letters
     * its entry too (its message row is stored; a replay of the letter skips it): the reading would
     * otherwise be acknowledged and lost.
     */
    private void settleRejected(BatchPreparer.Prepared p, WriteResult r) {
        if (r.rejected().isEmpty()) {
            return;
        }
        Map<String, DeadLetters.Letter> refused = new LinkedHashMap<>();
        for (Rejection rej : r.rejected()) {
            BatchPreparer.Item item = p.owner(rej);
            refused.putIfAbsent(item.id(), new DeadLetters.Letter(item.id(), item.fields(),
                    "database rejected " + rej.describe()));
        }
        List<DeadLetters.Letter> letters = new ArrayList<>(refused.values());
        refuseUnlessSystemic(p, letters);
        deadLetter(letters);
    }

    /**
     * A database that refuses every row of a batch of several (permissions, a broken schema) has a
     * problem of its own: retry later rather than dead-letter good data.
     */
    private static void refuseUnlessSystemic(BatchPreparer.Prepared p, List<DeadLetters.Letter> refused) {
        if (p.items().size() > 1 && refused.size() == p.items().size()) {
            throw new StoreUnavailableException("database refused all " + refused.size() + " rows of a batch, e.g. "
                    + refused.get(0).reason(), null);
        }
    }

    private void deadLetter(List<DeadLetters.Letter> letters) {
        if (!letters.isEmpty()) {
            deadLetters.moveAndAck(settings.consumer().stream(), settings.consumer().group(), letters);
            counters.deadLettered += letters.size();
            counters.lastError = letters.get(letters.size() - 1).reason();
        }
    }

    private void enterOutage(BatchPreparer.Prepared p, StoreUnavailableException e) {
        held = p;
        counters.dbDown = true;
        counters.lastError = e.getMessage();
        long delay = dbBackoff.failed();
        consumer.skipPending();
        LOG.warn("database unavailable; holding {} entries unacknowledged, live state continues, retry in {} ms: {}",
                p.items().size(), delay, e.getMessage());
    }

    private void retryHeld() {
        try {
            commit(held, null);
        } catch (StoreUnavailableException e) {
            long delay = dbBackoff.failed();
            counters.lastError = e.getMessage();
            LOG.warn("database still unavailable (attempt {}), retry in {} ms: {}", dbBackoff.failures(), delay,
                    e.getMessage());
            return;
        }
        consumer.ack(held.itemIds());
        counters.processed += held.items().size();
        LOG.info("database is back after {} attempts; catching up on pending entries", dbBackoff.failures());
        held = null;
        counters.dbDown = false;
        dbBackoff.succeeded();
        consumer.rewind();
    }

    private void reportStatus() {
        if (consumer != null) {
            checkCapLoss();
        }
        long pending = consumer == null ? 0 : consumer.pendingCount();
        long lag = consumer == null ? -1 : consumer.lag();
        WorkerStatus.Snapshot s = counters.snapshot(settings.consumer().consumer(), pending, lag,
                preparer.invalidReadings(), judge.lostFramesByNode(), wallClockMillis.getAsLong(),
                nanoClock.getAsLong());
        LOG.info("processed={} rate={}/s pending={} lag={} dead_lettered={} invalid_readings={} lost_frames={} "
                + "lost_entries={} db={} batch_ms[prepare/db/live/ack]={}{}", s.processed(), String.format(java.util.Locale.ROOT, "%.0f", s.ratePerSec()),
                s.pending(), s.lag(), s.deadLettered(), s.invalidReadings(), s.lostFramesTotal(), s.lostEntries(),
                s.dbState(), counters.takeTimings(), s.lastError().isEmpty() ? "" : " last_error=" + s.lastError());
        status.publish(s);
        statusWritten = true;
        reportJobs();
    }

    /**
     * The database's job health, read on the database thread once a minute (and at start) and
     * written to {@code worker:status} when the read is done; not while the database is down.
     */
    private void reportJobs() {
        if (jobsRead != null && jobsRead.isDone()) {
            String json;
            try {
                JobHealth.Report r = jobsRead.get();
                json = DbJobsJson.render(r);
                String state = r.state().label() + ":" + r.reason();
                if (!state.equals(jobsState)) {
                    if (r.state() == JobHealth.State.DEGRADED) {
                        LOG.warn("database jobs degraded: {}", r.reason());
                    } else {
                        LOG.info("database jobs {}{}", r.state().label(), r.reason().isEmpty() ? "" : ": " + r.reason());
                    }
                    jobsState = state;
                }
            } catch (ExecutionException e) {
                json = DbJobsJson.unknown("database jobs not readable: " + e.getCause().getMessage(),
                        wallClockMillis.getAsLong());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            jobsRead = null;
            status.publishDbJobs(json);
        }
        if (jobsRead == null && held == null && (!jobsStarted || jobsInterval.take()) && !dbThread.isShutdown()) {
            jobsStarted = true;
            jobsRead = dbThread.submit(db::jobHealth);
        }
    }

    /** Entries the writer's MAXLEN cap trimmed before this group read them: loss, reported loudly. */
    private void checkCapLoss() {
        long trimmed = consumer.trimmedUndelivered();
        if (trimmed > capLossSeen) {
            long more = trimmed - capLossSeen;
            counters.lostEntries += more;
            counters.lastError = trimmed + " entries trimmed from " + settings.consumer().stream()
                    + " by its memory cap before they were read: LOST";
            LOG.error("{} more entries were trimmed from {} by its memory cap before this worker read them: LOST "
                    + "(the worker is too slow or was down too long; raise the scanner's --maxlen)", more,
                    settings.consumer().stream());
        }
        capLossSeen = trimmed;
    }

    private void await(long ms) {
        try {
            stopSignal.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
    }
}
