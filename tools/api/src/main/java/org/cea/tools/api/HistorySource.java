package org.cea.tools.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cea.tsdb.AlertEventQuery;
import org.cea.tsdb.AlertEventRow;

/**
 * What the API reads from the database: an internal seam so the HTTP layer does not depend on
 * how lib-tsdb opens, retries or reconnects. Implementations throw {@link ApiException} 503
 * ({@code database_unavailable}) when the database cannot be reached.
 */
interface HistorySource extends AutoCloseable {
    /**
     * One time bucket of a sensor's history.
     *
     * @param bucket start of the bucket
     * @param avg    mean value
     * @param min    minimum
     * @param max    maximum
     * @param count  readings in the bucket
     */
    record Bucket(Instant bucket, double avg, double min, double max, long count) {
    }

    /**
     * A stored CAN message.
     *
     * @param id          row id (for {@code after_id} paging)
     * @param timestamp   reception time
     * @param canId       CAN identifier
     * @param extended    29-bit identifier
     * @param nodeId      node, or null
     * @param messageType DBC message name, or null for an unknown id
     * @param dlc         data length
     * @param rawData     upper-case spaced hex
     * @param decodedJson signals as a JSON object text, or null
     */
    record Message(long id, Instant timestamp, int canId, boolean extended, Integer nodeId, String messageType, int dlc,
                   String rawData, String decodedJson) {
    }

    /** Bucketed history, oldest first, at most {@code maxPoints} buckets. */
    List<Bucket> history(String sensor, Instant from, Instant to, int maxPoints);

    /**
     * Recent messages.
     *
     * @param limit   1..
     * @param type    message type name or null
     * @param node    node id or null
     * @param afterId only ids above this, or null for the newest
     */
    List<Message> messages(int limit, String type, Integer node, Long afterId);

    /** The newest stored reading of every sensor, by name. */
    Map<String, org.cea.tsdb.ReadingRow> latest();

    /**
     * A store of its own for one export (a long read must not hold up the other queries), opened
     * now; the caller closes it.
     *
     * @throws ApiException 503 when the database cannot be reached
     */
    org.cea.tsdb.Store openExport();

    /** Min, mean, max and readings in band of one sensor per window. */
    List<org.cea.tsdb.Summary> summarize(String sensor, List<org.cea.tsdb.SummaryWindow> windows);

    /** Message counts per type in {@code [from, to)}. */
    Map<String, Long> countsByType(Instant from, Instant to);

    /** Alert transitions from {@code alert_events}, newest first. */
    List<AlertEventRow> alertHistory(AlertEventQuery q);

    /** Backend name for {@code /health}, e.g. {@code SQLITE}; asks the database (a cheap query). */
    String check();

    /** Closes the connection(s); idempotent. */
    @Override
    void close();
}
