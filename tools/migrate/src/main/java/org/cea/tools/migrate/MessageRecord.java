package org.cea.tools.migrate;

import org.cea.tsdb.BulkLoader;

/**
 * One legacy row converted to the target's types: what is written to {@code can_messages} and
 * what the verifier compares.
 *
 * @param id              preserved legacy id, &gt;= 1
 * @param timestampMicros reception time, epoch microseconds (UTC)
 * @param canId           CAN identifier (int4 on the target)
 * @param nodeId          node number or null
 * @param messageType     message name or null
 * @param dlc             data length code
 * @param rawData         payload hex text, not null
 * @param decodedJson     the original JSON text (written as is; PostgreSQL parses it into jsonb) or null
 * @param canonicalJson   {@code decodedJson} in jsonb's text form ({@link JsonbText}) or null
 * @param createdAtMicros row creation time, epoch microseconds, or null
 */
public record MessageRecord(long id, long timestampMicros, int canId, Integer nodeId, String messageType, int dlc,
                            String rawData, String decodedJson, String canonicalJson, Long createdAtMicros)
        implements ConvertedRow, BulkLoader.Message {

    /** Checks the invariants the target table relies on. */
    public MessageRecord {
        if (id < 1) {
            throw new IllegalArgumentException("id must be >= 1, was " + id);
        }
        if (rawData == null) {
            throw new IllegalArgumentException("rawData must not be null (row " + id + ")");
        }
        if ((decodedJson == null) != (canonicalJson == null)) {
            throw new IllegalArgumentException("decodedJson and canonicalJson must both be null or both set (row " + id + ")");
        }
    }
}
