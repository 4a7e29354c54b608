package org.cea.redisio;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Subscribes to {@link LiveKeys#CHANNEL} and hands each update to a listener. Owns one dedicated
 * connection and no thread: {@link #run()} blocks the caller's thread until {@link #close()} is
 * called from another thread, or throws {@link RedisUnavailableException} when the connection is
 * lost (create a new subscriber to reconnect, with backoff). Messages that are not valid update
 * JSON are counted and skipped.
 */
public final class LiveSubscriber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveSubscriber.class);

    private final RedisConfig config;
    private final Consumer<LiveUpdate> listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final PubSub pubSub = new PubSub();
    private volatile Jedis connection;
    private volatile long badMessages;

    /**
     * @param config   where to connect (its socket timeout is not used: a subscription waits indefinitely)
     * @param listener called on the {@link #run()} thread for each update; must not block for long
     */
    public LiveSubscriber(RedisConfig config, Consumer<LiveUpdate> listener) {
        this.config = config;
        this.listener = listener;
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
        try (Jedis j = new Jedis(config.hostAndPort(), config.clientConfig())) {
            connection = j;
            if (closed.get()) {
                return;
            }
            j.subscribe(pubSub, LiveKeys.CHANNEL);
        } catch (JedisException e) {
            if (!closed.get()) {
                throw new RedisUnavailableException("subscription to " + LiveKeys.CHANNEL + " on "
                        + config.maskedUrl() + " lost: " + e.getMessage(), e);
            }
        } finally {
            subscribed.set(false);
            connection = null;
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
            JsonElement e = JsonParser.parseString(message);
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
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException
                 | IllegalArgumentException e) {
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
        Jedis j = connection;
        if (j != null) {
            j.disconnect();
        }
    }

    private final class PubSub extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int count) {
            subscribed.set(true);
        }

        @Override
        public void onMessage(String channel, String message) {
            LiveUpdate u = parse(message);
            if (u == null) {
                badMessages++;
                LOG.debug("skipping a message on {} that is not an update: {}", channel, message);
                return;
            }
            listener.accept(u);
        }
    }
}
