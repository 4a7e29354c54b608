package org.cea.redisio;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One active alert as stored in {@link AlertKeys#ACTIVE} and carried by each {@link AlertKeys#EVENTS}
 * entry (DESIGN.md, "Automation"). JSON field names are the contract's: {@code id}, {@code rule},
 * {@code kind}, {@code severity}, {@code state}, {@code room}, {@code sensor}, {@code value},
 * {@code threshold}, {@code message}, {@code since}, {@code fired_at}, {@code acked_by},
 * {@code ack_note}, {@code acked_at}, {@code updated_at}; additive: {@code node}, {@code reminded_at}.
 *
 * @param id         {@code <rule>} or {@code <rule>:<subject>}, not blank, no spaces
 * @param rule       the rule's name
 * @param kind       one of {@link #KINDS}
 * @param severity   one of {@link #SEVERITIES}
 * @param state      one of {@link #STATES} ({@code resolved} only on a resolved event, never in the hash)
 * @param room       room name, or null
 * @param sensor     sensor name, or null
 * @param node       CAN node id, or null
 * @param value      the observed value at the last transition, or null
 * @param threshold  the limit it was compared with, or null
 * @param message    one sentence a grower can act on
 * @param since      Unix ms the condition began
 * @param firedAt    Unix ms the alert fired, or null while pending
 * @param ackedBy    who acknowledged it, or null
 * @param ackNote    their note, or null
 * @param ackedAt    Unix ms of the acknowledgement, or null
 * @param updatedAt  Unix ms of the last change
 * @param remindedAt Unix ms of the last reminder, or null
 */
public record Alert(String id, String rule, String kind, String severity, String state, String room, String sensor,
                    Integer node, Double value, Double threshold, String message, long since, Long firedAt,
                    String ackedBy, String ackNote, Long ackedAt, long updatedAt, Long remindedAt) {
    /** Alert kinds: a sensor outside its band, no valid reading, no frame from a node, fault bits, out of range, the pipeline. */
    public static final Set<String> KINDS = Set.of("band", "stale", "silent_node", "faulted", "out_of_range", "pipeline");
    /** Severities, lowest first. */
    public static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");
    /** States: in the hash pending or firing; a resolved event carries {@code resolved}. */
    public static final Set<String> STATES = Set.of("pending", "firing", "resolved");

    /** Validates. */
    public Alert {
        if (id == null || id.isBlank() || id.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("alert id must be a non-empty name without spaces, was '" + id + "'");
        }
        if (rule == null || rule.isBlank()) {
            throw new IllegalArgumentException("alert " + id + ": rule must not be blank");
        }
        check(id, "kind", kind, KINDS);
        check(id, "severity", severity, SEVERITIES);
        check(id, "state", state, STATES);
        if (message == null) {
            message = "";
        }
        if (since < 0 || updatedAt < 0) {
            throw new IllegalArgumentException("alert " + id + ": since and updated_at must be >= 0, were " + since
                    + " and " + updatedAt);
        }
        if (value != null && !Double.isFinite(value) || threshold != null && !Double.isFinite(threshold)) {
            throw new IllegalArgumentException("alert " + id + ": value and threshold must be finite or null, were "
                    + value + " and " + threshold);
        }
    }

    private static void check(String id, String field, String v, Set<String> allowed) {
        if (v == null || !allowed.contains(v)) {
            throw new IllegalArgumentException("alert " + id + ": " + field + " must be one of " + new java.util.TreeSet<>(allowed)
                    + ", was '" + v + "'");
        }
    }

    /** True while firing. */
    public boolean firing() {
        return "firing".equals(state);
    }

    /** True for severity {@code critical}. */
    public boolean critical() {
        return "critical".equals(severity);
    }

    /** A copy in another state at {@code now}. */
    public Alert withState(String newState, Long newFiredAt, long now) {
        return new Alert(id, rule, kind, severity, newState, room, sensor, node, value, threshold, message, since,
                newFiredAt, ackedBy, ackNote, ackedAt, now, remindedAt);
    }

    /** A copy with a new observed value and message (no change of state). */
    public Alert withObservation(Double newValue, String newMessage, long now) {
        return new Alert(id, rule, kind, severity, state, room, sensor, node, newValue, threshold, newMessage, since,
                firedAt, ackedBy, ackNote, ackedAt, now, remindedAt);
    }

    /** A copy acknowledged by {@code by} with {@code note} at {@code at}. */
    public Alert withAck(String by, String note, long at) {
        return new Alert(id, rule, kind, severity, state, room, sensor, node, value, threshold, message, since, firedAt,
                by, note, at, at, remindedAt);
    }

    /** A copy reminded at {@code at}. */
    public Alert withReminder(long at) {
        return new Alert(id, rule, kind, severity, state, room, sensor, node, value, threshold, message, since, firedAt,
                ackedBy, ackNote, ackedAt, at, at);
    }

    /** The contract's fields in order, nulls kept (JSON null), numbers as numbers. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("rule", rule);
        m.put("kind", kind);
        m.put("severity", severity);
        m.put("state", state);
        m.put("room", room);
        m.put("sensor", sensor);
        m.put("node", node);
        m.put("value", value);
        m.put("threshold", threshold);
        m.put("message", message);
        m.put("since", since);
        m.put("fired_at", firedAt);
        m.put("acked_by", ackedBy);
        m.put("ack_note", ackNote);
        m.put("acked_at", ackedAt);
        m.put("updated_at", updatedAt);
        m.put("reminded_at", remindedAt);
        return m;
    }

    /** The hash value: a JSON object with every field (null where unset). */
    public String toJson() {
        JsonObject o = new JsonObject();
        toMap().forEach((k, v) -> {
            if (v == null) {
                o.add(k, com.google.gson.JsonNull.INSTANCE);
            } else if (v instanceof Number n) {
                o.addProperty(k, n);
            } else {
                o.addProperty(k, v.toString());
            }
        });
        return o.toString();
    }

    /**
     * Parses a hash value.
     *
     * @param key  the hash field (for messages)
     * @param json the value
     * @throws MalformedEntryException naming the field and what is wrong
     */
    public static Alert fromJson(String key, String json) {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new MalformedEntryException(key, "value", "not a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new MalformedEntryException(key, "value", "not JSON: " + e.getMessage());
        }
        Map<String, String> flat = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (!e.getValue().isJsonNull()) {
                flat.put(e.getKey(), e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString());
            }
        }
        return fromFields(key, flat);
    }

    /** The stream form: every non-null field as a string (numbers in plain decimal). */
    public Map<String, String> toFields() {
        Map<String, String> m = new LinkedHashMap<>();
        toMap().forEach((k, v) -> {
            if (v instanceof Double d) {
                m.put(k, LiveKeys.plain(d));
            } else if (v != null) {
                m.put(k, v.toString());
            }
        });
        return m;
    }

    /**
     * Parses the stream form (absent field = null; unknown fields ignored).
     *
     * @param where entry id or hash field, for messages
     * @throws MalformedEntryException naming the field
     */
    public static Alert fromFields(String where, Map<String, String> f) {
        try {
            return new Alert(f.get("id"), f.get("rule"), f.get("kind"), f.get("severity"), f.get("state"), f.get("room"),
                    f.get("sensor"), intOrNull(where, f, "node"), dbl(where, f, "value"), dbl(where, f, "threshold"),
                    f.get("message"), lng(where, f, "since", true), lng(where, f, "fired_at", false),
                    f.get("acked_by"), f.get("ack_note"), lng(where, f, "acked_at", false),
                    lng(where, f, "updated_at", true), lng(where, f, "reminded_at", false));
        } catch (IllegalArgumentException e) {
            throw new MalformedEntryException(where, "alert", e.getMessage());
        }
    }

    private static Double dbl(String where, Map<String, String> f, String k) {
        String v = f.get(k);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new MalformedEntryException(where, k, "not a number: \"" + v + "\"");
        }
    }

    private static Long lng(String where, Map<String, String> f, String k, boolean required) {
        String v = f.get(k);
        if (v == null || v.isEmpty()) {
            if (required) {
                throw new MalformedEntryException(where, k, "missing");
            }
            return null;
        }
        try {
            return (long) Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new MalformedEntryException(where, k, "not Unix milliseconds: \"" + v + "\"");
        }
    }

    private static Integer intOrNull(String where, Map<String, String> f, String k) {
        Long v = lng(where, f, k, false);
        return v == null ? null : v.intValue();
    }
}
