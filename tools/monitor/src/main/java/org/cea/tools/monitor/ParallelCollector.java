package org.cea.tools.monitor;

import java.util.concurrent.atomic.AtomicBoolean;
import org.cea.redisio.ConsistencyStatus;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.RedisIoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Reads the newest comparison of the two paths ({@code consistency:status}, lib-redisio's
 * {@link ConsistencyStatus}) for either monitor. Never throws for an unreachable Redis or a
 * malformed hash: the state carries the problem, and the pool reconnects on the next call.
 */
final class ParallelCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ParallelCollector.class);

    private final String target;
    private final JedisPooled jedis;
    private final ConsistencyStatus status;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param config where Redis is; its timeouts bound every call */
    ParallelCollector(RedisConfig config) {
        this.target = config.maskedUrl();
        this.jedis = config.openClient();
        this.status = new ConsistencyStatus(jedis);
    }

    /** The recorded comparison, or the problem that keeps it from being shown. */
    ParallelState collect() {
        if (closed.get()) {
            throw new IllegalStateException("ParallelCollector is closed");
        }
        try {
            return status.read().map(ParallelState::of).orElseGet(ParallelState::none);
        } catch (RedisIoException | JedisException e) {
            LOG.debug("{} from {} unreadable", ConsistencyStatus.KEY, target, e);
            return ParallelState.problem(ConsistencyStatus.KEY + " at " + target + " unreadable: " + Text.describe(e));
        }
    }

    /** Closes the pool; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            jedis.close();
        }
    }
}
