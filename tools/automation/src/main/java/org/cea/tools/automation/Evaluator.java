package org.cea.tools.automation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cea.automation.ActuatorController;
import org.cea.automation.AlertEngine;
import org.cea.automation.AutomationConfig;
import org.cea.automation.CommandIntent;
import org.cea.automation.FrameWatch;
import org.cea.automation.Observations;
import org.cea.candecode.facility.SensorSpec;
import org.cea.redisio.ActiveAlerts;
import org.cea.redisio.ActuatorCommands;
import org.cea.redisio.Alert;
import org.cea.redisio.AlertAcks;
import org.cea.redisio.AlertEvents;
import org.cea.redisio.AlertKeys;
import org.cea.redisio.AutomationStatus;
import org.cea.redisio.ConsumerConfig;
import org.cea.redisio.LiveStateReader;
import org.cea.redisio.LiveValue;
import org.cea.redisio.MalformedEntryException;
import org.cea.redisio.RawEntry;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.StreamConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * The {@code automation-eval} thread: feeds the {@link AlertEngine} (live readings as they are
 * published, every rule each evaluation period), applies acknowledgements, records transitions
 * ({@code alerts:events} + {@code alerts:active} in one MULTI/EXEC, or {@link OfflineEvents} while
 * Redis is down), publishes commands and writes {@code automation:status}. {@link #restore()} takes
 * over {@code alerts:active}, so a restart neither repeats nor forgets an alert.
 */
final class Evaluator implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);
    private static final long STATUS_EVERY_MS = 2_000;
    private final AutomationSettings settings;
    private final AutomationConfig config;
    private final JedisPooled jedis;
    private final AtomicBoolean running;
    private final AutomationMetrics metrics;
    private final OfflineEvents offline;
    private final List<NotifierWorker> workers;
    private final LiveFeed live;
    private final RawTail raw;
    private final List<String> sensorNames = new ArrayList<>();
    private final AlertEngine engine;
    private final ActuatorController actuators;
    private final LiveStateReader liveReader;
    private final AlertEvents events;
    private final ActuatorCommands commands;
    private final PipelineObserver observer;
    private StreamConsumer acks;
    private boolean restored;
    private long lastStatusMs;

    /** The parts shared with the other threads of the service. */
    record Shared(JedisPooled jedis, AtomicBoolean running, AutomationMetrics metrics, OfflineEvents offline,
                  FrameWatch frames) {
    }

    Evaluator(AutomationSettings settings, Shared shared, List<NotifierWorker> workers, LiveFeed live, RawTail raw) {
        this.settings = settings;
        this.config = settings.config();
        this.jedis = shared.jedis();
        this.running = shared.running();
        this.metrics = shared.metrics();
        this.offline = shared.offline();
        this.workers = workers;
        this.live = live;
        this.raw = raw;
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
        this.observer = new PipelineObserver(jedis, liveReader, sensorNames, shared.frames(), offline, metrics);
    }

    /** Takes over what Redis holds (active alerts, latest commands, consumer groups, newest frames); once. */
    void restore() {
        if (restored) {
            return;
        }
        try {
            List<Alert> active = new ActiveAlerts(jedis).read();
            engine.restore(active);
            actuators.restore(commands.latest(200));
            for (AutomationConfig.Notifier n : config.notifiers()) {
                NotifierWorker.createAtEnd(jedis, NotifierWorker.groupName(n.name()));
            }
            acks = StreamConsumer.create(jedis, new ConsumerConfig(AlertKeys.ACKS, "cea-automation", settings.consumer(), 100,
                    1, 60_000, 1_000));
            raw.seed();
            restored = true;
            LOG.info("took over {} active alerts from {}", active.size(), AlertKeys.ACTIVE);
        } catch (RedisIoException e) {
            LOG.warn("cannot read the alert state from Redis yet: {}", e.getMessage());
        }
    }

    /** Evaluates until the run flag drops or the thread is interrupted. */
    @Override
    public void run() {
        long period = config.evaluationPeriod().toMillis();
        long next = System.currentTimeMillis();
        while (running.get()) {
            List<List<LiveValue>> batches;
            try {
                batches = live.take(next - System.currentTimeMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            List<AlertEvents.Event> out = new ArrayList<>();
            List<CommandIntent> intents = new ArrayList<>();
            for (List<LiveValue> batch : batches) {
                for (LiveValue v : batch) {
                    add(engine.onReading(v), out, intents);
                }
            }
            Map<String, LiveValue> values = Map.of();
            if (System.currentTimeMillis() >= next) {
                next += period;
                if (next < System.currentTimeMillis()) {
                    next = System.currentTimeMillis() + period;
                }
                Observations o = observer.observe(this::restore);
                values = o.live();
                add(engine.evaluate(o), out, intents);
                metrics.evaluated();
                applyAcks(out, o.now());
            }
            record(out);
            commands(intents, values);
            status();
        }
    }

    private static void add(AlertEngine.Result r, List<AlertEvents.Event> out, List<CommandIntent> intents) {
        out.addAll(r.events());
        intents.addAll(r.intents());
    }

    private void applyAcks(List<AlertEvents.Event> out, long now) {
        if (acks == null || observer.redisDown()) {
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
        if (observer.redisDown()) {
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

    private void commands(List<CommandIntent> intents, Map<String, LiveValue> values) {
        intents.forEach(actuators::want);
        if (actuators.waiting() == 0 || observer.redisDown()) {
            return;
        }
        Map<String, LiveValue> fresh = values;
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
        if (now - lastStatusMs < STATUS_EVERY_MS || observer.redisDown()) {
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
        live.keepAlive(6_000);
    }
}
