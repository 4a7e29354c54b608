package org.cea.tsdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.function.ObjIntConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch of a {@link PostgresStore} inside the caller's transaction. The batch is COPYed
 * straight into each table; when that meets an existing key (a replayed batch) it is COPYed into a
 * session-local staging table instead and moved with {@code INSERT ... SELECT ... ON CONFLICT DO
 * NOTHING}, so a replayed batch writes nothing twice. Rows the database refuses are then isolated
 * one by one and recorded in the {@link BatchRows}. Not thread-safe: the session serializes calls.
 */
final class PostgresBatchWriter {
    /** The store's logger: these lines were the store's before the split, and log filters name it. */
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    private static final String TS = "TIMESTAMPTZ 'epoch' + %s * INTERVAL '1 microsecond'";
    /** The session-local staging tables, created once per connection by {@link PostgresSession}. */
    static final String STAGE_TABLES = "CREATE TEMP TABLE IF NOT EXISTS cea_stage_messages (n integer, source_id text,"
            + " ts_us bigint, can_id integer, extended boolean, node_id integer, message_type text, dlc integer,"
            + " raw_data text, decoded_data text) ON COMMIT DELETE ROWS;"
            + " CREATE TEMP TABLE IF NOT EXISTS cea_stage_readings (ts_us bigint, sensor text, value double precision)"
            + " ON COMMIT DELETE ROWS";
    private static final String INSERT_COLUMNS = "INSERT INTO can_messages (source_id, timestamp, can_id, extended,"
            + " node_id, message_type, dlc, raw_data, decoded_data) ";
    private static final String FROM_STAGE_MESSAGES = INSERT_COLUMNS + "SELECT source_id, " + String.format(TS, "ts_us")
            + ", can_id, extended, node_id, message_type, dlc, raw_data, decoded_data::jsonb FROM cea_stage_messages"
            + " ORDER BY n ON CONFLICT (source_id, timestamp) DO NOTHING";
    private static final String FROM_STAGE_READINGS = "INSERT INTO sensor_readings (time, sensor, value) SELECT "
            + String.format(TS, "ts_us") + ", sensor, value FROM cea_stage_readings ON CONFLICT (sensor, time) DO NOTHING";
    private static final String DIRECT_MESSAGES = "COPY can_messages (source_id, timestamp, can_id, extended, node_id,"
            + " message_type, dlc, raw_data, decoded_data) FROM STDIN";
    private static final String DIRECT_READINGS = "COPY sensor_readings (time, sensor, value) FROM STDIN";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String ONE_MESSAGE = INSERT_COLUMNS + "VALUES (?, " + String.format(TS, "?")
            + ", ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (source_id, timestamp) DO NOTHING";
    private static final String ONE_READING = "INSERT INTO sensor_readings (time, sensor, value) VALUES ("
            + String.format(TS, "?") + ", ?, ?) ON CONFLICT (sensor, time) DO NOTHING";

    private final StoreUrl url;
    private final CopyText copy = new CopyText();
    private SQLException lastProblem;

    PostgresBatchWriter(StoreUrl url) {
        this.url = url;
    }

