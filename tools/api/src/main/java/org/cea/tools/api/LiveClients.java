package org.cea.tools.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LiveHub}'s WebSocket clients and what is queued for each. Sends are asynchronous; what a
 * client has not taken yet waits in Jetty's queue for it. A client with more than
 * {@link #MAX_PENDING_CHARS} characters or {@link #MAX_PENDING_MESSAGES} messages unsent (one that
 * stopped reading, or a link far too slow for the feed) is disconnected at once, logged once with its
 * address, and counted ({@link #slowDrops()}), so a few hundred stalled clients cost at most a few MB
 * instead of growing the heap without bound. The caller sends under one lock, so each client sees
 * messages in order.
 */
final class LiveClients {
    private static final Logger LOG = LoggerFactory.getLogger(LiveClients.class);
    /**
     * Most characters queued for one client before it is dropped: 64 Ki, about 6 snapshots of the
     * facility's 27 sensors, or 5-10 s of updates at facility load (~30 readings/s of ~250 chars).
     */
    static final long MAX_PENDING_CHARS = 64 * 1024;
    /** Most messages queued for one client before it is dropped (Jetty's own limit is above it). */
    static final int MAX_PENDING_MESSAGES = 256;
    private final Metrics metrics;
    private final Map<Session, Outbox> sessions = new ConcurrentHashMap<>();
    private final AtomicLong slowDrops = new AtomicLong();
    /** The most characters ever queued for one client (for tests and the bench: the bound holds). */
    private final AtomicLong pendingHighWater = new AtomicLong();

    /** What is queued for one client, not yet written to its socket. */
    private static final class Outbox {
        final AtomicLong chars = new AtomicLong();
        final AtomicInteger messages = new AtomicInteger();
        final AtomicBoolean dropped = new AtomicBoolean();
    }

    LiveClients(Metrics metrics) {
        this.metrics = metrics;
        metrics.wsClientGauge(sessions::size);
    }

    /** Connected clients. */
    int size() {
        return sessions.size();
    }

    /** No client connected. */
    boolean isEmpty() {
        return sessions.isEmpty();
    }

    /** Clients disconnected because they did not take what they were sent, since start. */
    long slowDrops() {
        return slowDrops.get();
    }

    /** The most characters that were ever queued for one client at a time. */
    long pendingHighWater() {
        return pendingHighWater.get();
    }

    /** Registers a client and sends it its first message. */
    void add(Session s, String first) {
        Outbox box = new Outbox();
        sessions.put(s, box);
        send(s, box, first);
    }

    /** A client went away. */
    void remove(Session s) {
        sessions.remove(s);
    }

    /** Sends to every client. */
    void broadcast(String text) {
        for (Map.Entry<Session, Outbox> e : sessions.entrySet()) {
            send(e.getKey(), e.getValue(), text);
        }
    }

    /** Closes every client with 1001 (going away). */
    void closeAll() {
        for (Session s : sessions.keySet()) {
            s.close(1001, "server shutting down", Callback.NOOP);
        }
        sessions.clear();
    }

    private void send(Session s, Outbox box, String text) {
        if (!s.isOpen()) {
            sessions.remove(s);
            return;
        }
        if (box.dropped.get()) {
            return;
        }
        long queued = box.chars.addAndGet(text.length());
        int messages = box.messages.incrementAndGet();
        pendingHighWater.accumulateAndGet(queued, Math::max);
        if (queued > MAX_PENDING_CHARS || messages > MAX_PENDING_MESSAGES) {
            box.chars.addAndGet(-text.length());
            box.messages.decrementAndGet();
            dropSlow(s, box, queued - text.length(), messages - 1);
            return;
        }
        metrics.wsMessage();
        s.sendText(text, Callback.from(() -> sent(box, text), failure -> {
            sent(box, text);
            if (box.dropped.compareAndSet(false, true)) {
                LOG.debug("dropping WebSocket client {}: {}", s.getRemoteSocketAddress(), failure.toString());
                sessions.remove(s);
                s.close();
            }
        }));
    }

    private static void sent(Outbox box, String text) {
        box.chars.addAndGet(-text.length());
        box.messages.decrementAndGet();
    }

    /** Disconnects a client that does not read: a close frame would wait behind what it has not read. */
    private void dropSlow(Session s, Outbox box, long chars, int messages) {
        if (!box.dropped.compareAndSet(false, true)) {
            return;
        }
        sessions.remove(s);
        long n = slowDrops.incrementAndGet();
        metrics.wsSlowDrop();
        LOG.warn("disconnecting WebSocket client {}: it does not read its messages ({} messages, {} characters"
                + " unsent; limits {} / {}); slow clients dropped so far: {}", s.getRemoteSocketAddress(), messages,
                chars, MAX_PENDING_MESSAGES, MAX_PENDING_CHARS, n);
        s.disconnect();
    }
}
