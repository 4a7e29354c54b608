package org.cea.candecode.facility;

/**
 * A room served by one sensor node.
 *
 * @param nodeId node address 1..7 (standard 11-bit CAN id = node &lt;&lt; 8 | message type)
 * @param name   room name, e.g. {@code flower_back}, non-empty
 * @param suffix appended to base sensor names, e.g. {@code _b}; empty for the lab
 * @param kind   sensor-map kind in facility.json, e.g. {@code grow} or {@code lab}
 */
public record Room(int nodeId, String name, String suffix, String kind) {
    /** Highest node address a standard id can carry (0x7FF >> 8). */
    public static final int MAX_NODE = 7;

    /** Validates the fields. */
    public Room {
        if (nodeId < 1 || nodeId > MAX_NODE) {
            throw new IllegalArgumentException("nodeId must be 1.." + MAX_NODE
                    + " (standard 11-bit id = node << 8 | type), was " + nodeId);
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("room name must be non-empty");
        }
        if (suffix == null) {
            throw new IllegalArgumentException("room " + name + ": suffix must not be null");
        }
        if (kind == null || kind.isEmpty()) {
            throw new IllegalArgumentException("room " + name + ": kind must be non-empty");
        }
    }
}
