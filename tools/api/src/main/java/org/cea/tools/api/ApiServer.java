package org.cea.tools.api;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running can-api: Jetty 12 core (no servlets) serving the REST endpoints, {@code /ws/live},
 * the dashboard and {@code /metrics}. Live values come from Redis, history from the database; each
 * backend may be down without stopping the server.
 */
final class ApiServer implements AutoCloseable {
    /** WebSocket path of the live feed. */
    static final String WS_PATH = "/ws/live";
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final int MAX_THREADS = 32;
    /** SO_SNDBUF of accepted connections, bytes (Linux doubles it): 64 KiB still fills a LAN link. */
    static final int SEND_BUFFER_BYTES = 64 * 1024;
    private final Server server;
    private final LiveHub hub;
    private final LiveState live;
    private final HistorySource history;
    private final Metrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ApiServer(Server server, LiveHub hub, LiveState live, HistorySource history, Metrics metrics) {
        this.server = server;
        this.hub = hub;
        this.live = live;
        this.history = history;
        this.metrics = metrics;
    }

    /**
     * Starts the server with the database behind lib-tsdb's {@code Store}.
     *
     * @throws IllegalStateException when the port cannot be bound (the message says which)
     */
    static ApiServer start(ApiConfig cfg, SensorCatalog catalog, Clock clock) {
        Metrics metrics = new Metrics();
        return start(cfg, catalog, clock, metrics, new StoreHistorySource(cfg.dbUrl(), cfg.maskedDbUrl(), metrics));
    }

    /**
     * Starts the server over the given history source (which it then owns and closes).
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    static ApiServer start(ApiConfig cfg, SensorCatalog catalog, Clock clock, Metrics metrics, HistorySource history) {
        LiveState live = null;
        LiveHub hub = null;
        Server server = null;
        try {
            live = new LiveState(cfg.redis(), metrics);
            hub = new LiveHub(live, catalog, clock, cfg.staleAfter().toMillis(), metrics);
            Endpoints endpoints = new Endpoints(catalog, live, history, hub, clock, cfg.staleAfter().toMillis());
            server = jetty(cfg, new ApiHandler(endpoints, new StaticContent(), metrics), hub, metrics);
            hub.start();
            server.start();
            ApiServer s = new ApiServer(server, hub, live, history, metrics);
            LOG.info("can-api listening on {} ({})", s.uri(), cfg);
            return s;
        } catch (Exception e) {
            RuntimeException failure = e instanceof RuntimeException r ? r
                    : new IllegalStateException("cannot start the HTTP server on " + cfg.host() + ":" + cfg.port()
                    + ": " + e.getMessage(), e);
            closeQuietly(failure, server, hub, live, history);
            throw failure;
        }
    }

    private static Server jetty(ApiConfig cfg, ApiHandler handler, LiveHub hub, Metrics metrics) {
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 2);
        pool.setName("api-http");
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(cfg.host());
        connector.setPort(cfg.port());
        // bounds the kernel's share of a client that stops reading (Linux autotunes up to 4 MB per socket)
        connector.setAcceptedSendBufferSize(SEND_BUFFER_BYTES);
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(Duration.ofMinutes(10));
            container.setMaxOutgoingFrames(1024);
            container.addMapping(WS_PATH, (request, response, callback) -> hub.newClient());
        });
        ws.setHandler(handler);
        server.setHandler(new AccessGuard(cfg.access(), metrics, ws));
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(3_000);
        return server;
    }

    /** The bound port (useful with port 0). */
    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** {@code http://host:port/}. */
    URI uri() {
        ServerConnector c = (ServerConnector) server.getConnectors()[0];
        String host = c.getHost() == null ? "127.0.0.1" : c.getHost();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + c.getLocalPort() + "/");
    }

    /** The request and error counters. */
    Metrics metrics() {
        return metrics;
    }

    /** The live feed (for tests: subscription state, client count). */
    LiveHub hub() {
        return hub;
    }

    /** Blocks until the server has stopped. */
    void join() throws InterruptedException {
        server.join();
    }

    /** Stops accepting, closes WebSocket clients, stops the live threads and closes Redis and the database; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("can-api stopping");
        RuntimeException failure = new IllegalStateException("errors while stopping can-api");
        closeQuietly(failure, server, hub, live, history);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static void closeQuietly(RuntimeException failure, Server server, AutoCloseable... others) {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
        for (AutoCloseable c : others) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
