package org.cea.tools.automation;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cea.automation.AlertEngine;
import org.cea.automation.FrameWatch;
import org.cea.automation.Notifier;
import org.cea.redisio.RedisConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * The running cea-automation: owns the threads the libraries do not. {@code automation-eval}
 * ({@link Evaluator}) feeds the {@link AlertEngine}, records transitions and publishes commands;
 * {@code automation-live} ({@link LiveFeed}) subscribes to {@code sensor:updates:batch} (one message
 * per worker read, which wakes {@code automation-eval} once for all its readings);
 * {@code automation-raw} ({@link RawTail}) tails {@code can:raw} into a {@link FrameWatch}; one
 * {@code automation-notify-<name>} per notifier; {@code automation-history} copies events into the
 * database. On start it takes over {@code alerts:active}, so a restart neither repeats nor forgets an alert.
 */
final class AutomationService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutomationService.class);
    private final AutomationSettings settings;
    private final JedisPooled jedis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AutomationMetrics metrics = new AutomationMetrics();
    private final List<NotifierWorker> workers = new ArrayList<>();
    private final List<Notifier> notifiers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LiveFeed live;
    private final RawTail raw;
    private final Evaluator evaluator;
    private HttpServer http;

    AutomationService(AutomationSettings settings, List<Notifier> notifiers) {
        this.settings = settings;
        this.jedis = settings.redis().openPool(4 + 2 * notifiers.size(), RedisConfig.POOL_WAIT_FOREVER_MS);
        FrameWatch frames = new FrameWatch(settings.profile());
        OfflineEvents offline = new OfflineEvents();
        this.notifiers.addAll(notifiers);
        for (int i = 0; i < notifiers.size(); i++) {
            workers.add(new NotifierWorker(settings.config().notifiers().get(i), notifiers.get(i), jedis, offline, metrics,
                    settings.config().zone(), running, settings.consumer()));
        }
        this.live = new LiveFeed(settings.redis(), running);
        this.raw = new RawTail(jedis, frames, running);
        this.evaluator = new Evaluator(settings, new Evaluator.Shared(jedis, running, metrics, offline, frames), workers,
                live, raw);
    }

    /** Starts the threads (and the metrics endpoint); returns at once. */
    void start() throws IOException {
        if (settings.metrics() != null) {
            http = HttpServer.create(settings.metrics(), 4);
            http.createContext("/metrics", ex -> {
                byte[] body = metrics.render().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            });
            http.start();
            LOG.info("metrics on http://{}:{}/metrics", settings.metrics().getHostString(), http.getAddress().getPort());
        }
        evaluator.restore();
        thread("automation-eval", evaluator);
        thread("automation-live", live);
        thread("automation-raw", raw);
        for (NotifierWorker w : workers) {
            thread("automation-notify-" + w.name(), w);
        }
        if (settings.dbUrl() != null) {
            thread("automation-history", new HistoryWriter(settings.dbUrl(), settings.maskedDbUrl(), jedis, running,
                    settings.consumer()));
        }
        LOG.info("cea-automation started: {}", settings);
    }

    /** The metrics endpoint's port (0 when none). */
    int metricsPort() {
        return http == null ? 0 : http.getAddress().getPort();
    }

    private void thread(String name, Runnable r) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed; stopping cea-automation so systemd restarts it", name, e);
                running.set(false);
            }
        }, name);
        threads.add(t);
        t.start();
    }

    /** True until a thread died or {@link #close()}. */
    boolean running() {
        return running.get();
    }

    /** Sleeps {@code ms}; an interrupt drops the run flag (a shutdown) and keeps the thread's interrupt status. */
    static void pause(long ms, AtomicBoolean running) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            running.set(false);
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every thread (bounded: 5 s each), the metrics endpoint, the notifiers and Redis; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running.set(false);
        live.close();
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (http != null) {
            http.stop(0);
        }
        notifiers.forEach(Notifier::close);
        jedis.close();
        LOG.info("cea-automation stopped");
    }
}
