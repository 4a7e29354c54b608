package org.cea.tsdb;

import java.util.List;

/**
 * Outcome of {@link Store#writeBatch}. Rows are counted in three groups: written now, already
 * present (a replayed stream entry or an existing {@code (sensor, time)}), and rejected as bad data.
 *
 * @param messagesWritten  {@code can_messages} rows inserted by this call
 * @param messagesSkipped  message rows already present (same source id), not written again
 * @param readingsWritten  {@code sensor_readings} rows inserted by this call
 * @param readingsSkipped  reading rows whose {@code (sensor, time)} already existed
 * @param rejected         one value per row that was not written (null, or refused by the database), in
 *                         batch order, messages first; never null
 */
public record WriteResult(int messagesWritten, int messagesSkipped, int readingsWritten, int readingsSkipped,
                          List<Rejection> rejected) {
    /** Checks counts are non-negative and copies the rejection list. */
    public WriteResult {
        if (messagesWritten < 0 || messagesSkipped < 0 || readingsWritten < 0 || readingsSkipped < 0) {
            throw new IllegalArgumentException("counts must be >= 0, were " + messagesWritten + "/" + messagesSkipped
                    + "/" + readingsWritten + "/" + readingsSkipped);
        }
        rejected = List.copyOf(rejected);
    }

    /** Number of rejected rows (messages and readings). */
    public int rejectedCount() {
        return rejected.size();
    }
}
