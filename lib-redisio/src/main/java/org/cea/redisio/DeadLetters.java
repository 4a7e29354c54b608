package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The dead-letter stream {@code can:dead}: entries that cannot be processed, each with the
 * original fields, {@value #F_REASON} and {@value #F_SOURCE_ID} (the entry's id in the source
 * stream). Moving an entry here and acknowledging it in its group happen in one server-side
 * script that acknowledges only after every dead letter was added, so an entry is never
 * acknowledged without its dead letter (a refused XADD leaves it pending and throws). The stream is capped at about
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
    /**
     * KEYS: dead-letter stream, source stream; ARGV: group, cap, then per letter its source id,
     * the number of field/value strings and those strings. Every XADD runs before the XACKs and
     * a failing command (WRONGTYPE, OOM, MISCONF) aborts the script, so an entry is acknowledged
     * only once its dead letter exists. MULTI/EXEC would not do: it runs the XACK even when an
     * XADD before it fails. XACK goes in chunks of 500 ids (Lua's unpack has a stack limit).
     */
    private static final String MOVE_AND_ACK = String.join("\n",
            "local ids = {}",
            "local i = 3",
            "while i <= #ARGV do",
            "  local n = tonumber(ARGV[i + 1])",
            "  local cmd = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*'}",
            "  for j = 1, n do cmd[#cmd + 1] = ARGV[i + 1 + j] end",
            "  redis.call(unpack(cmd))",
            "  ids[#ids + 1] = ARGV[i]",
            "  i = i + 2 + n",
            "end",
            "local acked = 0",
            "for k = 1, #ids, 500 do",
            "  acked = acked + redis.call('XACK', KEYS[2], ARGV[1], unpack(ids, k, math.min(k + 499, #ids)))",
            "end",
            "return acked");

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
     * @throws RedisIoException when Redis refused a command (e.g. {@code can:dead} of another type,
     *                          OOM, MISCONF): nothing was acknowledged; dead letters added before
     *                          the refusal may exist and are added again on the next attempt
     */
    public void moveAndAck(String stream, String group, List<Letter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        args.add(group);
        args.add(Long.toString(MAX_LEN));
        for (Letter l : letters) {
            Map<String, String> body = body(stream, l);
            args.add(l.sourceId());
            args.add(Integer.toString(body.size() * 2));
            body.forEach((f, v) -> {
                args.add(f);
                args.add(v);
            });
        }
        Object acked = call("dead-letter " + letters.size() + " entries of " + stream + " to " + key,
                () -> jedis.eval(MOVE_AND_ACK, List.of(key, stream), args));
        for (Letter l : letters) {
            LOG.warn("dead-lettered {} entry {} to {}: {}", stream, l.sourceId(), key, l.reason());
        }
        LOG.debug("{} of {} dead-lettered entries were still pending in {}", acked, letters.size(), group);
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
