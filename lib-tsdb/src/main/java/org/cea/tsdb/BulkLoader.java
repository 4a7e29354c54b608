package org.cea.tsdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * Bulk load of legacy rows, with their ids, into a PostgreSQL/TimescaleDB {@code can_messages}
 * and {@code sensor_readings}: COPY in batches, the secondary indexes dropped for the load and
 * rebuilt at the end, the compression policies paused meanwhile, old chunks compressed and the
 * continuous aggregates refreshed afterwards. One connection, autocommit off, {@code
 * synchronous_commit = off} (safe: the caller's checkpoint commits with each batch, so a commit lost
 * in a server crash is redone by a rerun, never half-applied).
 *
 * <p>Each step that must stay consistent with the caller's own bookkeeping (can-migrate's checkpoint
 * and quarantine tables) takes a {@link Hook} that runs in the same transaction, so a process killed
 * at any point leaves the database at a step boundary. Errors are {@link TsdbException}s naming the
 * step, the (masked) URL and the SQLSTATE. Not thread-safe: one loader per thread
 * ({@link #openAnother()}).
 */
public interface BulkLoader extends AutoCloseable {

    /** The column list of the legacy COPY into {@code can_messages}. */
    String COPY_MESSAGES = "COPY can_messages (id, \"timestamp\", can_id, node_id, message_type,"
            + " dlc, raw_data, decoded_data, created_at) FROM STDIN";

    /** A {@code can_messages} row with its preserved legacy id. */
    interface Message {
        /** @return the legacy id, &gt;= 1 */
        long id();

        /** @return reception time, epoch microseconds, years 0001..9999 */
        long timestampMicros();

        /** @return the CAN identifier */
        int canId();

        /** @return node number or null */
        Integer nodeId();

        /** @return message name or null */
        String messageType();

        /** @return data length code */
        int dlc();

        /** @return payload hex text, not null */
        String rawData();

        /** @return JSON text PostgreSQL parses into jsonb, or null */
        String decodedJson();

        /** @return row creation time, epoch microseconds, or null */
        Long createdAtMicros();
    }

    /** A {@code sensor_readings} row. */
    interface Reading {
        /** @return reading time, epoch microseconds */
        long timeMicros();

        /** @return sensor name, not blank */
        String sensor();

        /** @return finite value in the sensor's unit */
        double value();
    }

    /**
     * The caller's part of a loader transaction: its own tables, written on the same connection
     * before the commit. It must not commit or roll back.
     */
    @FunctionalInterface
    interface Hook {
        /**
         * @param c the loader's connection, inside the open transaction
         * @throws SQLException to roll the whole step back
         */
        void run(Connection c) throws SQLException;
    }

    /** A hook that is told what the step found (index definitions, job ids) before it acts on them. */
    @FunctionalInterface
    interface RecordingHook<T> {
        /**
         * @param c     the loader's connection, inside the open transaction
         * @param items what the step is about to drop or pause, to be recorded for the undo
         * @throws SQLException to roll the whole step back
         */
        void record(Connection c, List<T> items) throws SQLException;
    }

    /** A read (or a short write) of the caller's own on the loader's connection, in one transaction. */
    @FunctionalInterface
    interface Query<T> {
        /**
         * @param c the loader's connection
         * @return the answer
         * @throws SQLException to roll back
         */
        T run(Connection c) throws SQLException;
    }

    /**
     * Rows of {@code can_messages} with ids in {@code (afterId, upToId]}.
     *
     * @param count   how many
     * @param firstId the smallest such id, 0 when none
     */
    record IdRangeRows(long count, long firstId) {
    }

    /**
     * Connects to a PostgreSQL database.
     *
     * @param url             {@code postgresql://user:pass@host:port/db} (also {@code postgres://}) or
     *                        {@code jdbc:postgresql://…}, as for {@link Store#open(String)}
     * @param env             environment lookups: {@code PGPASSWORD} is the password when the URL has none
     * @param applicationName shown in {@code pg_stat_activity}
     * @return the open loader
     * @throws BadDataException          the URL is malformed or not PostgreSQL
     * @throws StoreUnavailableException the server cannot be reached
     */
    static BulkLoader open(String url, Function<String, String> env, String applicationName) {
        return PostgresBulkLoader.open(url, env, applicationName);
    }

    /** @return a second loader on the same database and credentials, with a connection of its own */
    BulkLoader openAnother();

    /** @return what TimescaleDB is in the target database, read once */
    TimescaleState timescale();

    /**
     * @param name table or view name
     * @return true when it exists
     */
    boolean hasTable(String name);

    /** @return true when {@code can_messages} has no row */
    boolean messagesEmpty();

    /**
     * Counts target rows that a load of {@code (afterId, upToId]} would collide with.
     *
     * @return the count and the first such id
     */
    IdRangeRows rowsInIdRange(long afterId, long upToId);

    /** Applies the pipeline schema (sql/timescaledb_setup.sql) when {@code can_messages} is missing. */
    void ensureSchema();

    /**
     * Runs the caller's statements in one transaction and commits.
     *
     * @param what for the error message ("reading the checkpoint")
     * @return the answer of {@code q}
     */
    <T> T transaction(String what, Query<T> q);

    /**
     * Writes one batch in one transaction: COPY of the messages, the readings (staged, then inserted
     * with {@code ON CONFLICT DO NOTHING} so a reading the live worker stored stays as it is), then
     * {@code hook} (the caller's checkpoint and quarantine), then commit. On failure nothing of it
     * is committed.
     *
     * @param what     for the error message ("the batch ending at id 42")
     * @param messages rows in id order, may be empty
     * @param readings rows, may be empty
     * @param hook     the caller's part of the transaction
     */
    void writeBatch(String what, List<? extends Message> messages, List<? extends Reading> readings, Hook hook);

    /**
     * Drops the indexes of {@code can_messages} that back no constraint, for a load into an empty
     * table; {@code record} keeps their definitions in the same transaction so that a run killed
     * before {@link #finish} can rebuild them.
     *
     * @return the names of the dropped indexes
     */
    List<String> deferIndexes(RecordingHook<String> record);

    /**
     * With TimescaleDB loaded, unschedules the compression policies of {@code can_messages} and
     * {@code sensor_readings} for the load (old rows land in old chunks, which the policy would
     * otherwise compress under the load); {@code record} keeps the job ids in the same transaction.
     *
     * @return the job ids paused now (empty without TimescaleDB)
     */
    List<Integer> pauseCompressionPolicies(RecordingHook<Integer> record);

    /**
     * Ends a load in one transaction: recreates {@code indexDefinitions} ({@code CREATE INDEX IF NOT
     * EXISTS}), schedules {@code pausedJobs} again (those that still exist), moves the id sequence of
     * {@code can_messages} past its largest id and {@code idFloor}, never backwards, runs {@code hook}.
     *
     * @param indexDefinitions definitions recorded by {@link #deferIndexes}
     * @param pausedJobs       job ids recorded by {@link #pauseCompressionPolicies}
     * @param idFloor          an id the sequence must pass as well (ids the caller keeps elsewhere)
     * @param hook             the caller's part (its finished checkpoint)
     */
    void finish(List<String> indexDefinitions, List<Integer> pausedJobs, long idFloor, Hook hook);

    /**
     * With TimescaleDB and compression enabled on a hypertable, compresses its chunks that end before
     * {@code beforeMicros}, leaving the chunk the live pipeline writes to alone.
     *
     * @param beforeMicros epoch microseconds
     * @return chunks compressed
     */
    int compressOldChunks(long beforeMicros);

    /**
     * Materialises the continuous aggregates over {@code [fromMicros, toMicros]}: the hourly one over
     * all of it, the minute one over the part inside its refresh policy's window (7 days before
     * {@code nowMicros}).
     *
     * @return one line per refreshed aggregate, for the report
     */
    List<String> refreshAggregates(long fromMicros, long toMicros, long nowMicros);

    /** Rolls back anything open and closes the connection; idempotent. */
    @Override
    void close();
}
