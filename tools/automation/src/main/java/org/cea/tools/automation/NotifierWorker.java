package org.cea.tools.automation;

import com.google.gson.JsonObject;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.cea.automation.AutomationConfig;
import org.cea.automation.DeliveryPolicy;
import org.cea.automation.Notification;
import org.cea.automation.Notifier;
import org.cea.automation.NotifyException;
import org.cea.automation.RateLimiter;
import org.cea.redisio.AlertEvents;
import org.cea.redisio.AlertKeys;
import org.cea.redisio.Backoff;
import org.cea.redisio.ConsumerConfig;
import org.cea.redisio.MalformedEntryException;
import org.cea.redisio.RawEntry;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.StreamConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.cea.redisio.RedisUnavailableException;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One notifier's thread: reads {@code alerts:events} in its own consumer group
 * ({@code notify:<name>}, created at the stream's end on first start so history is not re-sent),
 * sends each event the notifier wants ({@link DeliveryPolicy}), and acknowledges it only after
 * delivery: a kill -9 between send and acknowledgement is the only way to send one twice, and the
 * event key lets receivers drop that repeat. Failures are retried with capped backoff (the event
 * stays pending) until {@code give_up_after_h}; a token bucket caps messages per minute. While
 * Redis is unreachable it delivers from {@link OfflineEvents}.
 */
final class NotifierWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(NotifierWorker.class);
    private final AutomationConfig.Notifier cfg;
    private final Notifier notifier;
    private final UnifiedJedis jedis;
    private final OfflineEvents offline;
    private final AutomationMetrics metrics;
    private final ZoneId zone;
    private final AtomicBoolean running;
    private final RateLimiter rate;
    private final Backoff backoff;
    private final ConsumerConfig group;
    private final AtomicLong pending = new AtomicLong();
    private volatile String lastError = "";
    private volatile long lastOkAt;
    private volatile boolean ok = true;
    private StreamConsumer consumer;

    NotifierWorker(AutomationConfig.Notifier cfg, Notifier notifier, UnifiedJedis jedis, OfflineEvents offline,
                   AutomationMetrics metrics, ZoneId zone, AtomicBoolean running, String consumerName) {
        this.cfg = cfg;
        this.notifier = notifier;
        this.jedis = jedis;
        this.offline = offline;
        this.metrics = metrics;
        this.zone = zone;
        this.running = running;
        this.rate = new RateLimiter(cfg.ratePerMinute(), System.nanoTime() / 1_000_000L);
        this.backoff = new Backoff(500, cfg.retryMax().toMillis());
        this.group = new ConsumerConfig(AlertKeys.EVENTS, groupName(cfg.name()), consumerName, 50, 1_000, 60_000, 1_000);
        metrics.register(cfg.name());
    }

    /** The consumer group of a notifier. */
    static String groupName(String notifier) {
        return "notify:" + notifier;
    }

    /**
     * Creates a notifier's group at the end of {@code alerts:events} when it does not exist yet: a
     * notifier added to a running installation starts with new transitions, not the history.
     *
     * @throws RedisIoException when Redis cannot be reached
     */
    static void createAtEnd(UnifiedJedis jedis, String groupName) {
        try {
            jedis.xgroupCreate(AlertKeys.EVENTS, groupName, StreamEntryID.XGROUP_LAST_ENTRY, true);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw new RedisIoException("XGROUP CREATE " + AlertKeys.EVENTS + " " + groupName + ": " + e.getMessage(), e);
            }
        } catch (JedisException e) {
            throw new RedisUnavailableException("XGROUP CREATE " + AlertKeys.EVENTS + " " + groupName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void run() {
        while (running.get()) {
            try {
                OfflineEvents.Entry e = offline.claim(cfg.name());
                if (e != null) {
                    deliverOffline(e);
                    continue;
                }
                if (offline.redisDown()) {
                    sleep(100);
                    continue;
                }
                if (consumer == null) {
                    createAtEnd(jedis, group.group());
                    consumer = StreamConsumer.create(jedis, group);
                }
                List<RawEntry> batch = consumer.next();
                pending.set(batch.size());
                for (RawEntry r : batch) {
                    if (!running.get()) {
                        return;
                    }
                    handle(r);
                    pending.decrementAndGet();
                }
            } catch (RedisIoException e) {
                if (consumer != null) {
                    consumer.rewind();
                }
                sleep(200);
            }
        }
    }

    private void deliverOffline(OfflineEvents.Entry e) {
        if (!DeliveryPolicy.wants(cfg, e.event)) {
            return;
        }
        if (!deliver(e.event)) {
            offline.unclaim(e, cfg.name());
        }
    }

    private void handle(RawEntry r) {
        AlertEvents.Event e;
        try {
            e = AlertEvents.parse(r);
        } catch (MalformedEntryException bad) {
            LOG.warn("notifier {}: skipping an unreadable alerts:events entry: {}", cfg.name(), bad.getMessage());
            consumer.ack(List.of(r.id()));
            return;
        }
        if (DeliveryPolicy.wants(cfg, e) && !deliver(e)) {
            return;
        }
        consumer.ack(List.of(r.id()));
    }

    /** Sends with retry; true when delivered or given up (permanent error, too old), false when stopping. */
    private boolean deliver(AlertEvents.Event e) {
        Notification n = new Notification(e, zone);
        while (running.get()) {
            long wait = rate.waitMs(System.nanoTime() / 1_000_000L);
            if (wait > 0) {
                sleep(Math.min(wait, 1_000));
                continue;
            }
            if (System.currentTimeMillis() - e.ts() > cfg.giveUpAfter().toMillis()) {
                LOG.error("notifier {}: giving up on {} of {} after {} h", cfg.name(), e.transition(), e.alert().id(),
                        cfg.giveUpAfter().toHours());
                metrics.dropped(cfg.name());
                return true;
            }
            rate.tryAcquire(System.nanoTime() / 1_000_000L);
            try {
                notifier.send(n);
                metrics.sent(cfg.name());
                ok = true;
                lastOkAt = System.currentTimeMillis();
                backoff.succeeded();
                LOG.info("notifier {}: sent {} of {}", cfg.name(), e.transition(), e.alert().id());
                return true;
            } catch (NotifyException x) {
                if (failed(e, x)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A failed send: true when given up for good, else after the backoff's sleep (false). */
    private boolean failed(AlertEvents.Event e, NotifyException x) {
        metrics.failed(cfg.name());
        ok = false;
        lastError = x.getMessage();
        if (!x.retryable()) {
            LOG.error("notifier {}: {} of {} refused for good: {}", cfg.name(), e.transition(), e.alert().id(),
                    x.getMessage());
            metrics.dropped(cfg.name());
            return true;
        }
        long d = backoff.failed();
        LOG.warn("notifier {}: {} of {} failed, retrying in {} ms: {}", cfg.name(), e.transition(), e.alert().id(),
                d, x.getMessage());
        sleep(d);
        return false;
    }

    /** The {@code notifier:<name>} status JSON. */
    String status() {
        JsonObject o = new JsonObject();
        o.addProperty("ok", ok);
        o.addProperty("sent", metrics.sentCount(cfg.name()));
        o.addProperty("failures", metrics.failureCount(cfg.name()));
        o.addProperty("pending", pending.get());
        o.addProperty("last_error", lastError);
        o.addProperty("last_ok_at", lastOkAt);
        return o.toString();
    }

    String name() {
        return cfg.name();
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            running.set(false);
            Thread.currentThread().interrupt();
        }
    }
}
