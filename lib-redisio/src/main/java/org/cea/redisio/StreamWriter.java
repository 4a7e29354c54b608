package org.cea.redisio;

import java.util.List;

/**
 * One connection that appends frames to a stream with pipelined
 * {@code XADD <stream> MAXLEN ~ <cap> <id> id .. data .. ts .. dlc ..}, one round trip per batch.
 * Entries carry explicit ids, so sending a batch again after a broken connection is idempotent:
 * an id at or below the stream's top is reported as a duplicate, not written twice. That holds
 * only if nothing below the top is missing: an entry Redis refused is reported in
 * {@link BatchResult#refused()}, and one that precedes an accepted entry must get a new id. Batching by
 * time is the caller's job (see {@link StreamPublisher}); this type owns no threads. Not
 * thread-safe.
 */
public interface StreamWriter extends AutoCloseable {

    /**
     * Connects and reads the stream's last generated id.
     *
     * @throws RedisUnavailableException when Redis cannot be reached within the connect timeout
     */
    static StreamWriter connect(RedisConfig config, StreamWriterSettings settings) {
        return RespStreamWriter.connect(config, settings);
    }

    /**
     * Outcome of one batch.
     *
     * @param written        entries added
     * @param duplicates     entries whose id was at or below the stream's top (already there)
     * @param streamLength   the stream's length after the batch
     * @param refused        (additive) entries Redis refused (out of memory, MISCONF, the key of
     *                       another type ...), in order; nothing else was lost
     * @param refusedBehind  (additive) how many of the first {@code refused} precede an entry of
     *                       this batch that is in the stream: their ids are below the top now, so
     *                       they can only be added again under new ids
     * @param refusal        (additive) the first refusal, naming the entry and Redis's error; null when none
     */
    record BatchResult(int written, int duplicates, long streamLength, List<FrameEntry> refused, int refusedBehind,
                       String refusal) {
        /** Counts are &gt;= 0; copies the list. */
        public BatchResult {
            if (written < 0 || duplicates < 0 || streamLength < 0) {
                throw new IllegalArgumentException("counts must be >= 0, were written=" + written
                        + " duplicates=" + duplicates + " streamLength=" + streamLength);
            }
            refused = List.copyOf(refused);
            if (refusedBehind < 0 || refusedBehind > refused.size()) {
                throw new IllegalArgumentException("refusedBehind must be 0.." + refused.size() + ", was " + refusedBehind);
            }
        }

        /** A batch nothing of which was refused. */
        public BatchResult(int written, int duplicates, long streamLength) {
            this(written, duplicates, streamLength, List.of(), 0, null);
        }

        /** True when some entry of the batch is in the stream (added now or before). */
        public boolean anyInStream() {
            return written + duplicates > 0;
        }
    }

    /**
     * Sends the entries in one pipeline and reads every reply.
     *
     * @param entries ids strictly increasing
     * @return how many were added, how many were already there, which ones Redis refused (every
     *         reply is checked: under memory pressure a refused entry can be followed by accepted
     *         ones); the stream length after the batch
     * @throws RedisUnavailableException when the connection broke; the writer is then unusable and
     *                                   the whole batch must be sent again on a new writer
     */
    BatchResult write(List<FrameEntry> entries);

    /**
     * The first half of {@link #write}: sends the batch without waiting for the replies, so the
     * caller can prepare the next batch while Redis works. Every {@code send} must be followed by
     * a {@link #receive} of the same entries, in order.
     *
     * @throws RedisUnavailableException when the connection broke; the writer is then unusable
     */
    void send(List<FrameEntry> entries);

    /**
     * The second half of {@link #write}: reads the replies of the oldest batch sent.
     *
     * @param entries the entries passed to the matching {@link #send}
     * @throws RedisUnavailableException as for {@link #write}
     */
    BatchResult receive(List<FrameEntry> entries);

    /** The stream's last generated id when connected ({@code 0-0} for a new stream), then the last id written. */
    String lastId();

    /** Closes the connection; idempotent. */
    @Override
    void close();
}
