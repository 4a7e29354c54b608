package org.cea.tools.worker;

import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.cea.redisio.StreamConsumer;
import org.cea.redisio.WorkerStatus;
import org.cea.tsdb.JobHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's status: the status line in the log and {@code worker:status} every
 * {@code --status-interval-ms} (the first right away: can-api's /health reports the worker as
 * failing until it exists), with the cap-loss check before each, and the database's job health
 * read once a minute. Used by the loop thread only.
 */
final class StatusReporter {
    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
    /** How often the database's scheduled jobs are read for {@code worker:status} (not per batch), ms. */
    static final long JOBS_INTERVAL_MS = 60_000;

    private final String consumerName;
    private final WorkerStatus status;
    private final WorkerCounters counters;
    private final BatchPreparer preparer;
    private final SequenceJudge judge;
    private final DbThread dbThread;
    private final CapLoss capLoss;
    private final LongSupplier wallClockMillis;
    private final LongSupplier nanoClock;
    private final Interval statusInterval;
    private final Interval jobsInterval;
    private boolean written;
    private Future<JobHealth.Report> jobsRead;
    private boolean jobsStarted;
    private String jobsState = "";

    /** What the status is made of; all read from the loop thread. */
    record Sources(WorkerStatus status, WorkerCounters counters, BatchPreparer preparer, SequenceJudge judge,
                   DbThread dbThread) {
    }

    StatusReporter(WorkerSettings settings, Sources sources, LongSupplier wallClockMillis, LongSupplier nanoClock) {
        this.consumerName = settings.consumer().consumer();
        this.status = sources.status();
        this.counters = sources.counters();
        this.preparer = sources.preparer();
        this.judge = sources.judge();
        this.dbThread = sources.dbThread();
        this.capLoss = new CapLoss(settings.consumer().stream(), sources.counters());
        this.wallClockMillis = wallClockMillis;
        this.nanoClock = nanoClock;
        this.statusInterval = new Interval(settings.statusIntervalMs(), nanoClock);
        this.jobsInterval = new Interval(JOBS_INTERVAL_MS, nanoClock);
    }

    /** True when no status has been written yet or the status period has elapsed (then rearms). */
    boolean due() {
        return !written || statusInterval.take();
    }

    /**
     * Logs and publishes the status.
     *
     * @param consumer the stream consumer, or null before it exists (no pending count, lag -1)
     * @param dbDown   a batch is held for the database: no job-health read is started
     */
    void report(StreamConsumer consumer, boolean dbDown) {
        if (consumer != null) {
            capLoss.check(consumer);
        }
        long pending = consumer == null ? 0 : consumer.pendingCount();
        long lag = consumer == null ? -1 : consumer.lag();
        WorkerStatus.Snapshot s = counters.snapshot(consumerName, pending, lag,
                preparer.invalidReadings(), judge.lostFramesByNode(), wallClockMillis.getAsLong(),
                nanoClock.getAsLong());
        LOG.info("processed={} rate={}/s pending={} lag={} dead_lettered={} invalid_readings={} lost_frames={} "
                + "lost_entries={} db={} batch_ms[prepare/db/live/ack]={}{}", s.processed(), String.format(Locale.ROOT, "%.0f", s.ratePerSec()),
                s.pending(), s.lag(), s.deadLettered(), s.invalidReadings(), s.lostFramesTotal(), s.lostEntries(),
                s.dbState(), counters.takeTimings(), s.lastError().isEmpty() ? "" : " last_error=" + s.lastError());
        status.publish(s);
        written = true;
        reportJobs(dbDown);
    }

    /**
     * The database's job health, read on the database thread once a minute (and at start) and
     * written to {@code worker:status} when the read is done; not while the database is down.
     */
    private void reportJobs(boolean dbDown) {
        if (jobsRead != null && jobsRead.isDone()) {
            String json;
            try {
                json = jobsJson(jobsRead.get());
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
        if (jobsRead == null && !dbDown && (!jobsStarted || jobsInterval.take())) {
            jobsRead = dbThread.readJobHealth();
            jobsStarted = jobsStarted || jobsRead != null;
        }
    }

    /** The report as {@code db_jobs} JSON; a change of state is logged once. */
    private String jobsJson(JobHealth.Report r) {
        String state = r.state().label() + ":" + r.reason();
        if (!state.equals(jobsState)) {
            if (r.state() == JobHealth.State.DEGRADED) {
                LOG.warn("database jobs degraded: {}", r.reason());
            } else {
                LOG.info("database jobs {}{}", r.state().label(), r.reason().isEmpty() ? "" : ": " + r.reason());
            }
            jobsState = state;
        }
        return DbJobsJson.render(r);
    }
}
