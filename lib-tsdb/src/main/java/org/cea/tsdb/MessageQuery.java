package org.cea.tsdb;

/**
 * Filters for {@link Store#recentMessages}. Null filters match everything. Build with
 * {@link #latest(int)} and the {@code with*} methods.
 *
 * @param limit       maximum number of rows returned, 1..{@value #MAX_LIMIT}
 * @param messageType only this message type (exact match), or null
 * @param nodeId      only this node, or null
 * @param canId       only this arbitration id (standard or extended), or null
 * @param afterId     only rows with a database id greater than this (for tailing), or null
 */
public record MessageQuery(int limit, String messageType, Integer nodeId, Integer canId, Long afterId) {
    /** Largest accepted {@code limit}. */
    public static final int MAX_LIMIT = 100_000;

    /** Validates the limit and ids. */
    public MessageQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadDataException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        if (nodeId != null && nodeId < 0) {
            throw new BadDataException("nodeId must be >= 0, was " + nodeId);
        }
        if (canId != null && (canId < 0 || canId > 0x1FFFFFFF)) {
            throw new BadDataException("canId must be 0..0x1FFFFFFF, was " + canId);
        }
        if (afterId != null && afterId < 0) {
            throw new BadDataException("afterId must be >= 0, was " + afterId);
        }
    }

    /** The newest {@code limit} messages, no filter. */
    public static MessageQuery latest(int limit) {
        return new MessageQuery(limit, null, null, null, null);
    }

    /** Same query restricted to one message type. */
    public MessageQuery withType(String type) {
        return new MessageQuery(limit, type, nodeId, canId, afterId);
    }

    /** Same query restricted to one node. */
    public MessageQuery withNode(Integer node) {
        return new MessageQuery(limit, messageType, node, canId, afterId);
    }

    /** Same query restricted to one CAN id. */
    public MessageQuery withCanId(Integer id) {
        return new MessageQuery(limit, messageType, nodeId, id, afterId);
    }

    /** Same query restricted to rows after a database id (tailing). */
    public MessageQuery withAfterId(Long id) {
        return new MessageQuery(limit, messageType, nodeId, canId, id);
    }
}
