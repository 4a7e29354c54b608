package org.cea.tools.worker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cea.candecode.DecodeResult;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.facility.FacilityProcessor;
import org.cea.redisio.ConsumerConfig;
import org.cea.redisio.LostFrames;
import org.cea.redisio.RawEntry;
import org.cea.redisio.RedisIoException;
import org.cea.redisio.StreamConsumer;
import org.cea.redisio.StreamSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Judges sequence-counter gaps once for every worker: the worker holding the lease reads the whole
 * stream in order through the group {@value LostFrames#GROUP} and adds the gaps to
 * {@link LostFrames}. A worker sees only its share of the entries when others run beside it, so
 * its own counters would report gaps that are only the other workers' frames.
 *
 * <p>Called by the worker's judging thread once per status period ({@link #judge}). A new judge
 * (after a handover, or after the stream's cap trimmed entries it had not read) starts its counters
 * afresh: a gap that spans the handover is not counted. Not thread-safe: one judging thread;
 * {@link #lostFramesByNode} only reads Redis and may be called from any thread.
 */
final class SequenceJudge {
    private static final Logger LOG = LoggerFactory.getLogger(SequenceJudge.class);
    /** The judge's consumer name: fixed, so a new judge reads what a dead one left pending. */
    static final String CONSUMER = "seq-judge";
    private static final int BATCH = 1_000;

    private final UnifiedJedis jedis;
    private final ConsumerConfig config;
    private final String holder;
    private final long leaseMs;
    private final long maxEntries;
    private final FrameDecoder decoder;
    private final Supplier<FacilityProcessor> freshProcessor;
    private final LostFrames lost;
    private StreamConsumer consumer;
    /** Null while another worker judges. */
    private FacilityProcessor processor;
    /** The processor's counts already added to {@link LostFrames}. */
    private final Map<Integer, Long> added = new HashMap<>();
    private long trimmedSeen;
    private long resetsSeen;

    /**
     * @param jedis          the worker's connection
     * @param workerConfig   the worker's consumer settings (stream, consumer name as the lease holder)
     * @param leaseMs        how long the lease outlives its holder's last call, ms
     * @param maxEntries     most entries one {@link #judge} call reads (the rest wait for the next)
     * @param decoder        the worker's decoder
     * @param freshProcessor a processor with no history (only its sequence tracking is used)
     */
    SequenceJudge(UnifiedJedis jedis, ConsumerConfig workerConfig, long leaseMs, long maxEntries, FrameDecoder decoder,
                  Supplier<FacilityProcessor> freshProcessor) {
        this.jedis = jedis;
        this.config = workerConfig.withGroup(LostFrames.GROUP).withConsumer(CONSUMER).withBatchSize(BATCH)
                .withBlockMs(1);
        this.holder = workerConfig.consumer();
        this.leaseMs = leaseMs;
        this.maxEntries = maxEntries;
        this.decoder = decoder;
        this.freshProcessor = freshProcessor;
        this.lost = new LostFrames(jedis, workerConfig.stream());
    }

    /**
     * Judges the entries written since the last call (at most {@code maxEntries}) when this worker
     * holds the lease or can take it; otherwise does nothing.
     *
     * @throws RedisIoException when Redis fails (the judge reads its entries again next time)
     */
    void judge() {
        if (!lost.holdLease(holder, leaseMs)) {
            if (processor != null) {
                LOG.info("another worker judges sequence gaps now");
            }
            processor = null;
            return;
        }
        try {
            if (consumer == null) {
                consumer = StreamConsumer.create(jedis, config);
            }
            if (processor == null) {
                start("this worker judges sequence gaps for every worker");
            }
            long trimmed = consumer.trimmedUndelivered();
            if (trimmed > trimmedSeen) {
                start((trimmed - trimmedSeen) + " entries were trimmed by the stream's cap before the sequence judge"
                        + " read them: its counters start afresh (no gap is counted across them)");
            }
            trimmedSeen = trimmed;
            long read = 0;
            List<RawEntry> batch;
            do {
                batch = consumer.next();
                judge(batch);
                read += batch.size();
            } while (batch.size() == BATCH && read < maxEntries);
            reportResets();
        } catch (RedisIoException e) {
            if (consumer != null) {
                consumer.rewind();
            }
            throw e;
        }
    }

    /** Frames lost per node as judged for the whole pipeline (nodes with losses only). */
    Map<Integer, Long> lostFramesByNode() {
        return lost.read();
    }

    private void start(String why) {
        processor = freshProcessor.get();
        added.clear();
        resetsSeen = 0;
        LOG.info(why);
    }

    private void judge(List<RawEntry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(batch.size());
        for (RawEntry e : batch) {
            ids.add(e.id());
            if (e.trimmed()) {
                continue;
            }
            try {
                DecodeResult d = decoder.decode(StreamSchema.fromFields(e.id(), e.fields()));
                if (d instanceof DecodedMessage m) {
                    processor.trackSequence(m);
                }
            } catch (RuntimeException ex) {
                // malformed entries are the worker's to dead-letter; they carry no counter to judge
                LOG.debug("sequence judge: entry {} skipped: {}", e.id(), ex.getMessage());
            }
        }
        Map<Integer, Long> delta = new HashMap<>();
        processor.lostFramesByNode().forEach((node, n) -> {
            long more = n - added.getOrDefault(node, 0L);
            if (more > 0) {
                delta.put(node, more);
            }
        });
        lost.add(delta, ids);
        added.putAll(processor.lostFramesByNode());
    }

    private void reportResets() {
        long resets = processor.sequenceResets();
        if (resets > resetsSeen) {
            LOG.info("{} sequence counter(s) restarted without the time to match a loss (a node rebooted, or was"
                    + " silent for over 256 cycles): not counted as lost frames ({} since this judge started)",
                    resets - resetsSeen, resets);
            resetsSeen = resets;
        }
    }
}
