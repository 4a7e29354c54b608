package org.cea.tools.consistency;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.cea.tsdb.DigestRow;
import org.cea.tsdb.MinuteDigest;
import org.cea.tsdb.MinuteDigests;
import org.cea.tsdb.TsdbException;

/**
 * Compares two stores minute by minute and CAN id by CAN id over a range: the digests of a chunk
 * of minutes are computed on both sides at once (the legacy side on the caller's thread; the
 * database side, where PostgreSQL hashes every row and so does most of the work, on the given
 * executor over several connections, one chunk ahead per connection), merged in time order, and
 * each differing CAN id of a closed minute is reported, the first ones with the rows present on
 * one side only. Minutes from {@code openFrom} on are still being written: counted, not compared.
 * Memory is bounded by a few chunks' digests and one minute's rows of one CAN id.
 */
final class Comparison {
    /** Minutes whose digests are computed per query. */
    static final int CHUNK_MINUTES = 15;
    /** Rows of one CAN id in one minute fetched to find those on one side only. */
    static final int MAX_LISTED_ROWS = 50_000;
    private static final long MINUTE = MinuteDigest.MINUTE_MICROS;

    /** Receives the results in time order. */
    interface Listener {
        /** A CAN id of a closed minute differs. */
        void difference(Difference d);

        /** A minute still being written (not compared), with its rows so far on each side. */
        void open(long minuteMicros, long legacyRows, long databaseRows);

        /** A chunk is done: the comparison has covered everything before {@code doneMicros}. */
        void progress(long doneMicros, Totals soFar);
    }

    private final MinuteDigests legacy;
    private final List<MinuteDigests> database;
    private final ExecutorService databaseSide;
    private final int rowsListed;
    private final int detailLimit;

    /**
     * @param legacy       the scanner's legacy file
     * @param database     the worker's database, one reader per connection (at least one); chunk
     *                     {@code k} is read on reader {@code k mod size}
     * @param databaseSide runs the database's queries while the legacy side is read, with at least
     *                     as many threads as there are readers
     * @param rowsListed   rows listed per side and difference, &gt;= 0
     * @param detailLimit  differences whose rows are fetched, &gt;= 0 (the rest are named with their counts)
     */
    Comparison(MinuteDigests legacy, List<MinuteDigests> database, ExecutorService databaseSide, int rowsListed,
               int detailLimit) {
        if (database.isEmpty()) {
            throw new IllegalArgumentException("at least one database reader is needed");
        }
        this.legacy = legacy;
        this.database = List.copyOf(database);
        this.databaseSide = databaseSide;
        this.rowsListed = rowsListed;
        this.detailLimit = detailLimit;
    }

    /**
     * Runs the comparison.
     *
     * @param fromMicros start, a minute boundary, &gt;= 0
     * @param toMicros   end, exclusive, a minute boundary, &gt; fromMicros
     * @param openFrom   the first minute still being written (minutes from here on are open)
     * @param listener   receives differences, open minutes and progress
     * @return the totals
     * @throws TsdbException when a store fails (unavailable, unreadable)
     * @throws InterruptedException when interrupted while waiting for the database side
     */
    Totals run(long fromMicros, long toMicros, long openFrom, Listener listener) throws InterruptedException {
        Totals t = new Totals();
        long step = CHUNK_MINUTES * MINUTE;
        ArrayDeque<Future<List<MinuteDigest>>> ahead = new ArrayDeque<>();
        long next = fromMicros;
        int k = 0;
        try {
            for (long c = fromMicros; c < toMicros; c += step, k++) {
                // chunk j runs on reader j mod n; reader k mod n is free again once chunk k is merged
                while (ahead.size() < database.size() && next < toMicros) {
                    long s = next;
                    long e = Math.min(toMicros, s + step);
                    MinuteDigests reader = database.get((k + ahead.size()) % database.size());
                    ahead.add(databaseSide.submit(() -> reader.digests(s, e)));
                    next = e;
                }
                long end = Math.min(toMicros, c + step);
                List<MinuteDigest> mine = legacy.digests(c, end);
                merge(c, end, mine, await(ahead.poll()), openFrom, t, listener, database.get(k % database.size()));
                listener.progress(end, t);
            }
        } finally {
            ahead.forEach(f -> f.cancel(true));
        }
        return t;
    }

