package org.cea.tools.automation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cea.automation.FrameWatch;
import org.cea.redisio.Backoff;
import org.cea.redisio.MalformedEntryException;
import org.cea.redisio.RawEntry;
import org.cea.redisio.StreamSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The {@code automation-raw} thread: tails {@code can:raw} into a {@link FrameWatch} (node silence,
 * fault bits), after {@link #seed() seeding} it with the stream's newest frames.
 */
final class RawTail implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RawTail.class);
    private static final int SEED_FRAMES = 2_000;
    /**
     * Shortest time between two reads of {@code can:raw}, ms. At facility load (15 frames/s) a blocking
     * read returns every frame on its own; reading at most twice a second takes them in batches and
     * halves this thread's CPU (issue 20), while the node rules it feeds count in seconds.
     */
    static final long RAW_READ_PERIOD_MS = 500;
    private final JedisPooled jedis;
    private final FrameWatch frames;
    private final AtomicBoolean running;
    private volatile String rawCursor = "$";

    RawTail(JedisPooled jedis, FrameWatch frames, AtomicBoolean running) {
        this.jedis = jedis;
        this.frames = frames;
        this.running = running;
    }

    /** The newest frames of can:raw, oldest first, so node silence and faults are known from the start. */
    void seed() {
        List<StreamEntry> newest = jedis.xrevrange(StreamSchema.STREAM, "+", "-", SEED_FRAMES);
        for (int i = newest.size() - 1; i >= 0; i--) {
            frame(new RawEntry(newest.get(i).getID().toString(), newest.get(i).getFields()));
        }
        rawCursor = newest.isEmpty() ? "$" : newest.get(0).getID().toString();
    }

    /** Reads until the run flag drops; Redis failures back off (100 ms .. 5 s). */
    @Override
    public void run() {
        Backoff backoff = new Backoff(100, 5_000);
        while (running.get()) {
            long started = System.nanoTime();
            try {
                var reply = jedis.xread(XReadParams.xReadParams().block(1_000).count(1_000),
                        Map.of(StreamSchema.STREAM, "$".equals(rawCursor)
                                ? StreamEntryID.XREAD_NEW_ENTRY
                                : new StreamEntryID(rawCursor)));
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
                    AutomationService.pause(RAW_READ_PERIOD_MS - spentMs, running);
                }
            } catch (JedisException e) {
                LOG.debug("can:raw tail: {}", e.getMessage());
                AutomationService.pause(backoff.failed(), running);
            }
        }
    }

    private void frame(RawEntry e) {
        if (e.trimmed()) {
            return;
        }
        try {
            frames.onFrame(StreamSchema.fromFields(e.id(), e.fields()));
        } catch (MalformedEntryException bad) {
            // the worker dead-letters it; it still shows that the bus delivered something
            LOG.debug("can:raw entry {} unreadable: {}", e.id(), bad.getMessage());
        }
    }
}
