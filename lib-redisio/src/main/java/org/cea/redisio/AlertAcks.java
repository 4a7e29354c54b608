package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;

import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * Acknowledgement requests on {@link AlertKeys#ACKS} (additive contract): can-api appends one per
 * {@code POST /api/alerts/{id}/ack}; cea-automation reads them in its own consumer group, applies
 * them to the alert and records an {@code acknowledged} event. Fields {@code id} (alert id),
 * {@code by}, {@code note}, {@code ts} (Unix ms).
 */
public final class AlertAcks {
    /** Longest {@code by}, characters. */
    public static final int MAX_BY = 64;
    /** Longest {@code note}, characters. */
    public static final int MAX_NOTE = 500;
    private final UnifiedJedis jedis;

    /** The caller owns the connection. */
    public AlertAcks(UnifiedJedis jedis) {
        this.jedis = jedis;
    }

    /**
     * One request.
     *
     * @param entryId stream entry id, or null before it is written
     * @param alertId the alert to acknowledge
     * @param by      who, 1..{@value #MAX_BY} characters
     * @param note    why / what was done, 0..{@value #MAX_NOTE} characters
     * @param ts      Unix ms of the request
     */
    public record Ack(String entryId, String alertId, String by, String note, long ts) {
        /** Validates. */
        public Ack {
            if (alertId == null || alertId.isBlank()) {
                throw new IllegalArgumentException("ack: alert id must not be blank");
            }
            if (by == null || by.isBlank() || by.length() > MAX_BY) {
                throw new IllegalArgumentException("ack: 'by' must be 1.." + MAX_BY + " characters, was "
                        + (by == null ? "missing" : by.length() + " characters"));
            }
            note = note == null ? "" : note;
            if (note.length() > MAX_NOTE) {
                throw new IllegalArgumentException("ack: 'note' must be at most " + MAX_NOTE + " characters, was " + note.length());
            }
        }
    }

    /**
     * Appends a request.
     *
     * @return its entry id
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public String request(Ack a) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", a.alertId());
        f.put("by", a.by());
        f.put("note", a.note());
        f.put("ts", Long.toString(a.ts()));
        return call("XADD " + AlertKeys.ACKS, () -> jedis.xadd(AlertKeys.ACKS, XAddParams.xAddParams()
                .id(StreamEntryID.NEW_ENTRY).maxLen(AlertKeys.REQUESTS_MAX_LEN).approximateTrimming(), f)).toString();
    }

    /**
     * Parses an entry.
     *
     * @throws MalformedEntryException naming the entry and field
     */
    public static Ack parse(RawEntry e) {
        if (e.trimmed()) {
            throw new MalformedEntryException(e.id(), "*", "entry was trimmed");
        }
        long ts;
        try {
            ts = Long.parseLong(e.fields().getOrDefault("ts", ""));
        } catch (NumberFormatException x) {
            throw new MalformedEntryException(e.id(), "ts", "not Unix milliseconds: \"" + e.fields().get("ts") + "\"");
        }
        try {
            return new Ack(e.id(), e.fields().get("id"), e.fields().get("by"), e.fields().get("note"), ts);
        } catch (IllegalArgumentException x) {
            throw new MalformedEntryException(e.id(), "id/by/note", x.getMessage());
        }
    }
}
