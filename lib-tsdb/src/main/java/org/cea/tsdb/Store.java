package org.cea.tsdb;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The facility's message and reading store: the legacy SQLite file or PostgreSQL/TimescaleDB
 * database {@code cea_sensors}. Writes are batched and idempotent; queries answer the same on
 * every backend for the same data.
 *
 * <p>An implementation holds one database connection, reconnects by itself after the server
 * restarts, and is safe for use by several threads (calls are serialized). It owns no threads.
 * Errors are {@link StoreUnavailableException} (retry later) or {@link BadDataException} (report).
 */
public interface Store extends AutoCloseable {

    /** Key used by {@link #countsByType} for frames without a message type (unknown CAN ids). */
    String UNKNOWN_TYPE = "UNKNOWN";

    /**
     * Opens a store. Accepted forms: {@code jdbc:sqlite:PATH} or a plain file path (SQLite, created
     * with its schema when missing, WAL mode); {@code postgresql://user:pass@host:port/db[?params]}
     * (also {@code postgres://}) or {@code jdbc:postgresql://host:port/db[?user=..&password=..]}.
     * On PostgreSQL the schema from {@code sql/timescaledb_setup.sql} is applied when
     * {@code can_messages} is missing (this needs a role that may create tables; production
     * databases are set up by {@code bin/cea-db-setup}). Logs one warning when TimescaleDB is absent.
     *
     * @param url database URL; its password never appears in logs, messages or {@code toString()}
     * @return an open store
     * @throws BadDataException          the URL is malformed
     * @throws StoreUnavailableException the database cannot be reached
     */
    static Store open(String url) {
        return StoreUrl.parse(url).open();
    }

    /**
     * The one password masking of the project: {@code //user:secret@} becomes {@code //user:***@}
     * and {@code password=secret} becomes {@code password=***} anywhere in {@code text} (a database
     * or Redis URL, or a message quoting one), whatever the scheme; text without a password is
     * returned as it is. Every tool masks URLs for logs and messages with it.
     *
     * @param text a URL or any text, may be null
     * @return the text with every password replaced by {@code ***}; null for null
     */
    static String maskPasswords(String text) {
        return StoreUrl.maskPasswords(text);
    }

    /**
     * Applies the schema (idempotent: rerunning changes nothing) to the database at {@code url},
     * whether or not it already exists, and returns the backend found.
     *
     * @param url as for {@link #open(String)}; on PostgreSQL a role allowed to create tables and extensions
     * @return the backend the schema was applied to
     * @throws StoreUnavailableException the database cannot be reached
     * @throws TsdbException             the schema could not be applied (message names the statement)
     */
    static Backend applySchema(String url) {
        return StoreUrl.parse(url).applySchema();
    }

    /**
     * Writes a batch of messages and their readings in one transaction. Messages with a source id
     * that is already stored, and readings whose {@code (sensor, time)} already exists, are skipped,
     * so a replayed batch writes nothing twice; messages with a null source id are always inserted.
     * Null elements, and rows the database refuses, are rejected (listed in the result) without
     * failing the rest of the batch. When a connection that had been idle turns out to be dead the
     * call is retried once on a new one; should the first attempt have committed just before the
     * connection broke, rows without a source id would then be written twice (the rest are skipped).
     *
     * @param messages rows for {@code can_messages}; may be empty
     * @param readings rows for {@code sensor_readings}; may be empty
     * @return counts of written, skipped and rejected rows
     * @throws StoreUnavailableException nothing was committed; retry the whole batch later
     */
    WriteResult writeBatch(List<MessageRow> messages, List<ReadingRow> readings);

    /**
     * History of one sensor in {@code [from, to)} reduced to at most {@code maxPoints} buckets.
     * The bucket width is the smallest of 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3,
     * 6, 12 h, 1, 2, 7, 14, 28 days (then doubling) that gives at most {@code maxPoints}
     * epoch-aligned buckets over the range, so boundaries are the same on every backend. Buckets
     * without readings are omitted.
     *
     * @param sensor    sensor name
     * @param from      start, inclusive
     * @param to        end, exclusive; after {@code from}
     * @param maxPoints 1..100000
     * @return buckets in ascending time order
     * @throws BadDataException          bad arguments
     * @throws StoreUnavailableException the database cannot be reached
     */
    List<HistoryPoint> history(String sensor, Instant from, Instant to, int maxPoints);

