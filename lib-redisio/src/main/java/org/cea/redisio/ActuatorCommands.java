package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The {@link AlertKeys#COMMANDS} stream (DESIGN.md, "Automation"): fields {@code actuator},
 * {@code command}, {@code value} (may be empty), {@code reason}, {@code rule}, {@code ts} (Unix ms
 * of issue), {@code expires_at} (Unix ms after which it must not be carried out). Consumers read it
 * in their own consumer group and ignore unknown fields.
 */
public final class ActuatorCommands {
    private final UnifiedJedis jedis;

    /** The caller owns the connection. */
    public ActuatorCommands(UnifiedJedis jedis) {
        this.jedis = jedis;
    }

    /**
     * One command.
     *
     * @param entryId   stream entry id, or null before it is written
     * @param actuator  actuator name, no spaces
     * @param command   e.g. {@code on}, {@code off}, {@code set}
     * @param value     argument, may be empty, not null
     * @param reason    one sentence: why
     * @param rule      the rule that issued it
     * @param ts        Unix ms of issue
     * @param expiresAt Unix ms after which it must not be carried out, &gt; ts
     */
    public record Command(String entryId, String actuator, String command, String value, String reason, String rule,
                          long ts, long expiresAt) {
        /** Validates. */
        public Command {
            if (actuator == null || actuator.isBlank() || actuator.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("actuator must be a non-empty name without spaces, was '" + actuator + "'");
            }
            if (command == null || command.isBlank()) {
                throw new IllegalArgumentException("command for " + actuator + " must not be blank");
            }
            value = value == null ? "" : value;
            reason = reason == null ? "" : reason;
            rule = rule == null ? "" : rule;
            if (expiresAt <= ts) {
                throw new IllegalArgumentException("command for " + actuator + ": expires_at " + expiresAt
                        + " must be after ts " + ts);
            }
        }

        /** True when it must no longer be carried out at {@code nowMillis}. */
        public boolean expired(long nowMillis) {
            return nowMillis > expiresAt;
        }

        /** Stream fields in contract order. */
        public Map<String, String> toFields() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("actuator", actuator);
            m.put("command", command);
            m.put("value", value);
            m.put("reason", reason);
            m.put("rule", rule);
            m.put("ts", Long.toString(ts));
            m.put("expires_at", Long.toString(expiresAt));
            return m;
        }
    }

    /**
     * Appends a command.
     *
     * @return its entry id
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public String publish(Command c) {
        return call("XADD " + AlertKeys.COMMANDS, () -> jedis.xadd(AlertKeys.COMMANDS, XAddParams.xAddParams()
                .id(StreamEntryID.NEW_ENTRY).maxLen(AlertKeys.REQUESTS_MAX_LEN).approximateTrimming(), c.toFields()))
                .toString();
    }

    /**
     * The newest commands, newest first (malformed entries skipped): how interlocks recover their state.
     *
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public List<Command> latest(int count) {
        List<StreamEntry> entries = call("XREVRANGE " + AlertKeys.COMMANDS,
                () -> jedis.xrevrange(AlertKeys.COMMANDS, "+", "-", count));
        List<Command> out = new ArrayList<>(entries.size());
        for (StreamEntry s : entries) {
            try {
                out.add(parse(new RawEntry(s.getID().toString(), s.getFields())));
            } catch (MalformedEntryException skip) {
                // readers ignore entries they cannot read
            }
        }
        return out;
    }

    /**
     * Parses an entry.
     *
     * @throws MalformedEntryException naming the entry and field
     */
    public static Command parse(RawEntry e) {
        if (e.trimmed()) {
            throw new MalformedEntryException(e.id(), "*", "entry was trimmed");
        }
        Map<String, String> f = e.fields();
        long ts = millis(e.id(), f, "ts");
        long exp = millis(e.id(), f, "expires_at");
        try {
            return new Command(e.id(), f.get("actuator"), f.get("command"), f.get("value"), f.get("reason"), f.get("rule"),
                    ts, exp);
        } catch (IllegalArgumentException x) {
            throw new MalformedEntryException(e.id(), "actuator/command", x.getMessage());
        }
    }

    private static long millis(String id, Map<String, String> f, String k) {
        try {
            return Long.parseLong(f.getOrDefault(k, ""));
        } catch (NumberFormatException x) {
            throw new MalformedEntryException(id, k, "not Unix milliseconds: \"" + f.get(k) + "\"");
        }
    }
}
