package org.cea.tsdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a TimescaleDB continuous aggregate can be trusted: the whole buckets below its watermark
 * ({@code _timescaledb_functions.cagg_watermark}) that no pending invalidation covers. A bucket
 * never materialised (the aggregate is created WITH NO DATA, which TimescaleDB records as one
 * invalidation of all time; a refresh policy clears only its window) or holding rows written after
 * its last refresh (a migration, a backfill after an outage: the hypertable's invalidation log,
 * moved to each aggregate's materialization log by the next refresh) is not, and history reads
 * raw rows there. Watermarks and invalidation ranges are in TimescaleDB's internal time, for
 * timestamptz microseconds since the Unix epoch (not PostgreSQL's 2000-01-01), invalidations with
 * inclusive bounds and {@code Long.MIN_VALUE} / {@code MAX_VALUE} for -infinity / +infinity.
 * The catalog tables are readable by every role.
 */
final class Materialised {
    /** At most this many aggregate segments per query; the shorter ones are read from raw rows. */
    static final int MAX_SEGMENTS = 32;
    private static final String CAGG = "_timescaledb_catalog.continuous_agg ca";
    private static final String WHERE_CAGG = " ca.user_view_schema = current_schema() AND ca.user_view_name = ?";
    private static final String QUERY = "SELECT 0, _timescaledb_functions.cagg_watermark(ca.mat_hypertable_id), 0"
            + " FROM " + CAGG + " WHERE" + WHERE_CAGG
            + " UNION ALL SELECT 1, l.lowest_modified_value, l.greatest_modified_value"
            + " FROM _timescaledb_catalog.continuous_aggs_hypertable_invalidation_log l JOIN " + CAGG
            + " ON l.hypertable_id = ca.raw_hypertable_id WHERE" + WHERE_CAGG
            + " AND l.greatest_modified_value >= ? AND l.lowest_modified_value < ?"
            + " UNION ALL SELECT 1, m.lowest_modified_value, m.greatest_modified_value"
            + " FROM _timescaledb_catalog.continuous_aggs_materialization_invalidation_log m JOIN " + CAGG
            + " ON m.materialization_id = ca.mat_hypertable_id WHERE" + WHERE_CAGG
            + " AND m.greatest_modified_value >= ? AND m.lowest_modified_value < ?";

    private Materialised() {
    }

    /** True when this TimescaleDB's catalog answers {@link #read}'s query (checked once per store, in a savepoint). */
    static boolean supported(Connection c, String view) {
        try {
            Savepoint sp = c.setSavepoint();
            try {
                read(c, view, Buckets.HOUR, 0, Buckets.HOUR);
                c.releaseSavepoint(sp);
                return true;
            } catch (SQLException e) {
                c.rollback(sp);
                return false;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * The aggregate's trustworthy whole-bucket segments {@code [a, b)} (epoch micros, in order,
     * disjoint) inside {@code [from, to)}, both multiples of {@code width}.
     */
    static List<long[]> read(Connection c, String view, long width, long from, long to) throws SQLException {
        long watermark = Long.MIN_VALUE;
        boolean found = false;
        List<long[]> invalid = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(QUERY)) {
            long lo = toInternal(from);
            long hi = toInternal(to);
            ps.setString(1, view);
            ps.setString(2, view);
            ps.setLong(3, lo);
            ps.setLong(4, hi);
            ps.setString(5, view);
            ps.setLong(6, lo);
            ps.setLong(7, hi);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(1) == 0) {
                        found = true;
                        watermark = fromInternal(rs.getLong(2));
                    } else {
                        invalid.add(new long[] {fromInternal(rs.getLong(2)), fromInternal(rs.getLong(3))});
                    }
                }
            }
        }
        if (!found) {
            return List.of();
        }
        return segments(width, from, to, watermark, invalid);
    }

    /**
     * The pure part of {@link #read}: {@code [from, min(to, watermark))} in whole buckets minus every
     * bucket an inclusive invalidation range {@code [lo, hi]} touches; at most {@link #MAX_SEGMENTS}
     * (the longest) are kept.
     */
    static List<long[]> segments(long width, long from, long to, long watermark, List<long[]> invalid) {
        long end = Math.min(to, watermark == Long.MIN_VALUE ? Long.MIN_VALUE : Buckets.floor(watermark, width));
        if (end <= from) {
            return List.of();
        }
        List<long[]> holes = new ArrayList<>();
        for (long[] r : invalid) {
            long lo = Math.max(r[0], from);
            long hi = Math.min(r[1], end - 1);
            if (lo <= hi) {
                holes.add(new long[] {Buckets.floor(lo, width), Buckets.ceil(hi + 1, width)});
            }
        }
        holes.sort(Comparator.comparingLong(h -> h[0]));
        List<long[]> out = new ArrayList<>();
        long cursor = from;
        for (long[] h : holes) {
            if (h[0] > cursor) {
                out.add(new long[] {cursor, h[0]});
            }
            cursor = Math.max(cursor, h[1]);
        }
        if (cursor < end) {
            out.add(new long[] {cursor, end});
        }
        if (out.size() > MAX_SEGMENTS) {
            out.sort(Comparator.comparingLong((long[] seg) -> seg[1] - seg[0]).reversed());
            out = new ArrayList<>(out.subList(0, MAX_SEGMENTS));
            out.sort(Comparator.comparingLong(seg -> seg[0]));
        }
        return out;
    }

    /** {@code [from, to)} minus the (ordered, disjoint) segments: what raw rows must answer. */
    static List<long[]> complement(List<long[]> segments, long from, long to) {
        List<long[]> out = new ArrayList<>();
        long cursor = from;
        for (long[] s : segments) {
            if (s[0] > cursor) {
                out.add(new long[] {cursor, s[0]});
            }
            cursor = Math.max(cursor, s[1]);
        }
        if (cursor < to) {
            out.add(new long[] {cursor, to});
        }
        return out;
    }

    /** TimescaleDB's internal time of a timestamptz is Unix microseconds already. */
    static long toInternal(long unixMicros) {
        return unixMicros;
    }

    static long fromInternal(long internal) {
        return internal;
    }
}