    /**
     * The bucket width {@link #history} uses for this range and {@code maxPoints}, so a client can
     * tell a missing bucket (no readings: a gap) from the next one.
     *
     * @throws BadDataException bad arguments (as for {@link #history})
     */
    static java.time.Duration bucketWidth(Instant from, Instant to, int maxPoints) {
        Times.checkHistoryArgs("bucket width", maxPoints);
        long[] w = Times.window(from, to);
        return java.time.Duration.ofNanos(Math.multiplyExact(Buckets.width(w[0], w[1], maxPoints), 1000L));
    }

    /**
     * Messages matching the query, in ascending id order: without {@code afterId} the newest
     * {@code limit} rows, with {@code afterId} the first {@code limit} rows after it (so a tail passes
     * the last id it printed).
     *
     * @param q filters and limit
     * @return matching rows, oldest first
     * @throws StoreUnavailableException the database cannot be reached
     */
    List<StoredMessage> recentMessages(MessageQuery q);

    /**
     * Number of messages per message type with {@code from <= timestamp < to}; frames without a
     * type are counted under {@link #UNKNOWN_TYPE}.
     *
     * @param from start, inclusive
     * @param to   end, exclusive
     * @return counts by type, sorted by type name; types with no message are absent
     * @throws StoreUnavailableException the database cannot be reached
     */
    Map<String, Long> countsByType(Instant from, Instant to);

    /**
     * The newest reading of every sensor in {@code sensor_readings}.
     *
     * @return sensor name to its latest reading, sorted by name
     * @throws StoreUnavailableException the database cannot be reached
     */
    Map<String, ReadingRow> latestPerSensor();

    /**
     * Streams the stored readings of {@code sensors} with {@code from <= time < to} to {@code sink},
     * sensor by sensor in the given order, each in ascending time: one pass over the
     * {@code (sensor, time)} index, read in chunks (a cursor on PostgreSQL), so a year of readings is
     * never held in memory. Not retried once a row has been handed over; an exception thrown by
     * {@code sink} ends the export and is rethrown unchanged.
     *
     * @param sensors sensor names, non-empty
     * @param from    start, inclusive
     * @param to      end, exclusive; after {@code from}
     * @param sink    receives each row
     * @return rows handed to {@code sink}
     * @throws BadDataException          bad arguments
     * @throws StoreUnavailableException the database cannot be reached
     */
    long exportReadings(List<String> sensors, Instant from, Instant to, java.util.function.Consumer<ReadingRow> sink);

    /**
     * Streams the {@code can_messages} rows with {@code from <= timestamp < to} to {@code sink} in
     * ascending (timestamp, id) order, read in chunks like {@link #exportReadings}.
     *
     * @return rows handed to {@code sink}
     * @throws BadDataException          bad arguments
     * @throws StoreUnavailableException the database cannot be reached
     */
    long exportMessages(Instant from, Instant to, java.util.function.Consumer<StoredMessage> sink);

    /**
     * Whether this database holds messages written from the Redis stream (a row carrying its stream
     * entry id: the worker writes here). The scanner's legacy direct write refuses such a target,
     * since every frame would then be stored twice.
     *
     * @throws StoreUnavailableException the database cannot be reached
     */
    boolean holdsStreamRows();

    /**
     * Whether two store URLs name the same database (same server and database name, or the same
     * SQLite file), whatever their credentials.
     *
     * @throws BadDataException either URL is malformed
     */
    static boolean sameDatabase(String a, String b) {
        return StoreUrl.parse(a).sameDatabase(StoreUrl.parse(b));
    }

    /**
     * Min, mean, max and the number of readings within the band of one sensor in each window
     * (e.g. the lights-on and lights-off periods of a room's days), from the stored readings, the
     * same on every backend.
     *
     * @param sensor  sensor name
     * @param windows windows in any order; each answered once, in the same order
     * @return one summary per window
     * @throws BadDataException          bad arguments
     * @throws StoreUnavailableException the database cannot be reached
     */
    List<Summary> summarize(String sensor, List<SummaryWindow> windows);

    /**
     * The health of the scheduled TimescaleDB jobs acting on this schema (refresh, compression and
     * retention policies), read from {@code timescaledb_information.jobs} and {@code job_stats}:
     * one small catalog query, meant for a status thread every minute or so, not per batch.
     * SQLite and plain PostgreSQL have no job runner: {@link JobHealth.State#NOT_APPLICABLE}.
     *
     * @return the report, the rule applied at the database's time
     * @throws StoreUnavailableException the database cannot be reached
     */
    default JobHealth.Report jobHealth() {
        return JobHealth.notApplicable(backend() + ": no TimescaleDB job runner", java.time.Instant.now());
    }

    /** The kind of database this store talks to. */
    Backend backend();

    /** Closes the connection; idempotent. Calls after close throw {@link IllegalStateException}. */
    @Override
    void close();
}
