package org.cea.redisio;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Subscribes to {@link LiveKeys#CHANNEL} and hands each update to a listener, or, made by
 * {@link #batches}, to {@link LiveKeys#BATCH_CHANNEL} and hands each batch to it (one wake-up per
 * worker read instead of one per reading: issue 20). Owns one dedicated
 * connection and no thread: {@link #run()} blocks the caller's thread until {@link #close()} is
 * called from another thread, or throws {@link RedisUnavailableException} when the connection is
 * lost (create a new subscriber to reconnect, with backoff). A subscription blocks reading with no
 * timeout, so a connection that went half-open (a pulled cable, a dropped NAT entry, a frozen
 * server) would never fail by itself: the owner calls {@link #keepAlive(long)} periodically from
 * another thread, which pings and closes a connection that stayed silent too long. Messages that
 * are not valid update JSON are counted and skipped.
 */
public final class LiveSubscriber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveSubscriber.class);

    private final RedisConfig config;
    private final String channel;
    /** The listener of a per-reading subscriber, or null. */
    private final Consumer<LiveUpdate> listener;
    /** The listener of a {@link #batches} subscriber, or null. */
    private final Consumer<List<LiveUpdate>> batchListener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final PubSub pubSub = new PubSub();
    private volatile Jedis connection;
    private volatile long badMessages;
    /** {@link System#nanoTime()} when the server was last heard from (subscribed, message, PONG). */
    private volatile long lastHeardNanos = System.nanoTime();

    /**
     * @param config   where to connect (its socket timeout is not used: a subscription waits indefinitely)
     * @param listener called on the {@link #run()} thread for each update; must not block for long
     */
    public LiveSubscriber(RedisConfig config, Consumer<LiveUpdate> listener) {
        this(config, LiveKeys.CHANNEL, listener, null);
    }

    private LiveSubscriber(RedisConfig config, String channel, Consumer<LiveUpdate> listener,
                           Consumer<List<LiveUpdate>> batchListener) {
        this.config = config;
        this.channel = channel;
        this.listener = listener;
        this.batchListener = batchListener;
    }

    /**
     * A subscriber to {@link LiveKeys#BATCH_CHANNEL}: the changed readings of one live-state write
     * at a time. A message that is not a JSON array of updates is counted and skipped whole.
     *
     * @param config   where to connect (its socket timeout is not used: a subscription waits indefinitely)
     * @param listener called on the {@link #run()} thread for each batch (not empty); must not block for long
     * @return a subscriber; {@link #run()} it on a thread of the caller's
     */
    public static LiveSubscriber batches(RedisConfig config, Consumer<List<LiveUpdate>> listener) {
        return new LiveSubscriber(config, LiveKeys.BATCH_CHANNEL, null, listener);
    }

    /** One message, on the {@link #run()} thread. */
    private void dispatch(String message) {
        if (batchListener != null) {
            List<LiveUpdate> batch = parseBatch(message);
            if (batch != null) {
                batchListener.accept(batch);
                return;
            }
        } else {
            LiveUpdate u = parse(message);
            if (u != null) {
                listener.accept(u);
                return;
            }
        }
        badMessages++;
        LOG.debug("skipping a message on {} that is not an update: {}", channel, message);
    }

    /**
     * Connects, subscribes and dispatches until {@link #close()}.
     *
     * @throws RedisUnavailableException when Redis cannot be reached or the connection breaks
     * @throws IllegalStateException     when called after {@link #close()}
     */
    public void run() {
        if (closed.get()) {
            throw new IllegalStateException("LiveSubscriber is closed");
        }
        try (Jedis j = config.openConnection()) {
            connection = j;
            if (closed.get()) {
                return;
            }
            j.subscribe(pubSub, channel);
        } catch (JedisException e) {
            if (!closed.get()) {
                throw new RedisUnavailableException("subscription to " + channel + " on "
                        + config.maskedUrl() + " lost: " + e.getMessage(), e);
            }
        } finally {
            subscribed.set(false);
            connection = null;
        }
    }

    /**
     * Liveness check, from a thread other than {@link #run()}'s: when nothing was heard from the
     * server for {@code silenceMs} the connection is closed, so {@link #run()} throws
     * {@link RedisUnavailableException} and the owner reconnects; after a third of that silence a
     * PING is sent, whose PONG counts as heard. Does nothing before the subscription is confirmed
     * (connecting has its own timeouts) or after {@link #close()}.
     *
     * @param silenceMs how long the server may stay silent, milliseconds &gt; 0
     * @return false when the connection was closed for silence
     */
    public boolean keepAlive(long silenceMs) {
        if (silenceMs <= 0) {
            throw new IllegalArgumentException("silenceMs must be > 0, was " + silenceMs);
        }
        if (closed.get() || !subscribed.get()) {
            return true;
        }
        long silentMs = (System.nanoTime() - lastHeardNanos) / 1_000_000L;
        if (silentMs >= silenceMs) {
            LOG.warn("no reply on the {} subscription to {} for {} ms: closing it to reconnect", channel,
                    config.maskedUrl(), silentMs);
            dropConnection();
            return false;
        }
        if (silentMs >= silenceMs / 3) {
            try {
                pubSub.ping();
            } catch (JedisException e) {
                LOG.debug("PING on the subscription failed; closing it", e);
                dropConnection();
                return false;
            }
        }
        return true;
    }

    private void dropConnection() {
        Jedis j = connection;
        if (j != null) {
            j.disconnect();
        }
    }

    /** True once the server confirmed the subscription (messages published from now on arrive). */
    public boolean isSubscribed() {
        return subscribed.get();
    }

    /** Messages that were not valid update JSON. */
    public long badMessages() {
        return badMessages;
    }

    /** Parses one message; null when it is not a valid update. */
    static LiveUpdate parse(String message) {
        try {
            return update(JsonParser.parseString(message));
        } catch (JsonParseException e) {
            return null;
        }
    }

    /** Parses one batch message; null when it is not a non-empty JSON array of valid updates. */
    static List<LiveUpdate> parseBatch(String message) {
        try {
            JsonElement e = JsonParser.parseString(message);
            if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
                return null;
            }
            JsonArray a = e.getAsJsonArray();
            List<LiveUpdate> out = new ArrayList<>(a.size());
            for (JsonElement x : a) {
                LiveUpdate u = update(x);
                if (u == null) {
                    return null;
                }
                out.add(u);
            }
            return out;
        } catch (JsonParseException e) {
            return null;
        }
    }

    private static LiveUpdate update(JsonElement e) {
        try {
            if (!e.isJsonObject()) {
                return null;
            }
            JsonObject o = e.getAsJsonObject();
            if (!o.has("name") || !o.has("value") || !o.has("ts")) {
                return null;
            }
            String unit = o.has("unit") && !o.get("unit").isJsonNull() ? o.get("unit").getAsString() : "";
            return new LiveUpdate(o.get("name").getAsString(), o.get("value").getAsDouble(), unit,
                    o.get("ts").getAsLong());
        } catch (IllegalStateException | UnsupportedOperationException | IllegalArgumentException ex) {
            // not JSON, wrong shape, or values a LiveUpdate rejects
            return null;
        }
    }

    /** Unsubscribes and closes the connection, which makes {@link #run()} return; idempotent, bounded. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (pubSub.isSubscribed()) {
                pubSub.unsubscribe();
            }
        } catch (JedisException e) {
            LOG.debug("unsubscribe failed, closing the connection instead", e);
        }
        dropConnection();
    }

    private final class PubSub extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int count) {
            lastHeardNanos = System.nanoTime();
            subscribed.set(true);
        }

        @Override
        public void onPong(String pattern) {
            lastHeardNanos = System.nanoTime();
        }

        @Override
        public void onMessage(String channel, String message) {
            lastHeardNanos = System.nanoTime();
            dispatch(message);
        }
    }
}
