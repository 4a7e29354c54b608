package org.cea.redisio;

import java.util.List;

/**
 * One connection that appends frames to a stream with pipelined
 * {@code XADD <stream> MAXLEN ~ <cap> <id> id .. data .. ts .. dlc ..}, one round trip per batch.
 * Entries carry explicit ids, so sending a batch again after a broken connection is idempotent:
 * an id at or below the stream's top is reported as a duplicate, not written twice. Batching by
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

    /** Outcome of one batch. */
    record BatchResult(int written, int duplicates, long streamLength) {
        /** Counts are &gt;= 0. */
        public BatchResult {
            if (written < 0 || duplicates < 0 || streamLength < 0) {
                throw new IllegalArgumentException("counts must be >= 0, were written=" + written
                        + " duplicates=" + duplicates + " streamLength=" + streamLength);
            }
        }
    }

    /**
     * Sends the entries in one pipeline and reads every reply.
     *
     * @param entries ids strictly increasing
     * @return how many were added and how many were already there; the stream length after the batch
     * @throws RedisUnavailableException when the connection broke or Redis refused writes (out of
     *                                   memory, loading, read-only); the writer is then unusable and
     *                                   the whole batch must be sent again on a new writer
     * @throws RedisIoException          for any other error reply, e.g. the key holds another type
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
     * @throws RedisIoException          as for {@link #write}
     */
    BatchResult receive(List<FrameEntry> entries);

    /** The stream's last generated id when connected ({@code 0-0} for a new stream), then the last id written. */
    String lastId();

    /** Closes the connection; idempotent. */
    @Override
    void close();
}
