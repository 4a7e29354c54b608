package org.cea.tools.automation;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cea.automation.ActuatorController;
import org.cea.automation.AlertEngine;
import org.cea.automation.AutomationConfig;
import org.cea.automation.CommandIntent;
import org.cea.automation.FrameWatch;
import org.cea.automation.Notifier;
import org.cea.automation.Observations;
import org.cea.candecode.facility.SensorSpec;
import org.cea.redisio.ActiveAlerts;
import org.cea.redisio.ActuatorCommands;
import org.cea.redisio.AlertAcks;
import org.cea.redisio.AlertEvents;
import org.cea.redisio.AlertKeys;
import org.cea.redisio.AutomationStatus;
import org.cea.redisio.ConsumerConfig;
import org.cea.redisio.LiveStateReader;
import org.cea.redisio.LiveSubscriber;
import org.cea.redisio.LiveValue;
import org.cea.redisio.MalformedEntryException;
import org.cea.redisio.RawEntry;
import org.cea.redisio.RedisConfig;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.StreamConsumer;
import org.cea.redisio.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * The running cea-automation: owns the threads the libraries do not. {@code automation-eval}
 * feeds the {@link AlertEngine} (live readings as they are published, every rule each evaluation
 * period), applies acknowledgements, records transitions ({@code alerts:events} + {@code alerts:active}
 * in one MULTI/EXEC, or {@link OfflineEvents} while Redis is down) and publishes commands;
 * {@code automation-live} subscribes to {@code sensor:updates:batch} (one message per worker read,
 * which wakes {@code automation-eval} once for all its readings); {@code automation-raw} tails
 * {@code can:raw} into a {@link FrameWatch}; one {@code automation-notify-<name>} per notifier;
 * {@code automation-history} copies events into the database. On start it takes over
 * {@code alerts:active}, so a restart neither repeats nor forgets an alert.
 */
