package org.cea.redisio;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StreamPublisher}'s connection to Redis: connects when the capped exponential backoff
 * is due, and closes on a failure or refusal, scheduling the next attempt. Logs the first failure
 * of an outage as a warning and the retries at DEBUG.
 */
final class PublisherLink {
    /** The publisher's logger: these lines were the publisher's before the split, and log filters name it. */
    private static final Logger LOG = LoggerFactory.getLogger(StreamPublisher.class);

    private final RedisConfig redis;
    private final StreamWriterSettings settings;
    private final PublisherCounters counters;
    private final PublisherSpool spool;
    /** Reconnect pacing: due while connected; after a failure or refusal, when the next connect may be tried. */
    private final Backoff backoff;
    private StreamWriter writer;
    private boolean downLogged;

    PublisherLink(RedisConfig redis, StreamWriterSettings settings, PublisherCounters counters, PublisherSpool spool,
                  Backoff backoff) {
        this.redis = redis;
        this.settings = settings;
        this.counters = counters;
        this.spool = spool;
        this.backoff = backoff;
    }

    /** The open connection, or null while down. */
    StreamWriter writer() {
        return writer;
    }

    /** Down, and the backoff allows the next attempt now. */
    boolean reconnectDue() {
        return writer == null && backoff.due();
    }

    /** Nanoseconds until the next attempt may be made (0 when now). */
    long remainingNanos() {
        return backoff.remainingNanos();
    }

    /** The delay the next failure will schedule, milliseconds. */
    long nextDelayMs() {
        return backoff.nextDelayMs();
    }

    /**
     * Connects and moves {@code ids} past the stream's top; on failure stays down and schedules
     * the next attempt.
     *
     * @param refusing Redis refused writes and has not accepted since: keep the backoff growing
     */
    void connect(EntryIdGenerator ids, boolean refusing) {
        try {
            writer = StreamWriter.connect(redis, settings);
            ids.advancePast(writer.lastId());
            counters.connected = true;
            if (!refusing) {
                backoff.succeeded();
            }
            downLogged = false;
            LOG.info("connected to {} (stream {} top {}); {} spooled frames to replay", redis.maskedUrl(),
                    settings.stream(), writer.lastId(), spool.depth());
        } catch (RedisIoException e) {
            writer = null;
            counters.lastError = e.getMessage();
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

    /** Closes the connection and schedules the next attempt with capped exponential backoff. */
    void down() {
        downLogged = true;
        close();
        counters.connected = false;
        backoff.failed();
    }

    /** Closes the connection, if open; schedules nothing. */
    void close() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
