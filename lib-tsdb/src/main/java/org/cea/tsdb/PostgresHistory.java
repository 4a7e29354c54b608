package org.cea.tsdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the history query for what the database offers. Every variant buckets on the same
 * epoch-aligned grid ({@link Buckets}): buckets from {@code date_bin} on plain PostgreSQL,
 * {@code time_bucket} on TimescaleDB, and on TimescaleDB with continuous aggregates the
 * whole aggregate buckets inside the range that the aggregate holds materialised and valid
 * ({@link Materialised}: below its watermark, outside every pending invalidation) are read from
 * {@code sensor_readings_1h} / {@code sensor_readings_1m} (combined exactly through their sums
 * and counts) while everything else (the ragged edges, buckets never materialised, buckets with
 * late rows not yet refreshed, the present above the watermark) comes from raw rows. The answer is
 * therefore the raw rows' whatever state the refresh policies left the aggregates in. Plain
 * PostgreSQL's rollup tables ({@code sensor_readings_rollup_1h} / {@code _1m}, kept exact by
 * triggers) are read the same way over the whole inner range, bucketed with {@code date_bin}.
 */
final class PostgresHistory {
    private static final String EPOCH = "TIMESTAMPTZ '1970-01-01 00:00:00+00'";
    private static final String WIDTH = "(? * INTERVAL '1 microsecond')";
    private static final String OUT = "SELECT (extract(epoch FROM b) * 1000000)::bigint";

    private final boolean timescale;
    private final boolean minuteAggregate;
    private final boolean hourAggregate;
    private final boolean rollupTables;

    /**
     * @param rollupTables plain PostgreSQL's rollup tables are there (exact everywhere: no
     *                     materialisation check); the aggregate flags are TimescaleDB's
     */
    PostgresHistory(boolean timescale, boolean minuteAggregate, boolean hourAggregate, boolean rollupTables) {
        this.timescale = timescale;
        this.minuteAggregate = minuteAggregate;
        this.hourAggregate = hourAggregate;
        this.rollupTables = rollupTables;
    }

    /** Where day/night summaries read whole hours and minutes from, or null for raw rows only. */
    PostgresSummaries.Aggregates summaryAggregates() {
        if (hourAggregate) {
            return PostgresSummaries.Aggregates.continuous(minuteAggregate);
        }
        return rollupTables ? PostgresSummaries.Aggregates.ROLLUP_TABLES : null;
    }

    /** The epoch-aligned bucket of {@code column}: time_bucket on TimescaleDB (its default origin is 2000-01-03), date_bin elsewhere. */
    private String bucket(String column) {
        return (timescale ? "time_bucket(" : "date_bin(") + WIDTH + ", " + column + ", " + EPOCH + ")";
    }

    /** A statement returning (bucket micros, avg, min, max, count) ordered by bucket; the caller closes it. */
    PreparedStatement prepare(Connection c, String sensor, long from, long to, long width) throws SQLException {
        long aggWidth = 0;
        String view = null;
        if ((hourAggregate || rollupTables) && width % Buckets.HOUR == 0) {
            aggWidth = Buckets.HOUR;
            view = rollupTables ? PostgresSummaries.Aggregates.ROLLUP_TABLES.hour() : "sensor_readings_1h";
        } else if ((minuteAggregate || rollupTables) && width % Buckets.MINUTE == 0) {
            aggWidth = Buckets.MINUTE;
            view = rollupTables ? PostgresSummaries.Aggregates.ROLLUP_TABLES.minute() : "sensor_readings_1m";
        }
        long innerFrom = view == null ? 0 : Buckets.ceil(from, aggWidth);
        long innerTo = view == null ? 0 : Buckets.floor(to, aggWidth);
        if (view == null || innerTo <= innerFrom) {
            return raw(c, sensor, from, to, width);
        }
        List<long[]> agg = rollupTables ? List.<long[]>of(new long[] {innerFrom, innerTo})
                : Materialised.read(c, view, aggWidth, innerFrom, innerTo);
        if (agg.isEmpty()) {
            return raw(c, sensor, from, to, width);
        }
        return combined(c, sensor, view, width, agg, Materialised.complement(agg, from, to));
    }

    /** Whole aggregate buckets {@code agg} from {@code view}, raw rows over {@code rawParts}, re-bucketed to {@code width}. */
    private PreparedStatement combined(Connection c, String sensor, String view, long width, List<long[]> agg,
            List<long[]> rawParts) throws SQLException {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("WITH parts AS (SELECT ").append(bucket("bucket"))
                .append(" AS b, sum_value AS s, min_value AS mn, max_value AS mx, samples AS n FROM ").append(view)
                .append(" WHERE sensor = ? AND (");
        args.add(width);
        args.add(sensor);
        ranges(sql, args, "bucket", agg);
        sql.append(")");
        if (!rawParts.isEmpty()) {
            sql.append(" UNION ALL SELECT ").append(bucket("time"))
                    .append(", value, value, value, 1 FROM sensor_readings WHERE sensor = ? AND (");
            args.add(width);
            args.add(sensor);
            ranges(sql, args, "time", rawParts);
            sql.append(")");
        }
        sql.append(") ").append(OUT).append(", sum(s) / sum(n), min(mn), max(mx), sum(n)::bigint FROM parts GROUP BY b ORDER BY b");
        PreparedStatement ps = c.prepareStatement(sql.toString());
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
        return ps;
    }

    /** {@code (column >= ? AND column < ?) OR ...} for half-open micro ranges. */
    private static void ranges(StringBuilder sql, List<Object> args, String column, List<long[]> parts) {
        for (int i = 0; i < parts.size(); i++) {
            sql.append(i == 0 ? "" : " OR ").append("(").append(column).append(" >= ? AND ").append(column).append(" < ?)");
            args.add(at(parts.get(i)[0]));
            args.add(at(parts.get(i)[1]));
        }
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
