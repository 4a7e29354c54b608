package org.cea.tools.api;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cea.redisio.Backoff;
import org.cea.redisio.LiveKeys;
import org.cea.redisio.LiveSubscriber;
import org.cea.redisio.LiveUpdate;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.RedisIoException;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes live values to WebSocket clients. One thread ({@code api-live-subscriber}) runs a
 * lib-redisio {@link LiveSubscriber} on {@code sensor:updates:batch} (one message per worker read,
 * not per reading: issue 20), reconnecting with capped backoff.
 * Another thread ({@code api-live-ticker}) re-reads every live key each time a subscription has
 * been (re)established, because pub/sub drops what was published while disconnected, and sends
 * every client a fresh snapshot; it also marks sensors stale as soon as their last reading is older
 * than the stale limit, without waiting for a message.
 *
 * <p>Messages to clients (JSON text): {@code snapshot} (all sensors), {@code update} (changed
 * readings), {@code stale} (names that just went stale), {@code status} (Redis subscription lost),
 * {@code heartbeat}. All sends happen under one lock, so each client sees them in order.
 *
 * <p>The clients and what is queued for each are {@link LiveClients}: one that does not read what it
 * is sent is disconnected and counted ({@link #slowDrops()}, {@code /health}, {@code /metrics}).
 */
final class LiveHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
    private static final long TICK_MS = 250;
    private static final long HEARTBEAT_EVERY_MS = 20_000;
    private static final long MAX_BACKOFF_MS = 5_000;
    /**
     * A subscription silent this long (no update, no PONG) is taken as half-open and reconnected:
     * the worker publishes every second at facility load, and a PING goes out after a third of it.
     */
    private static final long SUBSCRIPTION_SILENCE_MS = 6_000;
    private final LiveState live;
    private final SensorCatalog catalog;
    private final Clock clock;
    private final long staleAfterMs;
    private final Metrics metrics;
    private final Object lock = new Object();
    private final LiveClients clients;
    /** Last known reading per sensor; guarded by {@link #lock}. */
    private final Map<String, LiveReading> cache = new ConcurrentHashMap<>();
    /** Sensors already announced as stale; guarded by {@link #lock}. */
    private final Set<String> announcedStale = new HashSet<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean subscribed;
    private volatile boolean everSubscribed;
    /** Set for each new subscriber; cleared once its snapshot has been sent. */
    private volatile boolean snapshotPending;
    private volatile LiveSubscriber current;
    private Thread subscriber;
    private Thread ticker;

    /**
     * @param live         reads the snapshot
     * @param catalog      which sensors exist (units, rooms)
     * @param clock        wall clock for ages
     * @param staleAfterMs a reading older than this is stale, milliseconds &gt; 0
     * @param metrics      counters
     */
    LiveHub(LiveState live, SensorCatalog catalog, Clock clock, long staleAfterMs, Metrics metrics) {
        if (staleAfterMs <= 0) {
            throw new IllegalArgumentException("staleAfterMs must be > 0, was " + staleAfterMs);
        }
        this.live = live;
        this.catalog = catalog;
        this.clock = clock;
        this.staleAfterMs = staleAfterMs;
        this.metrics = metrics;
        this.clients = new LiveClients(metrics);
        for (String name : catalog.names()) {
            cache.put(name, LiveReading.absent(name));
        }
    }

    /** Starts the subscriber and ticker threads. */
    void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        subscriber = new Thread(this::subscribeLoop, "api-live-subscriber");
        subscriber.setDaemon(true);
        ticker = new Thread(this::tickLoop, "api-live-ticker");
        ticker.setDaemon(true);
        subscriber.start();
        ticker.start();
    }

    /** True while the {@code sensor:updates:batch} subscription is established. */
    boolean subscribed() {
        return subscribed;
    }

    /** Connected WebSocket clients. */
    int clients() {
        return clients.size();
    }

    /** Clients disconnected because they did not take what they were sent, since start. */
    long slowDrops() {
        return clients.slowDrops();
    }

    /** The most characters that were ever queued for one client at a time. */
    long pendingHighWater() {
        return clients.pendingHighWater();
    }

    /** A new endpoint for one WebSocket connection. */
    Session.Listener newClient() {
        return new LiveEndpoint(this);
    }

    /** A client connected: register it and send it the current snapshot, in order with broadcasts. */
    void opened(Session s) {
        metrics.wsConnect();
        synchronized (lock) {
            clients.add(s, snapshotMessage());
        }
    }

    /** A client went away. */
    void closed(Session s) {
        if (s != null) {
            clients.remove(s);
        }
    }

    private void subscribeLoop() {
        RedisConfig cfg = live.config();
        Backoff backoff = new Backoff(100, MAX_BACKOFF_MS);
        while (running.get()) {
            LiveSubscriber sub = LiveSubscriber.batches(cfg, this::onUpdates);
            snapshotPending = true;
            current = sub;
            if (!running.get()) {
                sub.close();
                break;
            }
            try {
                sub.run();
            } catch (RedisIoException e) {
                metrics.redisError();
                if (subscribed) {
                    LOG.warn("live subscription to {} lost, reconnecting: {}", cfg.maskedUrl(), e.getMessage());
                } else {
                    LOG.debug("live subscription to {} failed: {}", cfg.maskedUrl(), e.getMessage());
                }
            } finally {
                sub.close();
                current = null;
            }
            if (!snapshotPending) {
                backoff.succeeded();
            }
            lostSubscription();
            if (!running.get() || !sleep(backoff.failed())) {
                break;
            }
        }
        subscribed = false;
    }

    private void lostSubscription() {
        if (subscribed) {
            subscribed = false;
            synchronized (lock) {
                broadcast(Json.write(Json.obj("type", "status", "ts", clock.millis(), "redis", false)));
            }
        }
    }

    /** Once the current subscriber is subscribed: read every live key and send all clients a snapshot. */
    private void snapshotAfterSubscribe() {
        LiveSubscriber sub = current;
        if (sub == null || !snapshotPending || !sub.isSubscribed()) {
            return;
        }
        Map<String, LiveReading> all;
        try {
            all = live.readAll(catalog.names());
        } catch (RedisIoException e) {
            LOG.debug("snapshot after subscribe failed, will retry: {}", e.getMessage());
            return;
        }
        snapshotPending = false;
        if (everSubscribed) {
            metrics.redisReconnect();
            LOG.info("live subscription re-established; fresh snapshot to {} clients", clients.size());
        } else {
            LOG.info("subscribed to {} on {}", LiveKeys.BATCH_CHANNEL, live.config().maskedUrl());
        }
        everSubscribed = true;
        subscribed = true;
        synchronized (lock) {
            all.values().forEach(this::mergeLocked);
            announcedStale.clear();
            long now = clock.millis();
            for (LiveReading r : cache.values()) {
                if (r.isStale(now, staleAfterMs)) {
                    announcedStale.add(r.name());
                }
            }
            broadcast(snapshotMessage());
        }
    }

    /**
     * The readings of one published batch, on the subscriber thread: merged under one lock, and
     * sent to the clients as one {@code update} message with the rows that were taken.
     */
    private void onUpdates(List<LiveUpdate> batch) {
        synchronized (lock) {
            long now = clock.millis();
            List<Map<String, Object>> rows = null;
            for (LiveUpdate u : batch) {
                SensorInfo info = catalog.sensor(u.sensor()).orElse(null);
                if (info == null) {
                    LOG.debug("update for unknown sensor '{}' ignored", u.sensor());
                    continue;
                }
                LiveReading r = new LiveReading(u.sensor(), u.value(), u.tsMillis());
                if (!mergeLocked(r)) {
                    continue;
                }
                announcedStale.remove(r.name());
                // no client: no row to build (the band lookup and JSON were most of an idle
                // can-api's CPU at facility load, 26 readings/s)
                if (!clients.isEmpty()) {
                    if (rows == null) {
                        rows = new ArrayList<>(batch.size());
                    }
                    rows.add(view(info, r, now));
                }
            }
            if (rows != null) {
                broadcast(Json.write(Json.obj("type", "update", "ts", now, "readings", rows)));
            }
        }
    }

    /** Keeps the newer of the cached and the given reading; true when the given one was taken. */
    private boolean mergeLocked(LiveReading r) {
        if (r.value() == null || r.tsMillis() == null) {
            return false;
        }
        LiveReading old = cache.get(r.name());
        // older readings never replace newer ones, unless the cached one is from before a clock step back
        if (old != null && old.tsMillis() != null && old.tsMillis() > r.tsMillis()
                && old.tsMillis() - clock.millis() <= LiveKeys.CLOCK_SKEW_MS) {
            return false;
        }
        cache.put(r.name(), r);
        return true;
    }

    private void tickLoop() {
        long lastHeartbeat = System.nanoTime();
        while (running.get()) {
            if (!sleep(TICK_MS)) {
                break;
            }
            snapshotAfterSubscribe();
            LiveSubscriber sub = current;
            if (sub != null) {
                sub.keepAlive(SUBSCRIPTION_SILENCE_MS);
            }
            markStale();
            long now = System.nanoTime();
            if (now - lastHeartbeat > HEARTBEAT_EVERY_MS * 1_000_000L) {
                lastHeartbeat = now;
                synchronized (lock) {
                    broadcast(Json.write(Json.obj("type", "heartbeat", "ts", clock.millis(), "redis", subscribed)));
                }
            }
        }
    }

    private void markStale() {
        synchronized (lock) {
            long now = clock.millis();
            List<String> newly = new ArrayList<>();
            for (LiveReading r : cache.values()) {
                if (r.isStale(now, staleAfterMs) && announcedStale.add(r.name())) {
                    newly.add(r.name());
                }
            }
            if (!newly.isEmpty()) {
                broadcast(Json.write(Json.obj("type", "stale", "ts", now, "names", newly)));
            }
        }
    }

    /** The snapshot message; call with {@link #lock} held. */
    private String snapshotMessage() {
        long now = clock.millis();
        List<Map<String, Object>> sensors = new ArrayList<>();
        for (SensorInfo info : catalog.sensors()) {
            sensors.add(view(info, cache.getOrDefault(info.name(), LiveReading.absent(info.name())), now));
        }
        return Json.write(Json.obj("type", "snapshot", "ts", now, "stale_after_ms", staleAfterMs, "redis", subscribed,
                "sensors", sensors));
    }

    private Map<String, Object> view(SensorInfo info, LiveReading r, long nowMillis) {
        return SensorRow.of(catalog, info, r, nowMillis, staleAfterMs);
    }

    /** The newest reading this hub has seen of a sensor (kept after its live key expired), or null. */
    LiveReading lastSeen(String name) {
        LiveReading r = cache.get(name);
        return r == null || r.value() == null ? null : r;
    }

    /** Sends to every client; call with {@link #lock} held so every client sees messages in order. */
    private void broadcast(String text) {
        clients.broadcast(text);
    }

    private boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops both threads (bounded: 5 s each) and closes every client; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running.set(false);
        LiveSubscriber sub = current;
        if (sub != null) {
            sub.close();
        }
        for (Thread t : new Thread[] {subscriber, ticker}) {
            if (t != null) {
                t.interrupt();
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        clients.closeAll();
    }
}
