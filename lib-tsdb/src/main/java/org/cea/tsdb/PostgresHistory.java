package org.cea.tsdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Builds the history query for what the database offers. Every variant buckets on the same
 * epoch-aligned grid ({@link Buckets}): buckets from {@code date_bin} on plain PostgreSQL,
 * {@code time_bucket} on TimescaleDB, and on TimescaleDB with continuous aggregates the
 * whole aggregate buckets inside the range are read from {@code sensor_readings_1h} /
 * {@code sensor_readings_1m} (combined exactly through their sums and counts) while the ragged
 * edges of the range come from raw rows.
 */
final class PostgresHistory {
    private static final String EPOCH = "TIMESTAMPTZ '1970-01-01 00:00:00+00'";
    private static final String WIDTH = "(? * INTERVAL '1 microsecond')";
    private static final String OUT = "SELECT (extract(epoch FROM b) * 1000000)::bigint";

    private final boolean timescale;
    private final boolean minuteAggregate;
    private final boolean hourAggregate;

    PostgresHistory(boolean timescale, boolean minuteAggregate, boolean hourAggregate) {
        this.timescale = timescale;
        this.minuteAggregate = minuteAggregate;
        this.hourAggregate = hourAggregate;
    }

    /** TimescaleDB only: time_bucket with the epoch as origin (its default origin is 2000-01-03). */
    private static String bucket(String column) {
        return "time_bucket(" + WIDTH + ", " + column + ", " + EPOCH + ")";
    }

    /** A statement returning (bucket micros, avg, min, max, count) ordered by bucket; the caller closes it. */
    PreparedStatement prepare(Connection c, String sensor, long from, long to, long width) throws SQLException {
        long aggWidth = 0;
        String view = null;
        if (hourAggregate && width % Buckets.HOUR == 0) {
            aggWidth = Buckets.HOUR;
            view = "sensor_readings_1h";
        } else if (minuteAggregate && width % Buckets.MINUTE == 0) {
            aggWidth = Buckets.MINUTE;
            view = "sensor_readings_1m";
        }
        long innerFrom = view == null ? 0 : Buckets.ceil(from, aggWidth);
        long innerTo = view == null ? 0 : Buckets.floor(to, aggWidth);
        if (view == null || innerTo <= innerFrom) {
            return raw(c, sensor, from, to, width);
        }
        String sql = "WITH parts AS ("
                + "SELECT " + bucket("bucket") + " AS b, sum_value AS s, min_value AS mn, max_value AS mx, samples AS n"
                + " FROM " + view + " WHERE sensor = ? AND bucket >= ? AND bucket < ?"
                + " UNION ALL SELECT " + bucket("time") + ", value, value, value, 1 FROM sensor_readings"
                + " WHERE sensor = ? AND ((time >= ? AND time < ?) OR (time >= ? AND time < ?)))"
                + " " + OUT + ", sum(s) / sum(n), min(mn), max(mx), sum(n)::bigint FROM parts GROUP BY b ORDER BY b";
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setLong(1, width);
        ps.setString(2, sensor);
        ps.setObject(3, at(innerFrom));
        ps.setObject(4, at(innerTo));
        ps.setLong(5, width);
        ps.setString(6, sensor);
        ps.setObject(7, at(from));
        ps.setObject(8, at(innerFrom));
        ps.setObject(9, at(innerTo));
        ps.setObject(10, at(to));
        return ps;
    }

    private PreparedStatement raw(Connection c, String sensor, long from, long to, long width) throws SQLException {
        return timescale ? grouped(c, sensor, from, to, width) : perBucket(c, sensor, from, to, width);
    }

    /**
     * Plain PostgreSQL: one index-only range scan of {@code (sensor, time) INCLUDE (value)} per
     * bucket. A single {@code GROUP BY date_bin(...)} would sort every row (the planner does not
     * know date_bin preserves order, and cannot estimate the number of buckets), which measured
     * several times slower on 30 days at 1 Hz (see scripts/bench-tsdb.sh).
     */
    private PreparedStatement perBucket(Connection c, String sensor, long from, long to, long width) throws SQLException {
        String sql = "SELECT (extract(epoch FROM g.b) * 1000000)::bigint, a.av, a.mn, a.mx, a.n"
                + " FROM generate_series(date_bin(" + WIDTH + ", ?, " + EPOCH + "), ?, " + WIDTH + ") AS g(b)"
                + " CROSS JOIN LATERAL (SELECT avg(value) AS av, min(value) AS mn, max(value) AS mx, count(*) AS n"
                + " FROM sensor_readings WHERE sensor = ? AND time >= greatest(g.b, ?) AND time < least(g.b + " + WIDTH
                + ", ?)) a WHERE a.n > 0 ORDER BY g.b";
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setLong(1, width);
        ps.setObject(2, at(from));
        ps.setObject(3, at(Buckets.floor(to - 1, width)));
        ps.setLong(4, width);
        ps.setString(5, sensor);
        ps.setObject(6, at(from));
        ps.setLong(7, width);
        ps.setObject(8, at(to));
        return ps;
    }

    private PreparedStatement grouped(Connection c, String sensor, long from, long to, long width) throws SQLException {
        String sql = OUT + ", avg(value), min(value), max(value), count(*) FROM (SELECT " + bucket("time")
                + " AS b, value FROM sensor_readings WHERE sensor = ? AND time >= ? AND time < ?) r GROUP BY b ORDER BY b";
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setLong(1, width);
        ps.setString(2, sensor);
        ps.setObject(3, at(from));
        ps.setObject(4, at(to));
        return ps;
    }

    private static OffsetDateTime at(long micros) {
        return OffsetDateTime.ofInstant(Times.instant(micros), ZoneOffset.UTC);
    }
}
