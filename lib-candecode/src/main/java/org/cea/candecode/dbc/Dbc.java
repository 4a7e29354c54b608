package org.cea.candecode.dbc;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A parsed DBC database: its messages, looked up by (id, extended) or by name. Immutable. */
public final class Dbc {
    private final String source;
    private final String version;
    private final List<String> nodes;
    private final List<DbcMessage> messages;
    private final Map<Long, DbcMessage> byId = new HashMap<>();
    private final Map<String, DbcMessage> byName = new LinkedHashMap<>();

    /**
     * @param source   file or source name the DBC came from
     * @param version  VERSION string (may be empty)
     * @param nodes    BU_ node names
     * @param messages messages; ids (with the extended flag) and names must be unique
     * @throws IllegalArgumentException on a duplicate id or name
     */
    public Dbc(String source, String version, List<String> nodes, List<DbcMessage> messages) {
        this.source = source;
        this.version = version == null ? "" : version;
        this.nodes = List.copyOf(nodes);
        this.messages = List.copyOf(messages);
        for (DbcMessage m : this.messages) {
            DbcMessage prev = byId.put(key(m.id(), m.extended()), m);
            if (prev != null) {
                throw new IllegalArgumentException("messages " + prev.name() + " and " + m.name() + " share id 0x"
                        + Integer.toHexString(m.id()) + (m.extended() ? " (extended)" : ""));
            }
            if (byName.put(m.name(), m) != null) {
                throw new IllegalArgumentException("message name " + m.name() + " is defined twice");
            }
        }
    }

    private static long key(int id, boolean extended) {
        return (extended ? 1L << 32 : 0L) | (id & 0xFFFFFFFFL);
    }

    /** File or source name the DBC came from. */
    public String source() {
        return source;
    }

    /** VERSION string, empty when absent. */
    public String version() {
        return version;
    }

    /** BU_ node names. */
    public List<String> nodes() {
        return nodes;
    }

    /** All messages in file order. */
    public List<DbcMessage> messages() {
        return messages;
    }

    /** The message with this id; standard 0x123 and extended 0x00000123 are different. */
    public Optional<DbcMessage> messageById(int id, boolean extended) {
        return Optional.ofNullable(byId.get(key(id, extended)));
    }

    /** The message with this name. */
    public Optional<DbcMessage> messageByName(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
