package org.cea.redisio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Runs Redis calls with Jedis exceptions mapped to this library's roots, and decodes raw RESP2
 * replies ({@code byte[]}, {@code Long}, {@code List}, null) as returned by {@code sendCommand}.
 */
final class RedisCalls {
    private RedisCalls() {
    }

    /**
     * Runs {@code call}; a broken or refused connection becomes {@link RedisUnavailableException},
     * any other Jedis error a {@link RedisIoException}, both naming {@code what}.
     */
    static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (JedisConnectionException e) {
            throw new RedisUnavailableException(what + ": redis unavailable: " + e.getMessage(), e);
        } catch (JedisDataException e) {
            if (isLoading(e)) {
                throw new RedisUnavailableException(what + ": redis is loading its data set", e);
            }
            throw new RedisIoException(what + ": " + e.getMessage(), e);
        } catch (JedisException e) {
            if (e.getCause() instanceof JedisConnectionException) {
                throw new RedisUnavailableException(what + ": redis unavailable: " + e.getMessage(), e);
            }
            throw new RedisIoException(what + ": " + e.getMessage(), e);
        }
    }

    /** Redis answers LOADING while it replays its AOF after a restart: that is unavailability. */
    static boolean isLoading(JedisDataException e) {
        String m = e.getMessage();
        return m != null && m.startsWith("LOADING");
    }

    /** True for the NOGROUP error (stream or group missing, e.g. after Redis lost its data). */
    static boolean isNoGroup(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("NOGROUP")) {
                return true;
            }
        }
        return false;
    }

    /** A bulk string reply as text; null stays null. */
    static String str(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return o.toString();
    }

    /** An integer reply. */
    static long num(Object o) {
        if (o instanceof Long l) {
            return l;
        }
        return Long.parseLong(str(o));
    }

    /** An array reply; null becomes an empty list. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    /** A flat field/value array as an ordered map; null (a trimmed entry's body) stays null. */
    static Map<String, String> fieldMap(Object o) {
        if (o == null) {
            return null;
        }
        List<Object> kv = list(o);
        Map<String, String> m = new LinkedHashMap<>(kv.size());
        for (int i = 0; i + 1 < kv.size(); i += 2) {
            m.put(str(kv.get(i)), str(kv.get(i + 1)));
        }
        return m;
    }

    /** A list of {@code [id, [field, value, ...]]} entries; a nil entry or body keeps its id with null fields. */
    static List<RawEntry> entries(Object o) {
        List<Object> items = list(o);
        List<RawEntry> out = new ArrayList<>(items.size());
        for (Object item : items) {
            if (item == null) {
                continue;
            }
            List<Object> pair = list(item);
            out.add(new RawEntry(str(pair.get(0)), pair.size() > 1 ? fieldMap(pair.get(1)) : null));
        }
        return out;
    }

    /** A flat key/value array reply (XINFO) as a map of raw values. */
    static Map<String, Object> infoMap(Object o) {
        List<Object> kv = list(o);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.size(); i += 2) {
            m.put(str(kv.get(i)), kv.get(i + 1));
        }
        return m;
    }
}