final class AutomationService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutomationService.class);
    private static final long STATUS_EVERY_MS = 2_000;
    private static final int SEED_FRAMES = 2_000;
    private final AutomationSettings settings;
    private final AutomationConfig config;
    private final JedisPooled jedis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AutomationMetrics metrics = new AutomationMetrics();
    private final OfflineEvents offline = new OfflineEvents();
    /** Published batches of readings; each wakes {@code automation-eval} once. */
    private final BlockingQueue<List<LiveValue>> readings = new LinkedBlockingQueue<>(10_000);
    private final FrameWatch frames;
    private final AlertEngine engine;
    private final ActuatorController actuators;
    private final List<String> sensorNames = new ArrayList<>();
    private final List<NotifierWorker> workers = new ArrayList<>();
    private final List<Notifier> notifiers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LiveStateReader liveReader;
    private final AlertEvents events;
    private final ActuatorCommands commands;
    private volatile LiveSubscriber subscriber;
    private HttpServer http;
    private StreamConsumer acks;
    private boolean restored;
    private long redisDownSince;
    private long lastStatusMs;

    AutomationService(AutomationSettings settings, List<Notifier> notifiers) {
        this.settings = settings;
        this.config = settings.config();
        this.jedis = settings.redis().openPool(4 + 2 * notifiers.size(), RedisConfig.POOL_WAIT_FOREVER_MS);
        this.frames = new FrameWatch(settings.profile());
        Map<String, String> units = new HashMap<>();
        for (SensorSpec s : settings.profile().sensors()) {
            units.put(s.name(), s.unit());
            sensorNames.add(s.name());
        }
        this.engine = new AlertEngine(config, units, System.currentTimeMillis());
        this.actuators = new ActuatorController(config);
        this.liveReader = new LiveStateReader(jedis);
        this.events = new AlertEvents(jedis);
        this.commands = new ActuatorCommands(jedis);
        this.notifiers.addAll(notifiers);
        for (int i = 0; i < notifiers.size(); i++) {
            workers.add(new NotifierWorker(config.notifiers().get(i), notifiers.get(i), jedis, offline, metrics, config.zone(),
                    running, settings.consumer()));
        }
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
        tryRestore();
        thread("automation-eval", this::evalLoop);
        thread("automation-live", this::liveLoop);
        thread("automation-raw", this::rawLoop);
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

    // ---- start-up: take over what Redis holds ----

    private void tryRestore() {
        if (restored) {
            return;
        }
        try {
            List<org.cea.redisio.Alert> active = new ActiveAlerts(jedis).read();
            engine.restore(active);
            actuators.restore(commands.latest(200));
            for (AutomationConfig.Notifier n : config.notifiers()) {
                NotifierWorker.createAtEnd(jedis, NotifierWorker.groupName(n.name()));
            }
            acks = StreamConsumer.create(jedis, new ConsumerConfig(AlertKeys.ACKS, "cea-automation", settings.consumer(), 100,
                    1, 60_000, 1_000));
            seedFrames();
            restored = true;
            LOG.info("took over {} active alerts from {}", active.size(), AlertKeys.ACTIVE);
        } catch (RedisIoException e) {
            LOG.warn("cannot read the alert state from Redis yet: {}", e.getMessage());
        }
    }

    /** The newest frames of can:raw, oldest first, so node silence and faults are known from the start. */
    private void seedFrames() {
        List<redis.clients.jedis.resps.StreamEntry> newest = jedis.xrevrange(org.cea.redisio.StreamSchema.STREAM, "+", "-",
                SEED_FRAMES);
        for (int i = newest.size() - 1; i >= 0; i--) {
            frame(new RawEntry(newest.get(i).getID().toString(), newest.get(i).getFields()));
        }
        rawCursor = newest.isEmpty() ? "$" : newest.get(0).getID().toString();
    }

    // ---- automation-eval ----

    private void evalLoop() {
        long period = config.evaluationPeriod().toMillis();
        long next = System.currentTimeMillis();
        while (running.get()) {
            long wait = next - System.currentTimeMillis();
            List<List<LiveValue>> batches = new ArrayList<>();
            try {
                List<LiveValue> v = wait > 0 ? readings.poll(wait, TimeUnit.MILLISECONDS) : readings.poll();
                if (v != null) {
                    batches.add(v);
                    readings.drainTo(batches);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            List<AlertEvents.Event> out = new ArrayList<>();
            List<CommandIntent> intents = new ArrayList<>();
            for (List<LiveValue> batch : batches) {
                for (LiveValue v : batch) {
                    AlertEngine.Result r = engine.onReading(v);
                    out.addAll(r.events());
                    intents.addAll(r.intents());
                }
            }
            Map<String, LiveValue> live = Map.of();
            if (System.currentTimeMillis() >= next) {
                next += period;
                if (next < System.currentTimeMillis()) {
                    next = System.currentTimeMillis() + period;
                }
                Observations o = observe();
                live = o.live();
                AlertEngine.Result r = engine.evaluate(o);
                out.addAll(r.events());
                intents.addAll(r.intents());
                metrics.evaluated();
                applyAcks(out, o.now());
            }
            record(out);
            commands(intents, live);
            status();
        }
    }

    private Observations observe() {
        long now = System.currentTimeMillis();
        try {
            Map<String, LiveValue> live = liveReader.read(sensorNames);
            Map<String, String> worker = new WorkerStatus(jedis).read();
            long raw = jedis.xlen(org.cea.redisio.StreamSchema.STREAM);
            long dead = jedis.xlen(org.cea.redisio.StreamSchema.DEAD_LETTERS);
            long[] lag = Backlog.of(jedis, org.cea.redisio.StreamSchema.STREAM, ConsumerConfig.DEFAULT_GROUP);
            if (redisDownSince != 0) {
                LOG.info("Redis answers again after {} s", (now - redisDownSince) / 1000);
            }
            redisDownSince = 0;
            offline.redisDown(false);
            metrics.redisUp(true);
            tryRestore();
            return new Observations(now, live, frames.lastFrames(), frames.sensors(),
                    new Observations.Pipeline(true, 0, worker, raw, dead, lag[0], lag[1]), frames.resumedAt());
        } catch (org.cea.redisio.RedisUnavailableException | redis.clients.jedis.exceptions.JedisConnectionException e) {
            if (redisDownSince == 0) {
                redisDownSince = now;
                LOG.warn("Redis unreachable: {}", e.getMessage());
            }
            offline.redisDown(true);
            metrics.redisUp(false);
            return new Observations(now, Map.of(), frames.lastFrames(), frames.sensors(),
                    Observations.Pipeline.redisDown(redisDownSince));
        } catch (RedisIoException | redis.clients.jedis.exceptions.JedisException e) {
            // Redis answered, but refused a read (a key of the wrong type, say): judge nothing this time
            LOG.warn("Redis refused a read for this evaluation: {}", e.getMessage());
            return new Observations(now, Map.of(), frames.lastFrames(), frames.sensors(),
                    new Observations.Pipeline(true, 0, Map.of("updated_at", Long.toString(now)), -1, -1, -1, 0));
        }
    }

    private void applyAcks(List<AlertEvents.Event> out, long now) {
        if (acks == null || redisDownSince != 0) {
            return;
        }
        try {
            List<RawEntry> entries = acks.pollNew();
            List<String> ids = new ArrayList<>();
            for (RawEntry r : entries) {
                ids.add(r.id());
                try {
                    AlertEvents.Event e = engine.acknowledge(AlertAcks.parse(r), now);
                    if (e != null) {
                        out.add(e);
                    }
                } catch (MalformedEntryException bad) {
                    LOG.warn("ignoring an unreadable acknowledgement: {}", bad.getMessage());
                }
            }
            if (!ids.isEmpty()) {
                record(out);
                out.clear();
                acks.ack(ids);
            }
        } catch (RedisIoException e) {
            LOG.debug("acknowledgements not read: {}", e.getMessage());
        }
    }

    /** Records transitions: offline ones first, in order; on failure they wait in {@link OfflineEvents}. */
    private void record(List<AlertEvents.Event> out) {
        out.forEach(e -> metrics.transition(e.transition()));
        if (!out.isEmpty()) {
            out.forEach(e -> LOG.info("{} {}: {}", e.transition(), e.alert().id(), e.alert().message()));
        }
        if (redisDownSince != 0) {
            offline.add(out);
            metrics.active(engine.active());
            return;
        }
        List<AlertEvents.Event> all = new ArrayList<>(offline.drain());
        all.addAll(out);
        if (all.isEmpty()) {
            return;
        }
        try {
            events.record(all);
        } catch (RedisIoException e) {
            LOG.warn("transitions not recorded yet ({}); notifying directly", e.getMessage());
            offline.restore(all);
        }
        metrics.active(engine.active());
    }

    private void commands(List<CommandIntent> intents, Map<String, LiveValue> live) {
        intents.forEach(actuators::want);
        if (actuators.waiting() == 0 || redisDownSince != 0) {
            return;
        }
        Map<String, LiveValue> fresh = live;
        try {
            if (fresh.isEmpty()) {
                fresh = liveReader.read(sensorNames);
            }
            for (ActuatorCommands.Command c : actuators.due(System.currentTimeMillis(), fresh)) {
                String id = commands.publish(c);
                metrics.command(c.actuator());
                LOG.info("command {} {} {} ({}; entry {})", c.actuator(), c.command(), c.value(), c.rule(), id);
            }
            metrics.staleSuppressed(actuators.suppressedStale());
        } catch (RedisIoException e) {
            LOG.warn("commands not published yet: {}", e.getMessage());
        }
    }

    private void status() {
        long now = System.currentTimeMillis();
        if (now - lastStatusMs < STATUS_EVERY_MS || redisDownSince != 0) {
            return;
        }
        lastStatusMs = now;
        Map<String, String> s = new LinkedHashMap<>();
        s.put("updated_at", Long.toString(now));
        s.put("evaluated_at", Long.toString(now));
        s.put("rules", Integer.toString(config.rules().size()));
        s.put("consumer", settings.consumer());
        s.put("active", Integer.toString(engine.active().size()));
        for (NotifierWorker w : workers) {
            s.put(AutomationStatus.NOTIFIER_PREFIX + w.name(), w.status());
        }
        try {
            new AutomationStatus(jedis).publish(s);
        } catch (RedisIoException e) {
            LOG.debug("status not written: {}", e.getMessage());
        }
        LiveSubscriber sub = subscriber;
        if (sub != null) {
            sub.keepAlive(6_000);
        }
    }

    // ---- automation-live ----

    private void liveLoop() {
        org.cea.redisio.Backoff backoff = new org.cea.redisio.Backoff(100, 5_000);
        while (running.get()) {
            LiveSubscriber sub = LiveSubscriber.batches(settings.redis(), batch -> {
                List<LiveValue> values = new ArrayList<>(batch.size());
                for (org.cea.redisio.LiveUpdate u : batch) {
                    values.add(new LiveValue(u.sensor(), u.value(), u.tsMillis()));
                }
                if (!readings.offer(values)) {
                    LOG.warn("reading queue full; the next evaluation reads every live key");
                }
            });
            subscriber = sub;
            try {
                sub.run();
                backoff.succeeded();
            } catch (RedisIoException e) {
                LOG.debug("live subscription lost: {}", e.getMessage());
                sleep(backoff.failed());
            } finally {
                sub.close();
                subscriber = null;
            }
        }
    }

    // ---- automation-raw ----

    private volatile String rawCursor = "$";
    /**
     * Shortest time between two reads of {@code can:raw}, ms. At facility load (15 frames/s) a blocking
     * read returns every frame on its own; reading at most twice a second takes them in batches and
     * halves this thread's CPU (issue 20), while the node rules it feeds count in seconds.
     */
    static final long RAW_READ_PERIOD_MS = 500;

    private void rawLoop() {
        org.cea.redisio.Backoff backoff = new org.cea.redisio.Backoff(100, 5_000);
        while (running.get()) {
            long started = System.nanoTime();
            try {
                var reply = jedis.xread(redis.clients.jedis.params.XReadParams.xReadParams().block(1_000).count(1_000),
                        Map.of(org.cea.redisio.StreamSchema.STREAM, "$".equals(rawCursor)
                                ? redis.clients.jedis.StreamEntryID.XREAD_NEW_ENTRY
                                : new redis.clients.jedis.StreamEntryID(rawCursor)));
                backoff.succeeded();
                if (reply == null) {
                    continue;
                }
                for (var stream : reply) {
                    for (var e : stream.getValue()) {
                        frame(new RawEntry(e.getID().toString(), e.getFields()));
                        rawCursor = e.getID().toString();
                    }
                }
                long spentMs = (System.nanoTime() - started) / 1_000_000;
                if (spentMs < RAW_READ_PERIOD_MS) {
                    sleep(RAW_READ_PERIOD_MS - spentMs);
                }
            } catch (redis.clients.jedis.exceptions.JedisException e) {
                LOG.debug("can:raw tail: {}", e.getMessage());
                sleep(backoff.failed());
            }
        }
    }

    private void frame(RawEntry e) {
        if (e.trimmed()) {
            return;
        }
        try {
            frames.onFrame(org.cea.redisio.StreamSchema.fromFields(e.id(), e.fields()));
        } catch (MalformedEntryException bad) {
            // the worker dead-letters it; it still shows that the bus delivered something
            LOG.debug("can:raw entry {} unreadable: {}", e.id(), bad.getMessage());
        }
    }

    private void sleep(long ms) {
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
        LiveSubscriber sub = subscriber;
        if (sub != null) {
            sub.close();
        }
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
