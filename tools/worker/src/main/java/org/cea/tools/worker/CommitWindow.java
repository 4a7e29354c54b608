package org.cea.tools.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.cea.redisio.LiveStateWriter;
import org.cea.redisio.RawEntry;
import org.cea.redisio.StreamConsumer;
import org.cea.tsdb.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From entries read to entries committed and acknowledged: each batch is staged (parsed,
 * unstorable entries settled, live state written), gathered with what arrives in the commit window
 * ({@code --commit-interval-ms}), committed and acknowledged in stream order. Entries read while a
 * commit is in progress are staged during it and carried into a window of their own. When the
 * database turns out to be down the batch goes to the {@link DbOutage}. Used by the loop thread only.
 */
final class CommitWindow {
    private static final Logger LOG = LoggerFactory.getLogger(CommitWindow.class);

    private final StreamConsumer consumer;
    private final BatchPreparer preparer;
    private final LiveStateWriter live;
    private final BatchCommitter committer;
    private final DeadLettering deadLettering;
    private final DbOutage outage;
    private final WorkerCounters counters;
    private final LongSupplier nanoClock;
    private final BooleanSupplier stopping;
    private final int batchSize;
    private final long windowNanos;
    private final long blockMs;
    /** Staged during a commit, not yet committed nor acknowledged (pending in Redis); see {@link #handleCarried}. */
    private final Deque<Staged> carried = new ArrayDeque<>();
    private long carriedDeadline;
    /** Entries that may still be staged during commits of the current {@link #handle} call. */
    private int stageBudget;

    /** A batch whose live state is written and whose unstorable entries are settled, ready to commit. */
    private record Staged(BatchPreparer.Prepared prepared, long prepareNanos, long liveNanos) {
    }

    /** The parts a window works with; all used from the loop thread. */
    record Parts(StreamConsumer consumer, BatchPreparer preparer, LiveStateWriter live, BatchCommitter committer,
                 DeadLettering deadLettering, DbOutage outage, WorkerCounters counters) {
    }

    CommitWindow(WorkerSettings settings, Parts parts, LongSupplier nanoClock, BooleanSupplier stopping) {
        this.consumer = parts.consumer();
        this.preparer = parts.preparer();
        this.live = parts.live();
        this.committer = parts.committer();
        this.deadLettering = parts.deadLettering();
        this.outage = parts.outage();
        this.counters = parts.counters();
        this.nanoClock = nanoClock;
        this.stopping = stopping;
        this.batchSize = settings.consumer().batchSize();
        this.windowNanos = settings.commitIntervalMs() * 1_000_000L;
        this.blockMs = settings.consumer().blockMs();
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
    void handle(List<RawEntry> entries, boolean window) {
        Deque<Staged> queue = new ArrayDeque<>();
        queue.add(stage(entries));
        if (window) {
            gather(queue, entries.size(), nanoClock.getAsLong() + windowNanos);
        }
        commitQueue(queue, window);
    }

    /** Number of entries carried into the next window (0: none). */
    int carriedCount() {
        return count(carried);
    }

    /** Forgets the carried entries: they are still pending in Redis and re-read after a rewind. */
    void dropCarried() {
        carried.clear();
    }

    /**
     * Entries staged while the previous commit was in progress (their live state is written), in a
     * window of their own that opened when that commit ended: they are committed with what arrives
     * until it closes, rather than in a small transaction right after the commit (which doubled the
     * commits at facility load, scripts/bench-facility.sh).
     */
    void handleCarried() {
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
        stageBudget = batchSize;
        boolean first = true;
        while (!queue.isEmpty() && !outage.active()) {
            if (!first && window && !stopping.getAsBoolean() && count(queue) < batchSize) {
                carried.addAll(queue);
                carriedDeadline = nanoClock.getAsLong() + windowNanos;
                return;
            }
            first = false;
            Staged s = merged(queue);
            long t2 = nanoClock.getAsLong();
            try {
                committer.commit(s.prepared(), () -> stageArrivals(queue));
            } catch (StoreUnavailableException e) {
                outage.enter(s.prepared(), e);
                return;
            }
            long t3 = nanoClock.getAsLong();
            consumer.ack(s.prepared().itemIds());
            counters.processed += s.prepared().items().size();
            counters.timed(s.prepareNanos(), t3 - t2, s.liveNanos(), nanoClock.getAsLong() - t3);
        }
    }

    /**
     * While a commit runs: new entries are read without blocking and staged (live state written),
     * up to one batch size per {@link #handle} (so status, janitor and stop are not starved under
     * load), so a slow commit does not hold back live state.
     */
    private void stageArrivals(Deque<Staged> queue) {
        if (stageBudget > 0 && !stopping.getAsBoolean() && !consumer.readingPending()) {
            List<RawEntry> more = consumer.pollNew();
            if (!more.isEmpty()) {
                stageBudget -= more.size();
                queue.add(stage(more));
            }
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
        while (count < batchSize && !stopping.getAsBoolean()) {
            long leftMs = (deadline - nanoClock.getAsLong()) / 1_000_000L;
            if (leftMs <= 0) {
                return;
            }
            List<RawEntry> more = consumer.pollNew(Math.min(leftMs, blockMs));
            if (!more.isEmpty()) {
                count += more.size();
                queue.add(stage(more));
            }
        }
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

    /** Dead-letters unparseable entries and acknowledges trimmed ones, independently of the database. */
    private void settleUnstorable(BatchPreparer.Prepared p) {
        deadLettering.deadLetter(p.bad());
        if (!p.lost().isEmpty()) {
            consumer.ack(p.lost());
            counters.lostEntries += p.lost().size();
            LOG.error("{} pending entries were trimmed before they were written: LOST ({}..)", p.lost().size(),
                    p.lost().get(0));
        }
    }
}
