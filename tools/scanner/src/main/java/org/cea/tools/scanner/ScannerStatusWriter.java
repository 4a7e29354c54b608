package org.cea.tools.scanner;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.ScannerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The body of thread {@code scanner-status}: writes {@code scanner:status} at once, every
 * {@link Scanner#STATUS_INTERVAL_MS} and a last time when stopped. A Redis that cannot be reached
 * only skips a report (the stream path reports and spools an outage); the first failure of a run of
 * failures is logged at WARN, the rest at DEBUG.
 */
final class ScannerStatusWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ScannerStatusWriter.class);

    private final RedisConfig config;
    private final Supplier<ScannerStatus.Snapshot> snapshot;
    private final Object wake = new Object();
    private volatile boolean stopped;
    private boolean failing;

    ScannerStatusWriter(RedisConfig config, Supplier<ScannerStatus.Snapshot> snapshot) {
        this.config = config;
        this.snapshot = snapshot;
    }

    @Override
    public void run() {
        try (JedisPooled jedis = config.openClient()) {
            ScannerStatus status = new ScannerStatus(jedis);
            while (!stopped) {
                publish(status);
                synchronized (wake) {
                    if (!stopped) {
                        wake.wait(Scanner.STATUS_INTERVAL_MS);
                    }
                }
            }
            publish(status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("scanner:status writer failed: {}", e.getMessage(), e);
        }
    }

    private void publish(ScannerStatus status) {
        try {
            status.publish(snapshot.get());
            if (failing) {
                LOG.info("{} written again", ScannerStatus.KEY);
                failing = false;
            }
        } catch (RedisIoException | JedisException e) {
            if (!failing) {
                LOG.warn("cannot write {} on {}: {} (retrying every {} s)", ScannerStatus.KEY, config.maskedUrl(),
                        e.getMessage(), Scanner.STATUS_INTERVAL_MS / 1000);
                failing = true;
            } else {
                LOG.debug("cannot write {}: {}", ScannerStatus.KEY, e.getMessage());
            }
        }
    }

    /** Writes the last report and joins the thread, at most a few seconds. */
    void stop(Thread thread) throws InterruptedException {
        stopped = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        thread.join(TimeUnit.SECONDS.toMillis(3));
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }
}