    private static List<MinuteDigest> await(Future<List<MinuteDigest>> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("database side failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }

    /** Walks the chunk minute by minute over both sorted digest lists. */
    private void merge(long from, long to, List<MinuteDigest> l, List<MinuteDigest> d, long openFrom, Totals t,
                       Listener listener, MinuteDigests reader) {
        int i = 0;
        int j = 0;
        for (long m = from; m < to; m += MINUTE) {
            Minute minute = new Minute(m);
            while (i < l.size() && l.get(i).minuteMicros() == m || j < d.size() && d.get(j).minuteMicros() == m) {
                MinuteDigest a = i < l.size() && l.get(i).minuteMicros() == m ? l.get(i) : null;
                MinuteDigest b = j < d.size() && d.get(j).minuteMicros() == m ? d.get(j) : null;
                if (a != null && b != null && a.canId() != b.canId()) {
                    if (a.canId() < b.canId()) {
                        b = null;
                    } else {
                        a = null;
                    }
                }
                i += a == null ? 0 : 1;
                j += b == null ? 0 : 1;
                minute.add(a, b);
            }
            if (m >= openFrom) {
                t.open(minute);
                listener.open(m, minute.legacyRows, minute.databaseRows);
            } else {
                closed(minute, t, listener, reader);
            }
        }
    }

    private void closed(Minute minute, Totals t, Listener listener, MinuteDigests reader) {
        t.compared(minute);
        for (MinuteDigest[] pair : minute.differing) {
            Difference diff = describe(reader, minute.start, pair[0], pair[1], t.differences < detailLimit);
            t.difference(diff);
            listener.difference(diff);
        }
    }

    private Difference describe(MinuteDigests reader, long minute, MinuteDigest a, MinuteDigest b, boolean list) {
        int canId = a != null ? a.canId() : b.canId();
        long la = a == null ? 0 : a.rows();
        long lb = b == null ? 0 : b.rows();
        if (!list) {
            return Difference.counted(minute, canId, la, lb);
        }
        List<DigestRow> left = legacy.rows(minute, minute + MINUTE, canId, MAX_LISTED_ROWS);
        List<DigestRow> right = reader.rows(minute, minute + MINUTE, canId, MAX_LISTED_ROWS);
        if (left.size() >= MAX_LISTED_ROWS || right.size() >= MAX_LISTED_ROWS) {
            return new Difference(minute, canId, la, lb, false, List.of(), 0, List.of(), 0,
                    "more than " + MAX_LISTED_ROWS + " rows in the minute: rows not listed");
        }
        RowDiff r = RowDiff.of(left, right, rowsListed);
        String note = r.onlyLeftTotal() + r.onlyRightTotal() == 0
                ? "the digests differ but the rows read back compare equal (rows written during the comparison?)"
                : null;
        return new Difference(minute, canId, la, lb, true, r.onlyLeft(), r.onlyLeftTotal(), r.onlyRight(),
                r.onlyRightTotal(), note);
    }

    /** One minute's digests on both sides. */
    private static final class Minute {
        final long start;
        long legacyRows;
        long databaseRows;
        final List<MinuteDigest[]> differing = new ArrayList<>();

        Minute(long start) {
            this.start = start;
        }

        void add(MinuteDigest a, MinuteDigest b) {
            legacyRows += a == null ? 0 : a.rows();
            databaseRows += b == null ? 0 : b.rows();
            if (a == null || b == null || a.rows() != b.rows() || a.checksum() != b.checksum()) {
                differing.add(new MinuteDigest[] {a, b});
            }
        }
    }

    /** What the comparison found so far; the caller reads it after {@link #run}. */
    static final class Totals {
        long minutesCompared;
        long minutesDiffer;
        long minutesOpen;
        long differences;
        long legacyRows;
        long databaseRows;
        long openLegacyRows;
        long openDatabaseRows;
        /** Start of the newest closed minute compared, or -1. */
        long newestMinute = -1;
        long newestMinuteLegacyRows;
        long newestMinuteDatabaseRows;
        /** The newest difference (the last one found: minutes come in time order), or null. */
        Difference newestDifference;

        private void compared(Minute m) {
            minutesCompared++;
            legacyRows += m.legacyRows;
            databaseRows += m.databaseRows;
            newestMinute = m.start;
            newestMinuteLegacyRows = m.legacyRows;
            newestMinuteDatabaseRows = m.databaseRows;
            if (!m.differing.isEmpty()) {
                minutesDiffer++;
            }
        }

        private void open(Minute m) {
            minutesOpen++;
            openLegacyRows += m.legacyRows;
            openDatabaseRows += m.databaseRows;
        }

        private void difference(Difference d) {
            differences++;
            newestDifference = d;
        }

        /** True when no closed minute differed. */
        boolean equal() {
            return minutesDiffer == 0;
        }
    }
}
