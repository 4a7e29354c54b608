package org.cea.redisio;

import static org.cea.redisio.RedisCalls.call;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads the live value of many sensors in one round trip ({@code MGET} of every
 * {@code sensor:<name>} and {@code sensor:<name>:ts}; never {@code KEYS}). Thread-safe if the
 * connection is.
 */
public final class LiveStateReader {
    private final UnifiedJedis jedis;

    /** The caller owns the connection. */
    public LiveStateReader(UnifiedJedis jedis) {
        this.jedis = jedis;
    }

    /**
     * The live values of the named sensors; sensors without a live value (expired, never seen, or
     * with an unreadable value) are absent from the map.
     *
     * @return sensor name → value, in the order asked
     * @throws RedisUnavailableException when Redis cannot be reached
     */
    public Map<String, LiveValue> read(Collection<String> sensors) {
        if (sensors.isEmpty()) {
            return Map.of();
        }
        List<String> names = new ArrayList<>(sensors);
        String[] keys = new String[names.size() * 2];
        for (int i = 0; i < names.size(); i++) {
            keys[2 * i] = LiveKeys.valueKey(names.get(i));
            keys[2 * i + 1] = LiveKeys.tsKey(names.get(i));
        }
        List<String> values = call("MGET of " + names.size() + " live sensors", () -> jedis.mget(keys));
        Map<String, LiveValue> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            LiveValue v = parse(names.get(i), values.get(2 * i), values.get(2 * i + 1));
            if (v != null) {
                out.put(names.get(i), v);
            }
        }
        return out;
    }

    private static LiveValue parse(String sensor, String value, String ts) {
        if (value == null || ts == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(value);
            long t = Long.parseLong(ts);
            return Double.isFinite(v) && t >= 0 ? new LiveValue(sensor, v, t) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
