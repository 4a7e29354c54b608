package org.cea.tsdb;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Summaries from hourly and minute aggregates where they can answer exactly, raw rows elsewhere:
 * TimescaleDB's continuous aggregates where materialised and valid, plain PostgreSQL's rollup
 * tables everywhere ({@link Aggregates}); the answer is the raw rows' (count, min, max and in-band count exactly, the mean
 * up to floating-point rounding of the sums).
 *
 * <p>A window's whole hours that the aggregate holds materialised and valid ({@link Materialised})
 * contribute their {@code samples}, {@code sum_value}, {@code min_value} and {@code max_value}.
 * The share in band needs no per-band counts in the aggregate: an hour whose min and max are both
 * inside the window's band has all its readings in band, one whose max is below the band or min
 * above it has none; an hour that straddles a band limit is looked at minute by minute in the
 * minute aggregate the same way (where that is materialised and valid), as are the whole minutes of
 * the window's partial hours (a lights-on time not on the hour, a zone offset not whole hours) and
 * of hours the hourly aggregate cannot answer; only straddling or unmaterialised minutes and
 * sub-minute edges are read from raw rows, one index range scan of {@code (sensor, time)} each. Two
 * statements carry all windows: the minutes with their straddling minutes' raw rows
 * ({@link Aggregates#minuteStatement}, summed on the server, so no minute row travels to the client:
 * that transfer and its per-minute bookkeeping were a third of a 1-year summary's time), then the
 * other raw pieces ({@link #RAW}).
 */
final class PostgresSummaries {
    /**
     * Where the whole hours and minutes come from.
     *
     * @param hour    the hourly relation (bucket, sensor, samples, sum_value, min_value, max_value)
     * @param minute  the minute relation, or null where there is none (hours straddling a band then read raw rows)
     * @param checked whether only the buckets {@link Materialised} reports materialised and valid may be
     *                used (TimescaleDB's continuous aggregates); plain PostgreSQL's rollup tables are
     *                kept in the inserting transaction and hold every bucket exactly
     */
    record Aggregates(String hour, String minute, boolean checked) {
        /** TimescaleDB's continuous aggregates (sql/timescaledb_setup.sql). */
        static Aggregates continuous(boolean withMinutes) {
            return new Aggregates("sensor_readings_1h", withMinutes ? "sensor_readings_1m" : null, true);
        }

        /** Plain PostgreSQL's rollup tables, kept by triggers on sensor_readings (sql/timescaledb_setup.sql). */
        static final Aggregates ROLLUP_TABLES = new Aggregates("sensor_readings_rollup_1h", "sensor_readings_rollup_1m", false);

        Aggregates {
            java.util.Objects.requireNonNull(hour, "hour");
        }

        String hourQuery() {
            return "SELECT (extract(epoch FROM bucket) * 1000000)::bigint, samples, sum_value,"
                    + " min_value, max_value FROM " + hour + " WHERE sensor = ? AND bucket >= ? AND bucket < ?";
        }

        /**
         * The pieces' (window index, from, to, band min, band max: whole minutes the minute
         * relation holds exactly) totals in {@link #RAW}'s columns: the minutes wholly inside or
         * outside the band from the minute relation, summed per window on the server, and the
         * minutes that straddle a band limit from their raw rows, in the same statement, so no
         * minute row travels to the client. The minute rows of each piece are one index range scan,
         * parameterised through LATERAL ({@code OFFSET 0} keeps the planner from flattening it). A
         * plain range join ({@code m.bucket >= h.s AND m.bucket < h.s + 1 hour}) against
         * TimescaleDB's view (a UNION ALL with the real-time part) was planned as a nested loop over
         * the whole materialised view per hour, quadratic in the range: 190-260 s for a year of 1 Hz;
         * the LATERAL form 103 ms for its 1 267 straddling night hours, a hash join on
         * {@code time_bucket} 247 ms (EXPLAIN ANALYZE).
         */
        String minuteStatement() {
            return "WITH m AS (SELECT p.i, p.bmin, p.bmax, x.bucket, x.samples, x.sum_value, x.min_value, x.max_value,"
                    + " coalesce(x.min_value >= p.bmin AND x.max_value <= p.bmax, false) AS all_in,"
                    + " coalesce(x.max_value < p.bmin OR x.min_value > p.bmax, false) AS none_in"
                    + " FROM unnest(?::int[], ?::timestamptz[], ?::timestamptz[], ?::float8[], ?::float8[]) AS p(i, a, b, bmin, bmax)"
                    + " JOIN LATERAL (SELECT bucket, samples, sum_value, min_value, max_value FROM " + minute
                    + " WHERE sensor = ? AND bucket >= p.a AND bucket < p.b OFFSET 0) x ON true)"
                    + " SELECT i, sum(samples)::bigint, min(min_value), sum(sum_value), max(max_value),"
                    + " coalesce(sum(samples) FILTER (WHERE all_in), 0)::bigint FROM m WHERE all_in OR none_in GROUP BY i"
                    + " UNION ALL SELECT m.i, count(r.value), min(r.value), sum(r.value), max(r.value),"
                    + " count(r.value) FILTER (WHERE r.value >= m.bmin AND r.value <= m.bmax) FROM m"
                    + " JOIN LATERAL (SELECT value FROM sensor_readings WHERE sensor = ? AND time >= m.bucket"
                    + " AND time < m.bucket + INTERVAL '1 minute') r ON true WHERE NOT (m.all_in OR m.none_in) GROUP BY m.i";
        }

        /** The segments of [from, to) whose buckets of {@code relation} may be used. */
        List<long[]> trusted(Connection c, String relation, long width, long from, long to) throws SQLException {
            return checked ? Materialised.read(c, relation, width, from, to) : List.<long[]>of(new long[] {from, to});
        }
    }

    private static final String RAW = "SELECT p.i, count(r.value), min(r.value), sum(r.value), max(r.value),"
            + " count(r.value) FILTER (WHERE r.value >= p.bmin AND r.value <= p.bmax)"
            + " FROM unnest(?::int[], ?::timestamptz[], ?::timestamptz[], ?::float8[], ?::float8[]) AS p(i, a, b, bmin, bmax)"
            + " JOIN LATERAL (SELECT value FROM sensor_readings WHERE sensor = ? AND time >= p.a AND time < p.b) r ON true"
            + " GROUP BY p.i";

    private PostgresSummaries() {
    }

    /** One window's running totals. */
    private static final class Acc {
        long n;
        long in;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(long count, double s, double mn, double mx, long inBand) {
            if (count == 0) {
                return;
            }
            n += count;
            in += inBand;
            sum += s;
            min = Math.min(min, mn);
            max = Math.max(max, mx);
        }
    }

    /** @param aggs where whole hours and minutes are read from */
    static List<Summary> summarize(Connection c, String sensor, List<SummaryWindow> windows, Aggregates aggs)
            throws SQLException {
        boolean minuteAggregate = aggs.minute() != null;
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (SummaryWindow w : windows) {
            lo = Math.min(lo, Times.micros(w.from(), "from"));
            hi = Math.max(hi, Times.micros(w.to(), "to"));
        }
        long h = Buckets.HOUR;
        List<long[]> trusted = windows.isEmpty() || Buckets.floor(hi, h) <= Buckets.ceil(lo, h) ? List.of()
                : aggs.trusted(c, aggs.hour(), h, Buckets.ceil(lo, h), Buckets.floor(hi, h));
        Map<Long, double[]> hours = trusted.isEmpty() ? Map.of() : hours(c, aggs, sensor, trusted);
        Acc[] acc = new Acc[windows.size()];
        List<Object[]> raw = new ArrayList<>();   // window index, from, to (micros)
        List<long[]> straddling = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            acc[i] = new Acc();
            plan(i, windows.get(i), trusted, hours, acc[i], raw, straddling);
        }
        if (minuteAggregate) {
            raw = wholeMinutes(raw, straddling);
        }
        if (!straddling.isEmpty()) {
            refine(c, aggs, sensor, windows, straddling, acc, raw);
        }
        if (!raw.isEmpty()) {
            run(c, RAW, 1, sensor, windows, raw, acc);
        }
        List<Summary> out = new ArrayList<>(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            Acc a = acc[i];
            out.add(new Summary(windows.get(i), a.n, a.n == 0 ? null : a.min, a.n == 0 ? null : a.sum / a.n,
                    a.n == 0 ? null : a.max, a.in));
        }
        return out;
    }

    /**
     * Splits one window into hours answered by the aggregate (added to {@code acc}), hours that
     * straddle a band limit ({@code refine}: window index, hour start) and raw pieces.
     */
    private static void plan(int i, SummaryWindow w, List<long[]> trusted, Map<Long, double[]> hours, Acc acc,
                             List<Object[]> raw, List<long[]> refine) {
        long h = Buckets.HOUR;
        long from = Times.micros(w.from(), "from");
        long to = Times.micros(w.to(), "to");
        double bmin = w.bandMin() == null ? Exports.NO_MIN : w.bandMin();
        double bmax = w.bandMax() == null ? Exports.NO_MAX : w.bandMax();
        long cursor = from;   // start of the pending raw piece
        for (long[] seg : trusted) {
            long a = Math.max(seg[0], Buckets.ceil(from, h));
            long b = Math.min(seg[1], Buckets.floor(to, h));
            for (long t = a; t < b; t += h) {
                if (t > cursor) {
                    raw.add(new Object[] {i, cursor, t});
                }
                cursor = t + h;
                double[] r = hours.get(t);
                if (r == null) {
                    continue; // materialised and valid without a row: no readings in that hour
                }
                if (straddles(r, bmin, bmax)) {
                    refine.add(new long[] {i, t, t + h});
                } else {
                    acc.add((long) r[0], r[1], r[2], r[3], r[3] < bmin || r[2] > bmax ? 0 : (long) r[0]);
                }
            }
        }
        if (cursor < to) {
            raw.add(new Object[] {i, cursor, to});
        }
    }

    /**
     * The whole minutes of the raw pieces (partial hours, hours the hourly aggregate does not
     * hold) go to {@code refine} as well, to be read from the minute aggregate where it can; the
     * pieces' sub-minute edges stay raw. Returns the raw pieces left.
     */
    private static List<Object[]> wholeMinutes(List<Object[]> raw, List<long[]> refine) {
        long m = Buckets.MINUTE;
        List<Object[]> left = new ArrayList<>();
        for (Object[] p : raw) {
            int i = (Integer) p[0];
            long a = (Long) p[1];
            long b = (Long) p[2];
            long a1 = Buckets.ceil(a, m);
            long b1 = Buckets.floor(b, m);
            if (a1 >= b1) {
                left.add(p);
                continue;
            }
            if (a < a1) {
                left.add(new Object[] {i, a, a1});
            }
            refine.add(new long[] {i, a1, b1});
            if (b1 < b) {
                left.add(new Object[] {i, b1, b});
            }
        }
        return left;
    }

    /** Some readings of the bucket (samples, sum, min, max) are inside the band and some outside. */
    private static boolean straddles(double[] r, double bmin, double bmax) {
        boolean allIn = r[2] >= bmin && r[3] <= bmax;
        boolean noneIn = r[3] < bmin || r[2] > bmax;
        return !allIn && !noneIn;
    }

    /**
     * The intervals (window index, from, to: straddling hours, whole minutes of raw pieces) minute
     * by minute from the minute aggregate where it is materialised and valid; the parts it cannot
     * answer become raw pieces. Without the minute aggregate every interval is a raw piece.
     */
    private static void refine(Connection c, Aggregates aggs, String sensor, List<SummaryWindow> windows,
                               List<long[]> refine, Acc[] acc, List<Object[]> raw) throws SQLException {
        if (aggs.minute() == null) {
            for (long[] r : refine) {
                raw.add(new Object[] {(int) r[0], r[1], r[2]});
            }
            return;
        }
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (long[] r : refine) {
            lo = Math.min(lo, r[1]);
            hi = Math.max(hi, r[2]);
        }
        List<long[]> trusted = aggs.trusted(c, aggs.minute(), Buckets.MINUTE, lo, hi);
        List<Object[]> viaMinutes = new ArrayList<>();
        for (long[] r : refine) {
            split((int) r[0], r[1], r[2], trusted, viaMinutes, raw);
        }
        if (!viaMinutes.isEmpty()) {
            run(c, aggs.minuteStatement(), 2, sensor, windows, viaMinutes, acc);
        }
    }

    /**
     * Cuts {@code [a, b)} (whole minutes) at the trusted segments (whole minutes, in order,
     * disjoint): the parts inside one go to {@code inside}, the rest to {@code outside}.
     */
    private static void split(int i, long a, long b, List<long[]> trusted, List<Object[]> inside, List<Object[]> outside) {
        long cursor = a;
        for (long[] s : trusted) {
            long x = Math.max(s[0], cursor);
            long y = Math.min(s[1], b);
            if (x >= y) {
                continue;
            }
            if (x > cursor) {
                outside.add(new Object[] {i, cursor, x});
            }
            inside.add(new Object[] {i, x, y});
            cursor = y;
        }
        if (cursor < b) {
            outside.add(new Object[] {i, cursor, b});
        }
    }

    /** The aggregate's rows (samples, sum, min, max) by bucket start, inside the trusted segments. */
    private static Map<Long, double[]> hours(Connection c, Aggregates aggs, String sensor, List<long[]> trusted)
            throws SQLException {
        Map<Long, double[]> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(aggs.hourQuery())) {
            ps.setFetchSize(10_000);
            for (long[] seg : trusted) {
                ps.setString(1, sensor);
                ps.setObject(2, at(seg[0]));
                ps.setObject(3, at(seg[1]));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), new double[] {rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)});
                    }
                }
            }
        }
        return out;
    }

    /**
     * Runs {@code sql} ({@link #RAW} or {@link Aggregates#minuteStatement}: five arrays, then the
     * sensor {@code sensorParams} times) over the pieces (window index, from, to) with each window's
     * band, adding its rows (window index, count, min, sum, max, in-band count) to the windows' totals.
     */
    private static void run(Connection c, String sql, int sensorParams, String sensor, List<SummaryWindow> windows,
                            List<Object[]> raw, Acc[] acc) throws SQLException {
        int n = raw.size();
        Integer[] idx = new Integer[n];
        OffsetDateTime[] a = new OffsetDateTime[n];
        OffsetDateTime[] b = new OffsetDateTime[n];
        Double[] bmin = new Double[n];
        Double[] bmax = new Double[n];
        for (int k = 0; k < n; k++) {
            Object[] p = raw.get(k);
            SummaryWindow w = windows.get((Integer) p[0]);
            idx[k] = (Integer) p[0];
            a[k] = at((Long) p[1]);
            b[k] = at((Long) p[2]);
            bmin[k] = w.bandMin() == null ? Exports.NO_MIN : w.bandMin();
            bmax[k] = w.bandMax() == null ? Exports.NO_MAX : w.bandMax();
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Array[] arrays = {c.createArrayOf("int4", idx), c.createArrayOf("timestamptz", a),
                c.createArrayOf("timestamptz", b), c.createArrayOf("float8", bmin), c.createArrayOf("float8", bmax)};
            for (int k = 0; k < arrays.length; k++) {
                ps.setArray(k + 1, arrays[k]);
            }
            for (int k = 0; k < sensorParams; k++) {
                ps.setString(6 + k, sensor);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    acc[rs.getInt(1)].add(rs.getLong(2), rs.getDouble(4), rs.getDouble(3), rs.getDouble(5), rs.getLong(6));
                }
            }
            for (Array arr : arrays) {
                arr.free();
            }
        }
    }

    private static OffsetDateTime at(long micros) {
        return OffsetDateTime.ofInstant(Times.instant(micros), ZoneOffset.UTC);
    }
}