    /**
     * Optimistic path first: COPY straight into both tables, as fast as {@code psql \copy}, with no
     * savepoint round trips. When that meets an existing key (a replayed batch, SQLSTATE 23505)
     * the transaction is rolled back and the batch goes through the staging tables and ON CONFLICT
     * DO NOTHING; when the database refuses a row, through single-row inserts that isolate it.
     *
     * @return messages inserted, messages already there, readings inserted, readings already there
     */
    int[] write(Connection c, BatchRows rows) throws SQLException {
        rows.clearDatabaseRejections();
        try {
            return direct(c, rows);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !SqlErrors.isBadData(e)) {
                throw e;
            }
            c.rollback();
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                try {
                    return staged(c, rows);
                } catch (SQLException again) {
                    if (!SqlErrors.isBadData(again)) {
                        throw again;
                    }
                    c.rollback();
                    e = again;
                }
            }
            LOG.warn("batch on {} refused ({}); writing row by row to isolate the bad rows", url, SqlErrors.describe(e));
            return rowByRow(c, rows);
        }
    }

    private int[] direct(Connection c, BatchRows rows) throws SQLException {
        if (!rows.messages.isEmpty()) {
            copy.reset();
            rows.messages.forEach(copy::messageRow);
            copyIn(c, DIRECT_MESSAGES);
        }
        if (!rows.readings.isEmpty()) {
            copy.reset();
            rows.readings.forEach(copy::readingRow);
            copyIn(c, DIRECT_READINGS);
        }
        return new int[] {rows.messages.size(), 0, rows.readings.size(), 0};
    }

    private int[] staged(Connection c, BatchRows rows) throws SQLException {
        int[] counts = new int[4];
        try (Statement st = c.createStatement()) {
            if (!rows.messages.isEmpty()) {
                copy.reset();
                for (int k = 0; k < rows.messages.size(); k++) {
                    copy.message(k, rows.messages.get(k));
                }
                copyIn(c, "COPY cea_stage_messages FROM STDIN");
                counts[0] = st.executeUpdate(FROM_STAGE_MESSAGES);
                counts[1] = rows.messages.size() - counts[0];
            }
            if (!rows.readings.isEmpty()) {
                copy.reset();
                rows.readings.forEach(copy::reading);
                copyIn(c, "COPY cea_stage_readings FROM STDIN");
                counts[2] = st.executeUpdate(FROM_STAGE_READINGS);
                counts[3] = rows.readings.size() - counts[2];
            }
        }
        return counts;
    }

    private void copyIn(Connection c, String sql) throws SQLException {
        byte[] data = copy.bytes();
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            in.writeToCopy(data, 0, data.length);
            in.endCopy();
        } catch (SQLException e) {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private int[] rowByRow(Connection c, BatchRows rows) throws SQLException {
        int[] counts = new int[4];
        messagesOneByOne(c, rows, counts);
        readingsOneByOne(c, rows, counts);
        return counts;
    }

    private void messagesOneByOne(Connection c, BatchRows rows, int[] counts) throws SQLException {
        oneByOne(c, ONE_MESSAGE, rows.messages, (ps, m) -> {
            ps.setString(1, m.sourceId());
            ps.setLong(2, m.timestampMicros());
            ps.setInt(3, m.canId());
            ps.setBoolean(4, m.extended());
            ps.setObject(5, m.nodeId(), Types.INTEGER);
            ps.setString(6, m.messageType());
            ps.setInt(7, m.dlc());
            ps.setString(8, m.rawData());
            ps.setString(9, m.decodedJson());
        }, (e, k) -> rows.rejectMessage(k, e), counts, 0);
    }

    private void readingsOneByOne(Connection c, BatchRows rows, int[] counts) throws SQLException {
        oneByOne(c, ONE_READING, rows.readings, (ps, r) -> {
            ps.setLong(1, r.timeMicros());
            ps.setString(2, r.sensor());
            ps.setDouble(3, r.value());
        }, (e, k) -> rows.rejectReading(k, e), counts, 2);
    }

    /** Binds one row's parameters. */
    @FunctionalInterface
    private interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    /**
     * Inserts {@code list} row by row, each under a savepoint; a refused row goes to {@code reject}
     * with its index, the others count into {@code counts[slot]} (inserted) or {@code counts[slot + 1]}
     * (already there).
     */
    private <T> void oneByOne(Connection c, String sql, List<T> list, Binder<T> binder,
            ObjIntConsumer<SQLException> reject, int[] counts, int slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < list.size(); k++) {
                binder.bind(ps, list.get(k));
                Integer n = isolated(c, ps);
                if (n == null) {
                    reject.accept(lastProblem, k);
                } else {
                    counts[n == 1 ? slot : slot + 1]++;
                }
            }
        }
    }

    /** Executes one row under a savepoint; null (and {@link #lastProblem} set) when the database refuses the data. */
    private Integer isolated(Connection c, PreparedStatement ps) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try {
            int n = ps.executeUpdate();
            c.releaseSavepoint(sp);
            return n;
        } catch (SQLException e) {
            if (!SqlErrors.isBadData(e)) {
                throw e;
            }
            c.rollback(sp);
            lastProblem = e;
            return null;
        }
    }
}
