package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * The dead-letter stream {@code can:dead}: entries that cannot be processed, each with the
 * original fields, {@value #F_REASON} and {@value #F_SOURCE_ID} (the entry's id in the source
 * stream). Moving an entry here and acknowledging it in its group happen in one MULTI/EXEC, so
 * an entry is never acknowledged without its dead letter. The stream is capped at about
 * {@link #MAX_LEN} entries.
 */
public final class DeadLetters {
    /** Field: why the entry was dead-lettered. */
    public static final String F_REASON = "reason";
    /** Field: the entry's id in the source stream. */
    public static final String F_SOURCE_ID = "source_id";
    /** Field: the source stream's key. */
    public static final String F_SOURCE_STREAM = "source_stream";
    /** Approximate cap on the dead-letter stream's length. */
    public static final long MAX_LEN = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final UnifiedJedis jedis;
    private final String key;

    /** Dead letters in {@link StreamSchema#DEAD_LETTERS}; the caller owns the connection. */
    public DeadLetters(UnifiedJedis jedis) {
        this(jedis, StreamSchema.DEAD_LETTERS);
    }

    /** Dead letters in another stream (tests, other pipelines). */
    public DeadLetters(UnifiedJedis jedis, String key) {
        this.jedis = jedis;
        this.key = key;
    }

    /** One entry to dead-letter: its id, original fields (null when trimmed) and the reason. */
    public record Letter(String sourceId, Map<String, String> fields, String reason) {
        /** Validates. */
        public Letter {
            if (sourceId == null || sourceId.isBlank()) {
                throw new IllegalArgumentException("sourceId must not be blank");
            }
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("reason must not be blank");
            }
        }
    }

    /**
     * Adds the letters to the dead-letter stream and acknowledges their source entries in
     * {@code group} of {@code stream}, atomically.
     *
     * @throws RedisUnavailableException when Redis cannot be reached (nothing or everything was applied)
     */
    public void moveAndAck(String stream, String group, List<Letter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        call("dead-letter " + letters.size() + " entries of " + stream, () -> {
            try (AbstractTransaction tx = jedis.multi()) {
                for (Letter l : letters) {
                    tx.xadd(key, XAddParams.xAddParams().id(StreamEntryID.NEW_ENTRY).maxLen(MAX_LEN).approximateTrimming(),
                            body(stream, l));
                }
                tx.xack(stream, group, letters.stream().map(l -> new StreamEntryID(l.sourceId()))
                        .toArray(StreamEntryID[]::new));
                tx.exec();
            }
            return null;
        });
        for (Letter l : letters) {
            LOG.warn("dead-lettered {} entry {} to {}: {}", stream, l.sourceId(), key, l.reason());
        }
    }

    private static Map<String, String> body(String stream, Letter l) {
        Map<String, String> m = new LinkedHashMap<>();
        if (l.fields() != null) {
            m.putAll(l.fields());
        }
        m.put(F_REASON, l.reason());
        m.put(F_SOURCE_ID, l.sourceId());
        m.put(F_SOURCE_STREAM, stream);
        return m;
    }

    /**
     * Number of entries in the dead-letter stream.
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public long size() {
        return call("XLEN " + key, () -> jedis.xlen(key));
    }

    /** The dead-letter stream's key. */
    public String key() {
        return key;
    }
}
