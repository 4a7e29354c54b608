package org.cea.tools.migrate;

/**
 * Progress of the migration, stored in {@code migration_checkpoint} in the same transaction as each
 * batch.
 *
 * @param sourcePath      the SQLite file migrated (informational; a rerun may use a copy elsewhere)
 * @param fromId          first legacy id of the migration, &gt;= 1
 * @param lastId          every legacy row with {@code fromId <= id <= lastId} is in the target or the
 *                        quarantine table; {@code fromId - 1} before the first batch
 * @param rowsCopied      rows written to {@code can_messages}
 * @param rowsQuarantined rows written to {@code migration_quarantine}
 * @param finished        the last run reached the end of the source
 */
public record Checkpoint(String sourcePath, long fromId, long lastId, long rowsCopied, long rowsQuarantined,
                         boolean finished) {

    /** Checks the counters and the id range. */
    public Checkpoint {
        if (sourcePath == null) {
            throw new IllegalArgumentException("sourcePath must not be null");
        }
        if (fromId < 1) {
            throw new IllegalArgumentException("fromId must be >= 1, was " + fromId);
        }
        if (lastId < fromId - 1) {
            throw new IllegalArgumentException("lastId must be >= fromId - 1 = " + (fromId - 1) + ", was " + lastId);
        }
        if (rowsCopied < 0 || rowsQuarantined < 0) {
            throw new IllegalArgumentException("row counts must be >= 0, were " + rowsCopied + " and " + rowsQuarantined);
        }
    }

    /** A checkpoint before anything was written. */
    public static Checkpoint start(String sourcePath, long fromId) {
        return new Checkpoint(sourcePath, fromId, fromId - 1, 0, 0, false);
    }

    /** This checkpoint advanced past a batch. */
    public Checkpoint advance(long newLastId, long copied, long quarantined) {
        return new Checkpoint(sourcePath, fromId, newLastId, rowsCopied + copied, rowsQuarantined + quarantined, false);
    }

    /** This checkpoint marked finished (or not). */
    public Checkpoint finished(boolean done) {
        return new Checkpoint(sourcePath, fromId, lastId, rowsCopied, rowsQuarantined, done);
    }
}
