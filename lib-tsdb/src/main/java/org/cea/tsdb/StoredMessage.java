package org.cea.tsdb;

/**
 * One row of {@code can_messages} as read back.
 *
 * @param id              database id ({@code BIGSERIAL} / SQLite rowid), increasing with insertion
 * @param timestampMicros reception time, microseconds since the Unix epoch
 * @param canId           arbitration id (11 or 29 bits)
 * @param extended        29-bit identifier; on legacy SQLite rows inferred as {@code canId > 0x7FF}
 * @param nodeId          facility node, or null when not node-addressed / unknown
 * @param messageType     message name ({@code PT100}, ...), or null for an unknown frame
 * @param dlc             data length code
 * @param rawData         payload as upper-case spaced hex pairs
 * @param decodedJson     signal values as a JSON object, or null; on PostgreSQL this is the JSONB
 *                        canonical text (key order and spacing may differ from what was written)
 * @param sourceId        stream entry id the row came from, or null
 */
public record StoredMessage(long id, long timestampMicros, int canId, boolean extended, Integer nodeId,
                            String messageType, int dlc, String rawData, String decodedJson, String sourceId) {
}
