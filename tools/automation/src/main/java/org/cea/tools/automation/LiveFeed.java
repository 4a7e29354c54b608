package org.cea.tools.automation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cea.redisio.Backoff;
import org.cea.redisio.LiveSubscriber;
import org.cea.redisio.LiveUpdate;
import org.cea.redisio.LiveValue;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.RedisIoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code automation-live} thread: subscribes to {@code sensor:updates:batch} and queues each
 * published batch (one per worker read), which wakes {@code automation-eval} once for all its readings.
 */
final class LiveFeed implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    private final RedisConfig redis;
    private final AtomicBoolean running;
    /** Published batches of readings; each wakes {@code automation-eval} once. */
    private final BlockingQueue<List<LiveValue>> readings = new LinkedBlockingQueue<>(10_000);
    private volatile LiveSubscriber subscriber;

    LiveFeed(RedisConfig redis, AtomicBoolean running) {
        this.redis = redis;
        this.running = running;
    }

    /**
     * Waits up to {@code waitMs} (none when ≤ 0) for a batch, then takes every batch queued.
     *
     * @return the batches, oldest first; empty when none came
     * @throws InterruptedException when interrupted while waiting
     */
    List<List<LiveValue>> take(long waitMs) throws InterruptedException {
        List<List<LiveValue>> batches = new ArrayList<>();
        List<LiveValue> v = waitMs > 0 ? readings.poll(waitMs, TimeUnit.MILLISECONDS) : readings.poll();
        if (v != null) {
            batches.add(v);
            readings.drainTo(batches);
        }
        return batches;
    }

    /** Tells the current subscription that the caller is alive (see {@link LiveSubscriber#keepAlive}). */
    void keepAlive(long silenceMs) {
        LiveSubscriber sub = subscriber;
        if (sub != null) {
            sub.keepAlive(silenceMs);
        }
    }

    /** Ends the current subscription, so {@link #run} sees the dropped run flag. */
    void close() {
        LiveSubscriber sub = subscriber;
        if (sub != null) {
            sub.close();
        }
    }

    /** Subscribes until the run flag drops; a lost subscription is made again after a backoff (100 ms .. 5 s). */
    @Override
    public void run() {
        Backoff backoff = new Backoff(100, 5_000);
        while (running.get()) {
            LiveSubscriber sub = LiveSubscriber.batches(redis, batch -> {
                List<LiveValue> values = new ArrayList<>(batch.size());
                for (LiveUpdate u : batch) {
                    values.add(new LiveValue(u.sensor(), u.value(), u.tsMillis()));
                }
                if (!readings.offer(values)) {
                    LOG.warn("reading queue full; the next evaluation reads every live key");
                }
            });
            subscriber = sub;
            try {
                sub.run();
                backoff.succeeded();
            } catch (RedisIoException e) {
                LOG.debug("live subscription lost: {}", e.getMessage());
                AutomationService.pause(backoff.failed(), running);
            } finally {
                sub.close();
                subscriber = null;
            }
        }
    }
}
