package org.cea.tools.automation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cea.redisio.AlertEvents;
import org.cea.redisio.AlertKeys;
import org.cea.redisio.Backoff;
import org.cea.redisio.ConsumerConfig;
import org.cea.redisio.MalformedEntryException;
import org.cea.redisio.RawEntry;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.StreamConsumer;
import org.cea.tsdb.AlertEventLog;
import org.cea.tsdb.AlertEventRow;
import org.cea.tsdb.TsdbException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Copies {@code alerts:events} into {@code alert_events} (consumer group {@code alert-history},
 * from the stream's start: the insert is idempotent by entry id), acknowledging each batch after
 * its commit. While the database is down the events wait in the stream (capped at about 100 000).
 */
final class HistoryWriter implements Runnable {
    /** Consumer group of the history copy. */
    static final String GROUP = "alert-history";
    private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);
    private final String dbUrl;
    private final String maskedDbUrl;
    private final UnifiedJedis jedis;
    private final AtomicBoolean running;
    private final ConsumerConfig group;
    private final Backoff backoff = new Backoff(500, 30_000);
    private AlertEventLog log;
    private StreamConsumer consumer;

    HistoryWriter(String dbUrl, String maskedDbUrl, UnifiedJedis jedis, AtomicBoolean running, String consumerName) {
        this.dbUrl = dbUrl;
        this.maskedDbUrl = maskedDbUrl;
        this.jedis = jedis;
        this.running = running;
        this.group = new ConsumerConfig(AlertKeys.EVENTS, GROUP, consumerName, 200, 1_000, 60_000, 1_000);
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                try {
                    step();
                    backoff.succeeded();
                } catch (RedisIoException | TsdbException e) {
                    long d = backoff.failed();
                    LOG.warn("alert history to {}: {}; retrying in {} ms", maskedDbUrl, e.getMessage(), d);
                    if (e instanceof TsdbException && log != null) {
                        log.close();
                        log = null;
                    }
                    if (consumer != null) {
                        consumer.rewind();
                    }
                    sleep(d);
                }
            }
        } finally {
            if (log != null) {
                log.close();
            }
        }
    }

    private void step() {
        if (log == null) {
            log = AlertEventLog.open(dbUrl);
        }
        if (consumer == null) {
            consumer = StreamConsumer.create(jedis, group);
        }
        List<RawEntry> batch = consumer.next();
        if (batch.isEmpty()) {
            return;
        }
        List<AlertEventRow> rows = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (RawEntry r : batch) {
            ids.add(r.id());
            try {
                rows.add(row(AlertEvents.parse(r)));
            } catch (MalformedEntryException e) {
                LOG.warn("alert history: skipping an unreadable alerts:events entry: {}", e.getMessage());
            }
        }
        log.append(rows);
        consumer.ack(ids);
    }

    static AlertEventRow row(AlertEvents.Event e) {
        var a = e.alert();
        com.google.gson.JsonObject detail = new com.google.gson.JsonObject();
        e.toFields().forEach(detail::addProperty);
        return new AlertEventRow(e.entryId(), e.ts(), a.id(), a.rule(), a.kind(), a.severity(), e.transition(), a.state(),
                a.room(), a.sensor(), a.value(), a.threshold(), a.message(), a.since(), a.firedAt(), a.ackedBy(), a.ackNote(),
                detail.toString());
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
