package org.cea.tools.worker;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * ({@link DbThread}) so that, while a commit is slow (an fsync stall), the loop keeps reading
 * new entries and writing their live state; those entries are committed and acknowledged after
 * the commit in progress, in stream order. The jobs: {@link CommitWindow} (staging, the commit
 * window, acknowledgement), {@link BatchCommitter} and {@link DeadLettering} (what the database
 * refuses), {@link DbOutage}, {@link StatusReporter} (with {@link CapLoss}); this class owns the
 * loop, the Redis retry, the janitor and the sequence judge's thread.
 */
final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    /** How long the end of {@link #run()} waits for the judge thread, ms. */
    private static final long THREAD_STOP_MS = 10_000;

    private final WorkerSettings settings;
    private final UnifiedJedis jedis;
    private final BatchPreparer preparer;
    private final SequenceJudge judge;
    private final LongSupplier nanoClock;
    private final LiveStateWriter live;
    private final DeadLetters deadLetters;
    private final WorkerCounters counters = new WorkerCounters();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final DbThread dbThread;
    private final DeadLettering deadLettering;
    private final BatchCommitter committer;
    private final StatusReporter reporter;
    private final Backoff redisBackoff;
    private final Interval janitorInterval;
    private final Interval trimInterval;

    /** Set together once Redis has answered (the consumer group exists); null before. */
    private StreamConsumer consumer;
    private StreamJanitor janitor;
    private DbOutage outage;
    private CommitWindow window;
    private boolean janitorAgain = true;

    Worker(WorkerSettings settings, UnifiedJedis jedis, DbSink db, BatchPreparer preparer, SequenceJudge judge,
           LongSupplier wallClockMillis, LongSupplier nanoClock) {
        this.settings = settings;
        this.jedis = jedis;
        this.preparer = preparer;
        this.judge = judge;
        this.nanoClock = nanoClock;
        this.live = new LiveStateWriter(jedis, wallClockMillis);
        this.deadLetters = new DeadLetters(jedis);
        this.dbThread = new DbThread(db, this::stop);
        this.deadLettering = new DeadLettering(deadLetters, settings, counters);
        this.committer = new BatchCommitter(dbThread, deadLettering);
        this.reporter = new StatusReporter(settings, new StatusReporter.Sources(new WorkerStatus(jedis), counters,
                preparer, judge, dbThread), wallClockMillis, nanoClock);
        this.redisBackoff = new Backoff(settings.retryInitialMs(), settings.retryMaxMs(), nanoClock);
        this.janitorInterval = new Interval(settings.janitorIntervalMs(), nanoClock);
        this.trimInterval = new Interval(settings.trimIntervalMs(), nanoClock);
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
            dbThread.stop();
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
            t.join(THREAD_STOP_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        LOG.info("worker started: {}", settings);
        while (!stopping()) {
            try {
                if (consumer == null) {
                    attach();
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
        commitCarriedAtStop();
        try {
            reporter.report(consumer, dbDown());
        } catch (RedisIoException e) {
            LOG.debug("final status not written", e);
        }
        LOG.info("worker stopped: {}", counters.view());
    }

    /** Joins the consumer group (the first Redis calls) and builds what works on its entries. */
    private void attach() {
        StreamConsumer c = StreamConsumer.create(jedis, settings.consumer());
        janitor = new StreamJanitor(jedis, settings.consumer(), deadLetters);
        outage = new DbOutage(settings, c, committer, counters, nanoClock);
        window = new CommitWindow(settings, new CommitWindow.Parts(c, preparer, live, committer, deadLettering,
                outage, counters), nanoClock, this::stopping);
        consumer = c;
    }

    private boolean dbDown() {
        return outage != null && outage.active();
    }

    /** Entries staged in the last commit are committed before the worker stops, unless the database is down. */
    private void commitCarriedAtStop() {
        if (window == null || dbDown()) {
            return;
        }
        int n = window.carriedCount();
        if (n == 0) {
            return;
        }
        try {
            window.handleCarried();
        } catch (RedisIoException e) {
            LOG.warn("{} entries staged at the stop were not acknowledged (they stay pending and are re-read"
                    + " on restart): {}", n, e.getMessage());
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
            // still pending in Redis: re-read after the rewind
            window.dropCarried();
        }
        await(delay);
    }

    private void step() {
        if (reporter.due()) {
            reporter.report(consumer, outage.active());
        }
        if (!outage.active()) {
            if (janitorAgain || janitorInterval.take()) {
                runJanitor();
            }
            if (trimInterval.take()) {
                consumer.trimAcknowledged();
            }
        } else {
            outage.retryIfDue();
        }
        if (window.carriedCount() > 0 && !outage.active()) {
            window.handleCarried();
            return;
        }
        List<RawEntry> entries = consumer.next();
        if (!entries.isEmpty()) {
            // new entries only: this consumer's pending ones (after a restart or an outage) are catch-up
            window.handle(entries, !consumer.readingPending() && !outage.active());
        }
    }

    private void runJanitor() {
        StreamJanitor.Result r = janitor.run();
        counters.deadLettered += r.deadLettered();
        counters.lostEntries += r.lost();
        janitorAgain = !r.claimed().isEmpty();
        if (janitorAgain) {
            window.handle(r.claimed(), false);
        }
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
