package org.cea.tools.api;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON encoder of the API: nulls kept (a sensor without a value says so), no HTML escaping. */
final class Json {
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    private Json() {
    }

    /** Encodes maps, lists, strings, numbers and booleans. */
    static String write(Object value) {
        return GSON.toJson(value);
    }

    /** The shared Gson (for parsing pub/sub payloads). */
    static Gson gson() {
        return GSON;
    }

    /** An insertion-ordered map from alternating keys and values: {@code obj("a", 1, "b", 2)}. */
    static Map<String, Object> obj(Object... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("obj needs key/value pairs, got " + kv.length + " arguments");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
