package org.cea.tsdb;

/** Which kind of database a {@link Store} talks to. */
public enum Backend {
    /** A local SQLite file holding the legacy {@code can_messages} table (WAL mode). */
    SQLITE,
    /** PostgreSQL without the TimescaleDB extension: plain tables, no hypertables or aggregates. */
    POSTGRES,
    /** PostgreSQL with the TimescaleDB extension: hypertables (and, when licensed, compression and continuous aggregates). */
    TIMESCALEDB
}
