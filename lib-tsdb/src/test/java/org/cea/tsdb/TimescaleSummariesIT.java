package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.cea.testsupport.PostgresCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Day/night summaries on TimescaleDB (hourly aggregate where materialised, raw rows elsewhere)
 * against the raw rows' answer worked out here from the rows the test wrote: count, min, max and
 * in-band count exactly, the mean to 1e-9. Windows on the hour (Europe/Amsterdam, lights 05:00-23:00)
 * and not (Asia/Kolkata, UTC+05:30, lights 06:20-18:45), bands that readings cross within an hour,
 * no band, an empty window, after the policies ran, with a late backfill not yet refreshed, and the
 * unmaterialised present.
 */
class TimescaleSummariesIT {
    private static PostgresCluster pg;

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    private static synchronized PostgresCluster cluster() {
        assumeTrue(PostgresCluster.timescaleSelected(), "TimescaleDB-only tests skipped: test clusters run "
                + PostgresCluster.describeBackend(false));
        if (pg == null) {
            pg = PostgresCluster.start();
        }
        return pg;
    }

    /** A value that wanders across 0.8..1.6 within hours: 1.2 +- 0.5 with a 5-hour and a 37-minute period. */
    private static double value(long micros) {
        double s = micros / 1e6;
        return Math.round((1.2 + 0.45 * Math.sin(s / 2864.8) + 0.05 * Math.sin(s / 353.3)) * 1000) / 1000.0;
    }

    static void write(Store store, NavigableMap<Long, Double> rows, long from, long to, long step) {
        List<ReadingRow> batch = new ArrayList<>();
        for (long t = from; t < to; t += step) {
            if (rows.containsKey(t)) {
                continue;
            }
            double v = value(t);
            rows.put(t, v);
            batch.add(new ReadingRow(t, "vpd_x", v));
            if (batch.size() == 20_000) {
                store.writeBatch(List.of(), batch);
                batch.clear();
            }
        }
        store.writeBatch(List.of(), batch);
    }

    static List<SummaryWindow> dayNight(ZoneId zone, LocalDate first, int days, LocalTime on, LocalTime off) {
        List<SummaryWindow> out = new ArrayList<>();
        for (LocalDate d = first; d.isBefore(first.plusDays(days)); d = d.plusDays(1)) {
            Instant a = d.atTime(on).atZone(zone).toInstant();
            Instant b = d.atTime(off).atZone(zone).toInstant();
            Instant next = d.plusDays(1).atTime(on).atZone(zone).toInstant();
            out.add(new SummaryWindow(a, b, 0.8, 1.6));
            out.add(new SummaryWindow(b, next, 0.4, 1.2));
        }
        return out;
    }

    static void assertRaw(Store store, NavigableMap<Long, Double> rows, List<SummaryWindow> windows, String when) {
        List<Summary> got = store.summarize("vpd_x", windows);
        assertEquals(windows.size(), got.size());
        for (int i = 0; i < windows.size(); i++) {
            SummaryWindow w = windows.get(i);
            long n = 0;
            long in = 0;
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : rows.subMap(Times.micros(w.from(), "f"), true, Times.micros(w.to(), "t"), false).values()) {
                n++;
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
                if ((w.bandMin() == null || v >= w.bandMin()) && (w.bandMax() == null || v <= w.bandMax())) {
                    in++;
                }
            }
            Summary s = got.get(i);
            String where = when + ", window " + w;
            assertEquals(n, s.count(), where);
            assertEquals(in, s.inBand(), where);
            if (n == 0) {
                assertEquals(null, s.mean(), where);
                continue;
            }
            assertEquals(min, s.min(), where);
            assertEquals(max, s.max(), where);
            assertEquals(sum / n, s.mean(), 1e-9, where);
        }
    }

    @Test
    void dayAndNightSummariesFromTheHourlyAggregateAreTheRawRows() {
        PostgresCluster c = cluster();
        c.createDatabase("ts_summaries");
        String url = c.url("ts_summaries");
        try (Store store = Store.open(url)) {
            assertEquals(Backend.TIMESCALEDB, store.backend());
            long now = Times.micros(Instant.now(), "now");
            long start = Buckets.floor(now - 20 * Buckets.DAY, Buckets.DAY);
            NavigableMap<Long, Double> rows = new TreeMap<>();
            write(store, rows, start, now, 30 * Buckets.SECOND);
            ZoneId ams = ZoneId.of("Europe/Amsterdam");
            ZoneId kol = ZoneId.of("Asia/Kolkata");
            LocalDate first = LocalDate.ofInstant(Times.instant(start), ams).plusDays(1);
            List<SummaryWindow> onTheHour = dayNight(ams, first, 19, LocalTime.of(5, 0), LocalTime.of(23, 0));
            List<SummaryWindow> offTheHour = new ArrayList<>(dayNight(kol, first, 19, LocalTime.of(6, 20), LocalTime.of(18, 45)));
            offTheHour.add(new SummaryWindow(Times.instant(start + 3 * Buckets.DAY), Times.instant(start + 9 * Buckets.DAY + 17),
                    null, null));
            offTheHour.add(new SummaryWindow(Times.instant(start - 2 * Buckets.DAY), Times.instant(start - Buckets.DAY), 0.8, 1.6));
            offTheHour.add(new SummaryWindow(Times.instant(start + Buckets.HOUR), Times.instant(start + Buckets.HOUR + 1), 0.8, 1.6));
            assertRaw(store, rows, onTheHour, "before any refresh");
            refresh(c);
            assertRaw(store, rows, onTheHour, "after the refresh policies ran");
            assertRaw(store, rows, offTheHour, "after the refresh policies ran");
            // a late backfill (offset 10 s from the grid) into old hours, not yet refreshed: raw rows there
            write(store, rows, start + 5 * Buckets.DAY + 10 * Buckets.SECOND, start + 5 * Buckets.DAY + 7 * Buckets.HOUR,
                    30 * Buckets.SECOND);
            assertRaw(store, rows, onTheHour, "after a backfill");
            assertRaw(store, rows, offTheHour, "after a backfill");
            refresh(c);
            assertRaw(store, rows, onTheHour, "after a backfill and a refresh");
            assertRaw(store, rows, offTheHour, "after a backfill and a refresh");
        }
    }

    private static void refresh(PostgresCluster c) {
        for (String id : c.psql("ts_summaries", "SELECT job_id FROM timescaledb_information.jobs"
                + " WHERE proc_name = 'policy_refresh_continuous_aggregate' ORDER BY job_id").split("\n")) {
            c.psql("ts_summaries", "CALL run_job(" + id.trim() + ")");
        }
    }
}
