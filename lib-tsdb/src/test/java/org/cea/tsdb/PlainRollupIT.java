package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cea.testsupport.PostgresCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * History and day/night summaries on plain PostgreSQL, read from the rollup tables the setup script's triggers
 * keep, against the raw rows' answer worked out here from the rows the test wrote (the same check
 * as {@link TimescaleSummariesIT}), through re-sent duplicates, a late backfill, a DELETE, an
 * UPDATE that moves rows to other hours and a TRUNCATE; and the rollup tables equal to a GROUP BY
 * of the raw rows after each; history buckets (hour and minute multiples, ragged edges) equal to
 * the raw rows' ({@link TimescaleIT}'s check). Always a plain cluster, whatever the suite's backend.
 */
class PlainRollupIT {
    private static final String ROLLUP_EQUALS_RAW = "SELECT (SELECT count(*) FROM (%1$s EXCEPT %2$s) a) + (SELECT count(*) FROM (%2$s EXCEPT %1$s) b)";
    private static PostgresCluster pg;

    @BeforeAll
    static void start() {
        pg = PostgresCluster.startPlain();
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    /** Rollup rows that differ from a GROUP BY of the raw rows (bucket in UTC), both directions. */
    private static long rollupDiff(String db, String unit) {
        String raw = "SELECT sensor, date_trunc('" + unit + "', time, 'UTC'), count(*), min(value), max(value),"
                + " round(sum(value)::numeric, 6) FROM sensor_readings GROUP BY 1, 2";
        String rollup = "SELECT sensor, bucket, samples, min_value, max_value, round(sum_value::numeric, 6)"
                + " FROM sensor_readings_rollup_1" + unit.charAt(0) + "";
        return Long.parseLong(pg.psql(db, String.format(ROLLUP_EQUALS_RAW, raw, rollup)).trim());
    }

    private static void assertExact(Store store, String db, NavigableMap<Long, Double> rows, List<SummaryWindow> windows,
                                    String when) {
        TimescaleSummariesIT.assertRaw(store, rows, windows, when);
        assertEquals(0, rollupDiff(db, "minute"), when + ": minute rollup differs from the raw rows");
        assertEquals(0, rollupDiff(db, "hour"), when + ": hour rollup differs from the raw rows");
    }

    @Test
    void summariesFromTheRollupTablesAreTheRawRowsThroughEveryKindOfChange() {
        String db = "plain_summaries";
        pg.createDatabase(db);
        try (Store store = Store.open(pg.url(db))) {
            assertEquals(Backend.POSTGRES, store.backend());
            long now = Times.micros(Instant.now(), "now");
            long start = Buckets.floor(now - 12 * Buckets.DAY, Buckets.DAY);
            NavigableMap<Long, Double> rows = new TreeMap<>();
            TimescaleSummariesIT.write(store, rows, start, now, 30 * Buckets.SECOND);
            ZoneId ams = ZoneId.of("Europe/Amsterdam");
            ZoneId kol = ZoneId.of("Asia/Kolkata");
            LocalDate first = LocalDate.ofInstant(Times.instant(start), ams).plusDays(1);
            List<SummaryWindow> windows = new ArrayList<>(TimescaleSummariesIT.dayNight(ams, first, 11, LocalTime.of(5, 0), LocalTime.of(23, 0)));
            windows.addAll(TimescaleSummariesIT.dayNight(kol, first, 11, LocalTime.of(6, 20), LocalTime.of(18, 45)));
            windows.add(new SummaryWindow(Times.instant(start + 3 * Buckets.DAY), Times.instant(start + 9 * Buckets.DAY + 17),
                    null, null));
            windows.add(new SummaryWindow(Times.instant(start - 2 * Buckets.DAY), Times.instant(start - Buckets.DAY), 0.8, 1.6));
            windows.add(new SummaryWindow(Times.instant(start + Buckets.HOUR), Times.instant(start + Buckets.HOUR + 1), 0.8, 1.6));
            assertExact(store, db, rows, windows, "after the first writes");

            // the same rows again (a replay after a crash): the database keeps one of each, so must the rollup
            List<ReadingRow> again = new ArrayList<>();
            rows.subMap(start + 2 * Buckets.DAY, start + 2 * Buckets.DAY + 3 * Buckets.HOUR).forEach((t, v) ->
                    again.add(new ReadingRow(t, "vpd_x", v + 5)));
            store.writeBatch(List.of(), again);
            assertExact(store, db, rows, windows, "after re-sent duplicates");

            // a late backfill off the 30 s grid into old hours
            TimescaleSummariesIT.write(store, rows, start + 5 * Buckets.DAY + 10 * Buckets.SECOND,
                    start + 5 * Buckets.DAY + 7 * Buckets.HOUR, 30 * Buckets.SECOND);
            assertExact(store, db, rows, windows, "after a backfill");

            // an administrator deletes a range and corrects values, moving some rows to other hours
            long d0 = start + 4 * Buckets.DAY + 17 * Buckets.MINUTE;
            long d1 = d0 + 5 * Buckets.HOUR + 7 * Buckets.MINUTE;
            pg.psql(db, "DELETE FROM sensor_readings WHERE time >= to_timestamp(" + d0 / 1e6 + ") AND time < to_timestamp("
                    + d1 / 1e6 + ")");
            rows.subMap(d0, d1).clear();
            long u0 = start + 7 * Buckets.DAY + 3 * Buckets.MINUTE;
            long u1 = u0 + 2 * Buckets.HOUR;
            pg.psql(db, "UPDATE sensor_readings SET value = value + 0.5, time = time + INTERVAL '90 minutes 7 seconds'"
                    + " WHERE time >= to_timestamp(" + u0 / 1e6 + ") AND time < to_timestamp(" + u1 / 1e6 + ")"
                    + " AND extract(second FROM time) = 0");
            NavigableMap<Long, Double> moved = new TreeMap<>();
            rows.subMap(u0, u1).forEach((t, v) -> {
                if (t % Buckets.MINUTE == 0) {
                    moved.put(t, v);
                }
            });
            moved.keySet().forEach(rows::remove);
            moved.forEach((t, v) -> rows.put(t + 90 * Buckets.MINUTE + 7 * Buckets.SECOND, v + 0.5));
            assertExact(store, db, rows, windows, "after a DELETE and an UPDATE");

            // the answer does come from the rollup: 1 000 samples more in one of its hours show in the count
            SummaryWindow allDay = new SummaryWindow(Times.instant(start + 8 * Buckets.DAY), Times.instant(start + 9 * Buckets.DAY),
                    null, null);
            long before = store.summarize("vpd_x", List.of(allDay)).get(0).count();
            pg.psql(db, "UPDATE sensor_readings_rollup_1h SET samples = samples + 1000 WHERE sensor = 'vpd_x'"
                    + " AND bucket = to_timestamp(" + (start + 8 * Buckets.DAY + 3 * Buckets.HOUR) / 1e6 + ")");
            assertEquals(before + 1000, store.summarize("vpd_x", List.of(allDay)).get(0).count());
            pg.psql(db, "UPDATE sensor_readings_rollup_1h SET samples = samples - 1000 WHERE sensor = 'vpd_x'"
                    + " AND bucket = to_timestamp(" + (start + 8 * Buckets.DAY + 3 * Buckets.HOUR) / 1e6 + ")");

            pg.psql(db, "TRUNCATE sensor_readings");
            rows.clear();
            assertExact(store, db, rows, windows, "after a TRUNCATE");
        }
    }

    @Test
    void historyFromTheRollupTablesIsTheRawRows() {
        String db = "plain_history";
        pg.createDatabase(db);
        try (Store store = Store.open(pg.url(db))) {
            long now = Times.micros(Instant.now(), "now");
            long start = Buckets.floor(now - 70 * Buckets.DAY, Buckets.MINUTE);
            NavigableMap<Long, Double> rows = new TreeMap<>();
            List<Long> times = new ArrayList<>();
            for (long t = start; t < now; t += Buckets.MINUTE) {
                times.add(t);
            }
            TimescaleIT.write(store, rows, "co2_h", times);
            TimescaleIT.assertHistoryIsTheRawRows(store, "co2_h", rows, now, "plain PostgreSQL, rollup tables");
            // a backfill off the minute grid (values +0.5) and a deleted range
            List<Long> late = new ArrayList<>();
            for (long t = start + 20 * Buckets.DAY + 17 * Buckets.SECOND; t < start + 22 * Buckets.DAY; t += Buckets.MINUTE) {
                late.add(t);
            }
            TimescaleIT.write(store, rows, "co2_h", late);
            long d0 = now - 45 * Buckets.DAY + 13 * Buckets.MINUTE;
            pg.psql(db, "DELETE FROM sensor_readings WHERE time >= to_timestamp(" + d0 / 1e6 + ") AND time < to_timestamp("
                    + (d0 + 3 * Buckets.HOUR) / 1e6 + ")");
            rows.subMap(d0, d0 + 3 * Buckets.HOUR).clear();
            TimescaleIT.assertHistoryIsTheRawRows(store, "co2_h", rows, now, "plain PostgreSQL after a backfill and a DELETE");
            // the answer does come from the rollup: a corrupted hour shows in the hourly history
            long h = Buckets.floor(now - 50 * Buckets.DAY, Buckets.HOUR);
            pg.psql(db, "UPDATE sensor_readings_rollup_1h SET samples = samples + 7 WHERE bucket = to_timestamp(" + h / 1e6 + ")");
            List<HistoryPoint> got = store.history("co2_h", Times.instant(h - 10 * Buckets.HOUR), Times.instant(h + 10 * Buckets.HOUR), 20);
            assertEquals(rows.subMap(h, h + Buckets.HOUR).size() + 7, got.stream().filter(p -> p.bucket().equals(Times.instant(h))).findFirst().orElseThrow().count());
        }
    }

    @Test
    void aDatabaseWithRowsGetsItsRollupFilledWhenTheSchemaIsAppliedAgain() {
        String db = "plain_rollup_fill";
        pg.createDatabase(db);
        try (Store store = Store.open(pg.url(db))) {
            long now = Times.micros(Instant.now(), "now");
            long start = Buckets.floor(now - 3 * Buckets.DAY, Buckets.DAY);
            NavigableMap<Long, Double> rows = new TreeMap<>();
            TimescaleSummariesIT.write(store, rows, start, now, 45 * Buckets.SECOND);
            // a database set up before the rollup tables existed: they go, and the rows stay
            pg.psql(db, "DROP TABLE sensor_readings_rollup_1m, sensor_readings_rollup_1h;"
                    + " DROP TRIGGER sensor_rollup_insert ON sensor_readings; DROP TRIGGER sensor_rollup_delete ON sensor_readings;"
                    + " DROP TRIGGER sensor_rollup_update ON sensor_readings; DROP TRIGGER sensor_rollup_truncate ON sensor_readings");
            List<SummaryWindow> windows = TimescaleSummariesIT.dayNight(ZoneId.of("Europe/Amsterdam"),
                    LocalDate.ofInstant(Times.instant(start), ZoneId.of("Europe/Amsterdam")).plusDays(1), 2,
                    LocalTime.of(5, 20), LocalTime.of(23, 40));
            try (Store old = Store.open(pg.url(db))) {
                TimescaleSummariesIT.assertRaw(old, rows, windows, "without rollup tables (raw rows)");
            }
            assertEquals(Backend.POSTGRES, Store.applySchema(pg.url(db)));
            try (Store again = Store.open(pg.url(db))) {
                TimescaleSummariesIT.write(again, rows, start + 10 * Buckets.SECOND, start + Buckets.DAY, 45 * Buckets.SECOND);
                assertExact(again, db, rows, windows, "after the schema was applied again");
            }
        }
    }

    /**
     * Writers in parallel on the same rollup rows (the same sensors and minutes): the trigger updates
     * rows another writer may be updating or inserting; none of their additions may be lost. A
     * deadlock or serialization failure is a transient error a writer retries, as can-worker does.
     */
    @Test
    void parallelWritersOnTheSameBucketsLoseNoAddition() throws Exception {
        String db = "plain_rollup_parallel";
        pg.createDatabase(db);
        Store.applySchema(pg.url(db));
        int writers = 4;
        int batches = 60;
        long start = Buckets.floor(Times.micros(Instant.now(), "now") - Buckets.DAY, Buckets.HOUR);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> writeInterleaved(pg.url(db), writer, writers, batches, start)));
            }
            for (Future<Integer> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long rows = Long.parseLong(pg.psql(db, "SELECT count(*) FROM sensor_readings").trim());
        assertEquals((long) writers * batches * 3 * 5, rows, "raw rows written");
        assertEquals(0, rollupDiff(db, "minute"), "minute rollup differs from the raw rows after parallel writers");
        assertEquals(0, rollupDiff(db, "hour"), "hour rollup differs from the raw rows after parallel writers");
    }

    /** One writer's batches: 3 readings of 5 sensors each, in minutes every writer also writes; returns the retries. */
    private static int writeInterleaved(String url, int writer, int writers, int batches, long start) {
        int retries = 0;
        try (Store store = Store.open(url)) {
            for (int b = 0; b < batches; b++) {
                List<ReadingRow> batch = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    // minute b % 7 of hour b % 2; microsecond offsets keep every writer's rows distinct
                    long t = start + (b % 2) * Buckets.HOUR + (b % 7) * Buckets.MINUTE
                            + ((long) (b * 3 + i) * writers + writer) * 1_000L;
                    for (int s = 0; s < 5; s++) {
                        batch.add(new ReadingRow(t, "par_" + s, writer + b * 0.25 + i + s));
                    }
                }
                while (true) {
                    try {
                        store.writeBatch(List.of(), batch);
                        break;
                    } catch (StoreUnavailableException e) {
                        if (++retries > 50) {
                            throw e;
                        }
                    }
                }
            }
        }
        return retries;
    }
}
