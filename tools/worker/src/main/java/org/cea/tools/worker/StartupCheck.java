package org.cea.tools.worker;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cea.redisio.Backoff;
import org.cea.tools.common.ToolExit;
import org.cea.tsdb.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The worker's start-up order: the database is opened and checked, then Redis answers a PING,
 * and only then does the worker join the consumer group and take entries. An unusable resource
 * (a file that cannot be created, a wrong password, a schema that cannot be applied) is fatal:
 * {@link Unusable}, exit 1, no entry taken. One that is merely unreachable is retried with capped
 * backoff until it answers or a signal arrives. {@code db=ok} is logged only after the check.
 */
final class StartupCheck {
    private static final Logger LOG = LoggerFactory.getLogger(StartupCheck.class);

    private final WorkerSettings settings;
    private final CountDownLatch stopped = new CountDownLatch(1);

    StartupCheck(WorkerSettings settings, ToolExit exit) {
        this.settings = settings;
        exit.onSignal(stopped::countDown);
    }

    /**
     * Opens the database (it stays open for the first batch).
     *
     * @return true when it is usable, false when a signal came first
     * @throws Unusable the database cannot be used with this URL
     */
    boolean database(DbSink db) {
        Backoff backoff = new Backoff(settings.retryInitialMs(), settings.retryMaxMs(), System::nanoTime);
        while (stopped.getCount() > 0) {
            try {
                String backend = db.check();
                LOG.info("db=ok: {} ({})", settings.maskedDbUrl(), backend);
                return true;
            } catch (StoreUnavailableException e) {
                long delay = backoff.failed();
                LOG.warn("database unreachable at start (attempt {}), retrying in {} ms before joining the consumer"
                        + " group: {}", backoff.failures(), delay, e.getMessage());
                pause(delay);
            } catch (IllegalStateException e) {
                throw new Unusable(e.getMessage(), e);
            }
        }
        return false;
    }

    /**
     * Checks that Redis answers (PING) with these credentials.
     *
     * @return true when it answers, false when a signal came first
     * @throws Unusable Redis refuses the connection's credentials or commands
     */
    boolean redis(UnifiedJedis jedis) {
        Backoff backoff = new Backoff(settings.retryInitialMs(), settings.retryMaxMs(), System::nanoTime);
        while (stopped.getCount() > 0) {
            try {
                jedis.ping();
                LOG.info("redis=ok: {}", settings.redis().maskedUrl());
                return true;
            } catch (JedisConnectionException e) {
                long delay = backoff.failed();
                LOG.warn("redis {} unreachable at start (attempt {}), retrying in {} ms: {}",
                        settings.redis().maskedUrl(), backoff.failures(), delay, e.getMessage());
                pause(delay);
            } catch (JedisDataException e) {
                throw new Unusable("redis " + settings.redis().maskedUrl() + " refused the connection: " + e.getMessage()
                        + " (fix the user/password in --redis-url / REDIS_URL)", e);
            }
        }
        return false;
    }

    private void pause(long ms) {
        try {
            stopped.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
        }
    }

    /** A resource the worker cannot use with its configuration; the message says what to fix. */
    static final class Unusable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
