package org.cea.tsdb;

import java.util.List;

/**
 * The history of alert transitions, table {@code alert_events} (readable by {@code cea_reader}).
 * cea-automation appends the events of its {@code alerts:events} stream; can-api and the monitors
 * read them. Same URLs as {@link Store#open}; one connection, reconnected after an outage, calls
 * serialized; no threads. Errors: {@link StoreUnavailableException} (retry later),
 * {@link BadDataException} (bad arguments), {@link TsdbException} (table missing, permissions).
 */
public interface AlertEventLog extends AutoCloseable {
    /**
     * Opens the log. On SQLite the table is created with the legacy file's side tables; on
     * PostgreSQL it must exist (sql/timescaledb_setup.sql, applied by bin/cea-db-setup): when it
     * does not, the schema is applied if the role may, else the error says to run cea-db-setup.
     *
     * @throws StoreUnavailableException the database cannot be reached
     * @throws TsdbException             the table is missing and cannot be created
     */
    static AlertEventLog open(String url) {
        return JdbcAlertEventLog.open(StoreUrl.parse(url));
    }

    /**
     * Appends events in one transaction; an event id already stored is skipped.
     *
     * @return rows written (the others were already there)
     * @throws StoreUnavailableException nothing was committed; retry later
     */
    int append(List<AlertEventRow> rows);

    /**
     * Events matching the query, newest first.
     *
     * @throws StoreUnavailableException the database cannot be reached
     */
    List<AlertEventRow> recent(AlertEventQuery q);

    /** Closes the connection; idempotent. */
    @Override
    void close();
}
