package org.cea.redisio;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stream entry as read from a consumer group.
 *
 * @param id     stream entry id ({@code <ms>-<seq>}), not blank
 * @param fields the entry's fields in stream order, unmodifiable; null when the entry was
 *               delivered before but its body has since been trimmed from the stream (lost)
 */
public record RawEntry(String id, Map<String, String> fields) {
    /** Validates the id and copies the fields. */
    public RawEntry {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("entry id must not be blank");
        }
        if (fields != null) {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    /** True when the body was trimmed before it was processed. */
    public boolean trimmed() {
        return fields == null;
    }
}
