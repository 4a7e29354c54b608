package org.cea.tsdb;

import java.util.List;

/**
 * Read-only digests of {@code can_messages} per minute and CAN id, computed the same way on SQLite
 * and on PostgreSQL/TimescaleDB so that the scanner's legacy file and the worker's database can be
 * compared minute by minute ({@code bin/can-consistency}). Nothing is ever written: a SQLite file
 * is opened with {@code SQLITE_OPEN_READONLY} (never created, no checkpoint), PostgreSQL in
 * read-only transactions. Every call is one short read transaction, so a writer in WAL mode is
 * neither blocked nor holding back its checkpoints.
 *
 * <p>A row belongs to the minute of its canonical time ({@link DigestRow}): SQLite's REAL seconds
 * rounded to the nearest microsecond (ties to even), PostgreSQL's microseconds as stored. Rows
 * whose legacy timestamp is not a number (NULL or text) belong to no minute. Not thread-safe; owns
 * no threads.
 */
public interface MinuteDigests extends AutoCloseable {
    /** Most rows {@link #rows} returns per call. */
    int MAX_ROWS = 100_000;

    /**
     * Opens the store at {@code url} (forms as {@link Store#open(String)}) for reading.
     *
     * @param url database URL; its password never appears in logs, messages or {@code toString()}
     * @return an open reader
     * @throws BadDataException          the URL is malformed, the SQLite file does not exist, or there is
     *                                   no {@code can_messages} table with the columns compared
     * @throws StoreUnavailableException the database cannot be reached
     */
    static MinuteDigests open(String url) {
        StoreUrl u = StoreUrl.parse(url);
        return u.isSqlite() ? SqliteDigests.open(u) : PostgresDigests.open(u);
    }

    /**
     * A store URL as every message shows it: the password replaced by {@code ***}, a plain file
     * path as {@code jdbc:sqlite:PATH}; for text that is no store URL, a note saying so.
     *
     * @param url as for {@link #open(String)}
     * @return the masked URL
     */
    static String masked(String url) {
        try {
            return StoreUrl.parse(url).toString();
        } catch (BadDataException e) {
            return "(not a store URL)";
        }
    }

    /** The kind of database read. */
    Backend backend();

    /** The database's URL with its password replaced by {@code ***}, for reports and logs. */
    String target();

    /**
     * The digest of every (minute, CAN id) with rows in {@code [fromMicros, toMicros)}. The result
     * has one element per such pair, so callers split long ranges (an hour is about 1,000 elements
     * at the facility's load).
     *
     * @param fromMicros start, Unix µs, &gt;= 0 and a multiple of {@link MinuteDigest#MINUTE_MICROS}
     * @param toMicros   end, exclusive, a multiple of it, &gt; {@code fromMicros}
     * @return digests sorted by minute, then CAN id
     * @throws BadDataException          bad bounds
     * @throws StoreUnavailableException the database cannot be reached
     */
    List<MinuteDigest> digests(long fromMicros, long toMicros);

    /**
     * The rows of one CAN id with canonical time in {@code [fromMicros, toMicros)}, in
     * {@link DigestRow#ORDER}: the first {@code limit} by time when there are more.
     *
     * @param fromMicros start, Unix µs, &gt;= 0
     * @param toMicros   end, exclusive, &gt; {@code fromMicros}
     * @param canId      the CAN id as stored
     * @param limit      1..{@link #MAX_ROWS}
     * @return the rows, sorted
     * @throws BadDataException          bad arguments
     * @throws StoreUnavailableException the database cannot be reached
     */
    List<DigestRow> rows(long fromMicros, long toMicros, int canId, int limit);

    /** Closes the connection; idempotent. */
    @Override
    void close();
}
