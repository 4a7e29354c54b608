package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;
import static org.cea.redisio.RedisCalls.list;
import static org.cea.redisio.RedisCalls.num;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Writes live state: {@code sensor:<name>} and {@code sensor:<name>:ts}, both expiring
 * {@link LiveKeys#TTL_MS} after the reading was taken ({@code SET PXAT}), then publishes the
 * changed readings of the call together on {@link LiveKeys#BATCH_CHANNEL} as one JSON array, and
 * each on {@link LiveKeys#CHANNEL} as {@code {"name","value","unit","ts"}} while that channel has
 * subscribers.
 *
 * <p>All of a batch goes to Redis in one server-side script (one round trip, atomic). The script
 * compares with the stored {@code :ts} and writes only a strictly newer reading, so a key never
 * goes back in time when older entries are replayed after an outage, and a replay of the same
 * reading publishes nothing. The exception is a stored reading stamped more than
 * {@link LiveKeys#CLOCK_SKEW_MS} ahead of the clock: the clock was stepped back since, and keeping
 * that reading would freeze the sensor (and keep its key alive) until the clock caught up. A reading already {@link LiveKeys#TTL_MS} old by the injected wall
 * clock is not written at all. Thread-safe if the connection is.
 */
public final class LiveStateWriter {
    /**
     * KEYS: value/ts key pairs. ARGV: ttl ms, channel, the "from the future" limit (now + skew, Unix
     * ms), the batch channel, then value, ts, json per pair. Returns the changed indexes. The
     * per-reading channel is published only while it has subscribers (one PUBSUB NUMSUB per call
     * instead of a PUBLISH per reading when none listens); the batch channel gets one JSON array of
     * the changed readings, in key order, when any changed.
     */
    static final String SCRIPT = String.join("\n",
            "local ttl = tonumber(ARGV[1])",
            "local future = tonumber(ARGV[3])",
            "local each = redis.call('PUBSUB', 'NUMSUB', ARGV[2])[2] > 0",
            "local changed = {}",
            "local json = {}",
            "for i = 1, #KEYS, 2 do",
            "  local a = (i - 1) / 2 * 3 + 5",
            "  local ts = tonumber(ARGV[a + 1])",
            "  local cur = redis.call('GET', KEYS[i + 1])",
            "  if (not cur) or tonumber(cur) < ts or tonumber(cur) > future then",
            "    redis.call('SET', KEYS[i], ARGV[a], 'PXAT', ts + ttl)",
            "    redis.call('SET', KEYS[i + 1], ARGV[a + 1], 'PXAT', ts + ttl)",
            "    if each then redis.call('PUBLISH', ARGV[2], ARGV[a + 2]) end",
            "    changed[#changed + 1] = (i + 1) / 2",
            "    json[#json + 1] = ARGV[a + 2]",
            "  end",
            "end",
            "if #json > 0 then redis.call('PUBLISH', ARGV[4], '[' .. table.concat(json, ',') .. ']') end",
            "return changed");

    private final UnifiedJedis jedis;
    private final LongSupplier wallClockMillis;
    private volatile String sha;

    /**
     * @param jedis           connection (owned by the caller)
     * @param wallClockMillis Unix milliseconds now, to drop readings already expired
     */
    public LiveStateWriter(UnifiedJedis jedis, LongSupplier wallClockMillis) {
        this.jedis = jedis;
        this.wallClockMillis = wallClockMillis;
    }

    /**
     * Writes the newest reading per sensor of {@code updates} (older ones in the same call are
     * dropped; of readings with the same millisecond the last one wins) and publishes those that changed a key
     * (one message on {@link LiveKeys#BATCH_CHANNEL}; one each on {@link LiveKeys#CHANNEL} while it has subscribers).
     *
     * @return the readings that were newer than the stored ones and were published
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public List<LiveUpdate> write(Collection<LiveUpdate> updates) {
        long oldest = wallClockMillis.getAsLong() - LiveKeys.TTL_MS;
        Map<String, LiveUpdate> newest = new LinkedHashMap<>();
        for (LiveUpdate u : updates) {
            if (u.tsMillis() <= oldest) {
                continue;
            }
            LiveUpdate prev = newest.get(u.sensor());
            // equal milliseconds: the later entry in stream order is the newer reading
            if (prev == null || prev.tsMillis() <= u.tsMillis()) {
                newest.put(u.sensor(), u);
            }
        }
        if (newest.isEmpty()) {
            return List.of();
        }
        List<LiveUpdate> batch = new ArrayList<>(newest.values());
        List<String> keys = new ArrayList<>(batch.size() * 2);
        List<String> args = new ArrayList<>(batch.size() * 3 + 4);
        args.add(Long.toString(LiveKeys.TTL_MS));
        args.add(LiveKeys.CHANNEL);
        args.add(Long.toString(wallClockMillis.getAsLong() + LiveKeys.CLOCK_SKEW_MS));
        args.add(LiveKeys.BATCH_CHANNEL);
        for (LiveUpdate u : batch) {
            keys.add(LiveKeys.valueKey(u.sensor()));
            keys.add(LiveKeys.tsKey(u.sensor()));
            args.add(LiveKeys.plain(u.value()));
            args.add(Long.toString(u.tsMillis()));
            args.add(json(u));
        }
        List<Object> changed = list(call("live state for " + batch.size() + " sensors", () -> eval(keys, args)));
        List<LiveUpdate> out = new ArrayList<>(changed.size());
        for (Object index : changed) {
            out.add(batch.get((int) num(index) - 1));
        }
        return out;
    }

    private Object eval(List<String> keys, List<String> args) {
        String s = sha;
        if (s != null) {
            try {
                return jedis.evalsha(s, keys, args);
            } catch (JedisNoScriptException e) {
                // script cache flushed (Redis restarted): load it again below
                sha = null;
            }
        }
        Object r = jedis.eval(SCRIPT, keys, args);
        sha = jedis.scriptLoad(SCRIPT, keys.get(0));
        return r;
    }

    /** The JSON published for a reading: {@code {"name":"co2_v","value":412.0,"unit":"ppm","ts":1734001123123}}. */
    public static String json(LiveUpdate u) {
        JsonObject o = new JsonObject();
        o.addProperty("name", u.sensor());
        o.addProperty("value", u.value());
        o.addProperty("unit", u.unit());
        o.addProperty("ts", u.tsMillis());
        return o.toString();
    }
}
