package org.cea.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TimescaleDB-only behaviour, on a private cluster with {@code shared_preload_libraries =
 * timescaledb}. Reported as skipped where the extension is not installed.
 */
class TimescaleIT {
    private static PostgresCluster pg;

    private static Boolean available;

    /** True when the extension's control file is in the server's share directory. */
    private static synchronized boolean available() {
        if (available == null) {
            String share = Processes.runOk(List.of(PostgresCluster.findBinDir().resolve("pg_config").toString(),
                    "--sharedir"), Duration.ofSeconds(30)).trim();
            available = Files.exists(Path.of(share, "extension", "timescaledb.control"));
        }
        return available;
    }

    @BeforeEach
    void requireTimescale() {
        assumeTrue(available(), "TimescaleDB extension not installed: TimescaleDB-only tests skipped");
        synchronized (TimescaleIT.class) {
            if (pg == null) {
                pg = PostgresCluster.start();
                pg.psql("postgres", "ALTER SYSTEM SET shared_preload_libraries = 'timescaledb'");
                pg.psql("postgres", "ALTER SYSTEM SET timescaledb.telemetry_level = 'off'");
                pg.stop();
                pg.startServer();
            }
        }
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    private static String newDb(String name) {
        pg.createDatabase(name);
        return pg.url(name);
    }

    private static boolean community(String db) {
        return !"apache".equals(pg.psql(db, "SELECT current_setting('timescaledb.license', true)"));
    }

    @Test
    void createsHypertablesAggregatesAndPoliciesButNoRetention() {
        String url = newDb("ts_schema");
        assertEquals(Backend.TIMESCALEDB, Store.applySchema(url));
        assertEquals(Backend.TIMESCALEDB, Store.applySchema(url));
        assertEquals("can_messages,sensor_readings", pg.psql("ts_schema", "SELECT string_agg(hypertable_name, ','"
                + " ORDER BY hypertable_name) FROM timescaledb_information.hypertables"));
        assertEquals("0", pg.psql("ts_schema", "SELECT count(*) FROM timescaledb_information.jobs"
                + " WHERE proc_name = 'policy_retention'"));
        assumeTrue(community("ts_schema"), "timescaledb.license = apache: community features skipped by design");
        assertEquals("sensor_readings_1h:f,sensor_readings_1m:f", pg.psql("ts_schema", "SELECT string_agg(view_name || ':'"
                + " || CASE WHEN materialized_only THEN 't' ELSE 'f' END, ',' ORDER BY view_name)"
                + " FROM timescaledb_information.continuous_aggregates"));
        assertEquals("policy_compression:2,policy_refresh_continuous_aggregate:2", pg.psql("ts_schema",
                "SELECT string_agg(proc_name || ':' || n, ',' ORDER BY proc_name) FROM (SELECT proc_name, count(*) AS n"
                        + " FROM timescaledb_information.jobs WHERE proc_name LIKE 'policy_%' GROUP BY proc_name) j"));
        assertEquals("t,t", pg.psql("ts_schema", "SELECT string_agg(CASE WHEN compression_enabled THEN 't' ELSE 'f' END,"
                + " ',') FROM timescaledb_information.hypertables"));
    }

    @Test
    void aCompressedChunkAcceptsALateInsertOnce() {
        String url = newDb("ts_late");
        try (Store store = Store.open(url)) {
            assumeTrue(community("ts_late"), "compression needs the community license");
            long old = StoreBehaviour.T0; // 2024: far older than the 7-day compression horizon
            store.writeBatch(List.of(), List.of(new ReadingRow(old, "co2_b", 400), new ReadingRow(old + 20_000_000, "co2_b", 402)));
            pg.psql("ts_late", "SELECT count(compress_chunk(c)) FROM show_chunks('sensor_readings') c");
            assertEquals("1", pg.psql("ts_late", "SELECT count(*) FROM timescaledb_information.chunks"
                    + " WHERE hypertable_name = 'sensor_readings' AND is_compressed"));
            List<ReadingRow> late = List.of(new ReadingRow(old + 10_000_000, "co2_b", 401));
            assertEquals(new WriteResult(0, 0, 1, 0, List.of()), store.writeBatch(List.of(), late));
            assertEquals(new WriteResult(0, 0, 0, 1, List.of()), store.writeBatch(List.of(), late));
            assertEquals(List.of(new HistoryPoint(Times.instant(old), 401, 400, 402, 3)),
                    store.history("co2_b", Times.instant(old), Times.instant(old + 60_000_000), 1));
        }
    }

    @Test
    void longHistoryReadsTheHourlyAggregateAndMatchesRawBuckets() {
        String url = newDb("ts_cagg");
        try (Store store = Store.open(url)) {
            assumeTrue(community("ts_cagg"), "continuous aggregates need the community license");
            // two days at one reading per minute: value = minute of the day mod 60 (0..59 each hour)
            List<ReadingRow> rs = new ArrayList<>();
            for (int m = 0; m < 2 * 1440; m++) {
                rs.add(new ReadingRow(StoreBehaviour.T0 + m * 60_000_000L, "co2_v", m % 60));
            }
            store.writeBatch(List.of(), rs);
            pg.psql("ts_cagg", "CALL refresh_continuous_aggregate('sensor_readings_1h', NULL, NULL)");
            Instant from = Times.instant(StoreBehaviour.T0 + 30 * 60_000_000L); // 00:30, inside the first hour
            Instant to = Times.instant(StoreBehaviour.T0 + 2 * 86_400_000_000L);
            // 47.5 h in at most 48 points: 1-hour buckets; the first holds minutes 30..59 from raw rows
            List<HistoryPoint> h = store.history("co2_v", from, to, 48);
            assertEquals(48, h.size());
            assertEquals(new HistoryPoint(Times.instant(StoreBehaviour.T0), 44.5, 30, 59, 30), h.get(0));
            for (int i = 1; i < 48; i++) {
                assertEquals(new HistoryPoint(Times.instant(StoreBehaviour.T0 + i * 3_600_000_000L), 29.5, 0, 59, 60), h.get(i));
            }
        }
    }
}
