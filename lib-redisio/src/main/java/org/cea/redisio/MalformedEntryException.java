package org.cea.redisio;

/** A stream entry that cannot be turned into a frame: dead-letter it, count it, carry on. */
public class MalformedEntryException extends RedisIoException {
    private static final long serialVersionUID = 1L;
    private final String entryId;
    private final String field;

    /**
     * @param entryId stream entry id, e.g. {@code 1734001123123-0}
     * @param field   the offending field name
     * @param problem what was wrong, with the actual value
     */
    public MalformedEntryException(String entryId, String field, String problem) {
        super("stream entry " + entryId + ": field '" + field + "': " + problem);
        this.entryId = entryId;
        this.field = field;
    }

    /** The stream entry id. */
    public String entryId() {
        return entryId;
    }

    /** The field that was missing or malformed. */
    public String field() {
        return field;
    }
}
