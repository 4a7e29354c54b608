package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The {@link AlertKeys#EVENTS} stream and, written in the same MULTI/EXEC, the
 * {@link AlertKeys#ACTIVE} hash: a transition is never in one without the other. Each entry holds
 * the alert's fields ({@link Alert#toFields()}) plus {@value #F_TRANSITION}, {@value #F_TS} and,
 * additive, {@value #F_NOTIFIED_BY} (notifiers that already delivered it directly, while Redis was
 * unreachable). Thread-safe if the connection is.
 */
public final class AlertEvents {
    /** Field: the transition. */
    public static final String F_TRANSITION = "transition";
    /** Field: Unix ms of the transition. */
    public static final String F_TS = "ts";
    /** Field (additive): comma-separated notifier names that delivered the event before it was recorded. */
    public static final String F_NOTIFIED_BY = "notified_by";
    /** Transitions. */
    public static final Set<String> TRANSITIONS = Set.of("pending", "firing", "resolved", "acknowledged", "reminder");

    private final UnifiedJedis jedis;

    /** The caller owns the connection. */
    public AlertEvents(UnifiedJedis jedis) {
        this.jedis = jedis;
    }

    /**
     * One transition.
     *
     * @param entryId    the stream entry id, or null before it is recorded
     * @param transition one of {@link #TRANSITIONS}
     * @param ts         Unix ms
     * @param alert      the alert after the transition (state {@code resolved} for a resolved event)
     * @param notifiedBy notifiers that already delivered it (empty normally)
     */
    public record Event(String entryId, String transition, long ts, Alert alert, Set<String> notifiedBy) {
        /** Validates. */
        public Event {
            if (!TRANSITIONS.contains(transition)) {
                throw new IllegalArgumentException("transition must be one of " + new java.util.TreeSet<>(TRANSITIONS)
                        + ", was '" + transition + "'");
            }
            if (alert == null) {
                throw new IllegalArgumentException("event needs an alert");
            }
            notifiedBy = Set.copyOf(notifiedBy == null ? Set.of() : notifiedBy);
        }

        /** True when the alert leaves the active hash with this event. */
        public boolean resolves() {
            return "resolved".equals(transition);
        }

        /** A copy with its entry id. */
        public Event withEntryId(String id) {
            return new Event(id, transition, ts, alert, notifiedBy);
        }

        /** The stream fields. */
        public Map<String, String> toFields() {
            Map<String, String> m = new LinkedHashMap<>(alert.toFields());
            m.put(F_TRANSITION, transition);
            m.put(F_TS, Long.toString(ts));
            if (!notifiedBy.isEmpty()) {
                m.put(F_NOTIFIED_BY, String.join(",", new java.util.TreeSet<>(notifiedBy)));
            }
            return m;
        }
    }

    /**
     * Parses an entry.
     *
     * @throws MalformedEntryException naming the entry and field
     */
    public static Event parse(RawEntry e) {
        if (e.trimmed()) {
            throw new MalformedEntryException(e.id(), "*", "entry was trimmed");
        }
        Map<String, String> f = e.fields();
        String ts = f.get(F_TS);
        long t;
        try {
            t = Long.parseLong(ts == null ? "" : ts);
        } catch (NumberFormatException x) {
            throw new MalformedEntryException(e.id(), F_TS, "not Unix milliseconds: \"" + ts + "\"");
        }
        String by = f.get(F_NOTIFIED_BY);
        Set<String> notified = by == null || by.isBlank() ? Set.of() : new LinkedHashSet<>(Arrays.asList(by.split(",")));
        try {
            return new Event(e.id(), f.get(F_TRANSITION), t, Alert.fromFields(e.id(), f), notified);
        } catch (IllegalArgumentException x) {
            throw new MalformedEntryException(e.id(), F_TRANSITION, x.getMessage());
        }
    }

    /**
     * Records transitions in order, atomically with the active hash: each event is XADDed, and its
     * alert HSET into (or, when it resolves, HDELeted from) {@link AlertKeys#ACTIVE}.
     *
     * @return the events with their entry ids
     * @throws RedisUnavailableException when Redis cannot be reached (then nothing was applied)
     */
    public List<Event> record(List<Event> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        return call("record " + events.size() + " alert transitions", () -> {
            List<Response<StreamEntryID>> ids = new ArrayList<>(events.size());
            try (AbstractTransaction tx = jedis.multi()) {
                for (Event e : events) {
                    ids.add(tx.xadd(AlertKeys.EVENTS, XAddParams.xAddParams().id(StreamEntryID.NEW_ENTRY)
                            .maxLen(AlertKeys.EVENTS_MAX_LEN).approximateTrimming(), e.toFields()));
                    if (e.resolves()) {
                        tx.hdel(AlertKeys.ACTIVE, e.alert().id());
                    } else {
                        tx.hset(AlertKeys.ACTIVE, e.alert().id(), e.alert().toJson());
                    }
                }
                tx.exec();
            }
            List<Event> out = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                out.add(events.get(i).withEntryId(ids.get(i).get().toString()));
            }
            return out;
        });
    }

    /**
     * The newest events, newest first; malformed entries are skipped.
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public List<Event> latest(int count) {
        List<StreamEntry> entries = call("XREVRANGE " + AlertKeys.EVENTS,
                () -> jedis.xrevrange(AlertKeys.EVENTS, "+", "-", count));
        List<Event> out = new ArrayList<>(entries.size());
        for (StreamEntry s : entries) {
            try {
                out.add(parse(new RawEntry(s.getID().toString(), s.getFields())));
            } catch (MalformedEntryException skip) {
                // a hand-written entry: readers ignore what they cannot read
            }
        }
        return out;
    }
}
