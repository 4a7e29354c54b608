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
 * sub-minute edges are read from raw rows. All raw pieces of all windows go in one statement, one index
 * range scan of {@code (sensor, time)} each.
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
         * The minute rows of the given intervals (straddling hours, the whole minutes of partial
         * hours): one index range scan per interval, parameterised through LATERAL ({@code OFFSET 0}
         * keeps the planner from flattening it). A plain range join ({@code m.bucket >= h.s AND
         * m.bucket < h.s + 1 hour}) against TimescaleDB's view (a UNION ALL with the real-time part)
         * was planned as a nested loop over the whole materialised view per hour, quadratic in the
         * range: 190-260 s for a year of 1 Hz; this form 103 ms for its 1 267 straddling night
         * hours, a hash join on {@code time_bucket} 247 ms (EXPLAIN ANALYZE).
         */
        String minuteQuery() {
            return "SELECT (extract(epoch FROM m.bucket) * 1000000)::bigint, m.samples,"
                    + " m.sum_value, m.min_value, m.max_value FROM unnest(?::timestamptz[], ?::timestamptz[]) AS h(a, b)"
                    + " JOIN LATERAL (SELECT bucket, samples, sum_value, min_value, max_value FROM " + minute
                    + " WHERE sensor = ? AND bucket >= h.a AND bucket < h.b OFFSET 0) m ON true";
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
            readRaw(c, sensor, windows, raw, acc);
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
     * by minute from the minute aggregate where it is materialised and valid: a minute wholly in or
     * out of the band counts from the aggregate, a straddling or untrusted minute becomes a raw
     * piece. Without the minute aggregate the interval is a raw piece.
     */
    private static void refine(Connection c, Aggregates aggs, String sensor, List<SummaryWindow> windows,
                               List<long[]> refine, Acc[] acc, List<Object[]> raw) throws SQLException {
        long m = Buckets.MINUTE;
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
        List<long[]> trusted = aggs.trusted(c, aggs.minute(), m, lo, hi);
        Map<Long, double[]> minutes = minutes(c, aggs, sensor, refine);
        for (long[] r : refine) {
            int i = (int) r[0];
            SummaryWindow w = windows.get(i);
            double bmin = w.bandMin() == null ? Exports.NO_MIN : w.bandMin();
            double bmax = w.bandMax() == null ? Exports.NO_MAX : w.bandMax();
            long pending = -1;   // start of the pending raw piece, or -1
            for (long t = r[1]; t < r[2]; t += m) {
                double[] x = covered(trusted, t, t + m) ? minutes.get(t) : null;
                boolean viaAggregate = covered(trusted, t, t + m) && (x == null || !straddles(x, bmin, bmax));
                if (!viaAggregate) {
                    pending = pending < 0 ? t : pending;
                    continue;
                }
                if (pending >= 0) {
                    raw.add(new Object[] {i, pending, t});
                    pending = -1;
                }
                if (x != null) {
                    acc[i].add((long) x[0], x[1], x[2], x[3], x[3] < bmin || x[2] > bmax ? 0 : (long) x[0]);
                }
            }
            if (pending >= 0) {
                raw.add(new Object[] {i, pending, r[2]});
            }
        }
    }

    private static boolean covered(List<long[]> segments, long a, long b) {
        for (long[] s : segments) {
            if (s[0] <= a && b <= s[1]) {
                return true;
            }
        }
        return false;
    }

    /** The minute aggregate's rows of the given intervals (window index, from, to), by bucket start. */
    private static Map<Long, double[]> minutes(Connection c, Aggregates aggs, String sensor, List<long[]> refine)
            throws SQLException {
        java.util.TreeMap<Long, Long> spans = new java.util.TreeMap<>();
        for (long[] r : refine) {
            spans.merge(r[1], r[2], Math::max);
        }
        OffsetDateTime[] as = new OffsetDateTime[spans.size()];
        OffsetDateTime[] bs = new OffsetDateTime[spans.size()];
        int k = 0;
        for (Map.Entry<Long, Long> e : spans.entrySet()) {
            as[k] = at(e.getKey());
            bs[k++] = at(e.getValue());
        }
        Map<Long, double[]> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(aggs.minuteQuery())) {
            Array aa = c.createArrayOf("timestamptz", as);
            Array ba = c.createArrayOf("timestamptz", bs);
            ps.setArray(1, aa);
            ps.setArray(2, ba);
            ps.setString(3, sensor);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), new double[] {rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)});
                }
            }
            aa.free();
            ba.free();
        }
        return out;
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

    private static void readRaw(Connection c, String sensor, List<SummaryWindow> windows, List<Object[]> raw, Acc[] acc)
            throws SQLException {
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
        try (PreparedStatement ps = c.prepareStatement(RAW)) {
            Array[] arrays = {c.createArrayOf("int4", idx), c.createArrayOf("timestamptz", a),
                c.createArrayOf("timestamptz", b), c.createArrayOf("float8", bmin), c.createArrayOf("float8", bmax)};
            for (int k = 0; k < arrays.length; k++) {
                ps.setArray(k + 1, arrays[k]);
            }
            ps.setString(6, sensor);
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
