package org.cea.tsdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cea.testsupport.PostgresCluster;
import org.cea.testsupport.Processes;

/**
 * {@code make bench} part for lib-tsdb (run by scripts/bench-tsdb.sh from the test classpath):
 * <ol>
 * <li>batched insert of facility messages through {@link Store#writeBatch} against {@code psql \copy}
 * of the same rows into the same table, each into a fresh database on one private cluster, best of
 * {@code BENCH_ROUNDS} (default 4), after a warm-up; target ratio &gt;= 0.7;</li>
 * <li>latency of a 30-day history query (&lt;= 1000 points, one sensor) on {@code sensor_readings}
 * holding 30 days at 1 Hz of {@code BENCH_SENSORS} sensors (default 2; the whole facility is 27, which takes many minutes
 * to load here). The query is an index-only scan of one sensor's key range (plain PostgreSQL) or
 * reads the hourly continuous aggregate (TimescaleDB, after its refresh policy ran, as in production),
 * so the other sensors' rows are not read.</li>
 * </ol>
 * Environment: {@code BENCH_ROWS} (default 200000), {@code BENCH_BATCH} (default 2000).
 */
public final class TsdbBench {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);
    private static final Duration PSQL_TIMEOUT = Duration.ofMinutes(10);

    private TsdbBench() {
    }

    private static int env(String name, int dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }

    /**
     * Runs the benchmark and prints result lines.
     *
     * @param args ignored
     * @throws IOException when the temporary COPY file cannot be written
     */
    public static void main(String[] args) throws IOException {
        int rows = env("BENCH_ROWS", 200_000);
        int batch = env("BENCH_BATCH", 2000);
        int rounds = env("BENCH_ROUNDS", 4);
        int sensors = env("BENCH_SENSORS", 2);
        try (PostgresCluster pg = PostgresCluster.start()) {
            System.out.println("tsdb bench: private PostgreSQL on port " + pg.port() + " (fsync off)");
            insertBench(pg, messages(rows), batch, rounds);
            historyBench(pg, sensors);
        }
    }

    /** {@code n} facility messages: consecutive generated days with unique source ids. */
    static List<MessageRow> messages(int n) {
        List<MessageRow> day = FacilityDay.messages();
        List<MessageRow> out = new ArrayList<>(n);
        for (int d = 0; out.size() < n; d++) {
            long shift = d * 86_400_000_000L;
            for (MessageRow m : day) {
                if (out.size() == n) {
                    break;
                }
                long ts = m.timestampMicros() + shift;
                out.add(new MessageRow((ts / 1000) + "-" + (ts % 1000), ts, m.canId(), m.extended(), m.nodeId(),
                        m.messageType(), m.dlc(), m.rawData(), m.decodedJson()));
            }
        }
        return out;
    }

    private static void insertBench(PostgresCluster pg, List<MessageRow> rows, int batch, int rounds) throws IOException {
        Path file = Files.createTempFile("cea-bench-", ".copy");
        try {
            writeCopyFile(rows, file);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            // a worker is a long-running JVM: measure it warm, as psql (C) always is
            storeInsert(pg, "bench_warmup", rows.subList(0, Math.min(rows.size(), 50_000)), batch);
            double[] copyRates = new double[rounds];
            double[] storeRates = new double[rounds];
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                // alternate which goes first, so that load changes on a shared machine hit both alike
                if (r % 2 == 0) {
                    copyRates[r] = psqlCopy(pg, "bench_copy_" + r, file, rows.size());
                    storeRates[r] = storeInsert(pg, "bench_store_" + r, rows, batch);
                } else {
                    storeRates[r] = storeInsert(pg, "bench_store_" + r, rows, batch);
                    copyRates[r] = psqlCopy(pg, "bench_copy_" + r, file, rows.size());
                }
                ratios[r] = storeRates[r] / copyRates[r];
                System.out.printf("  round %d: psql \\copy %.0f rows/s, Store.writeBatch %.0f rows/s, ratio %.2f%n",
                        r + 1, copyRates[r], storeRates[r], ratios[r]);
            }
            double copyBest = Arrays.stream(copyRates).max().orElseThrow();
            double storeBest = Arrays.stream(storeRates).max().orElseThrow();
            Arrays.sort(ratios);
            System.out.printf("DB insert: Store.writeBatch %.0f rows/s (batches of %d), psql \\copy %.0f rows/s"
                    + " (best of %d each): ratio %.2f, median of round ratios %.2f (target >= 0.70)"
                    + " [%d facility messages; load average %.1f]%n", storeBest, batch, copyBest, rounds,
                    storeBest / copyBest, ratios[rounds / 2], rows.size(), loadAverage());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void writeCopyFile(List<MessageRow> rows, Path file) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (MessageRow m : rows) {
                w.write(m.sourceId() + "\t" + TS.format(Times.instant(m.timestampMicros())) + "\t" + m.canId() + "\t"
                        + (m.extended() ? "t" : "f") + "\t" + (m.nodeId() == null ? "\\N" : m.nodeId()) + "\t"
                        + (m.messageType() == null ? "\\N" : m.messageType()) + "\t" + m.dlc() + "\t" + m.rawData() + "\t"
                        + (m.decodedJson() == null ? "\\N" : m.decodedJson()) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static double psqlCopy(PostgresCluster pg, String db, Path file, int n) {
        pg.createDatabase(db);
        Store.applySchema(pg.url(db));
        long t0 = System.nanoTime();
        Processes.runOk(List.of(pg.binary("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", Integer.toString(pg.port()), "-U", "postgres", "-d", db, "-c",
                "\\copy can_messages (source_id, timestamp, can_id, extended, node_id, message_type, dlc, raw_data,"
                        + " decoded_data) FROM '" + file + "'"), PSQL_TIMEOUT);
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        check(pg, db, n);
        return rate;
    }

    private static double storeInsert(PostgresCluster pg, String db, List<MessageRow> rows, int batch) {
        pg.createDatabase(db);
        Store.applySchema(pg.url(db));
        double rate;
        try (Store store = Store.open(pg.url(db))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < rows.size(); i += batch) {
                store.writeBatch(rows.subList(i, Math.min(rows.size(), i + batch)), List.of());
            }
            rate = rows.size() / ((System.nanoTime() - t0) / 1e9);
        }
        check(pg, db, rows.size());
        return rate;
    }

    private static void check(PostgresCluster pg, String db, int n) {
        String count = pg.psql(db, "SELECT count(*) FROM can_messages");
        if (!count.equals(Integer.toString(n))) {
            throw new IllegalStateException(db + ": expected " + n + " rows, found " + count);
        }
    }

    private static void historyBench(PostgresCluster pg, int sensors) {
        String db = "bench_history";
        pg.createDatabase(db);
        String url = pg.url(db);
        Backend backend = Store.applySchema(url);
        Instant to = Instant.parse("2024-04-01T00:00:00Z");
        Instant from = to.minus(Duration.ofDays(30));
        long t0 = System.nanoTime();
        // bulk load without the indexes, then let the setup script build them again
        pg.psql(db, "DROP INDEX IF EXISTS sensor_readings_sensor_time_key, idx_sensor_readings_time_brin");
        pg.psql(db, "INSERT INTO sensor_readings (time, sensor, value)"
                + " SELECT TIMESTAMPTZ '" + from + "' + g * INTERVAL '1 second', 'sensor_' || s,"
                + " 20 + 5 * sin(g / 3600.0 + s) FROM generate_series(0, 30 * 86400 - 1) g, generate_series(1, " + sensors + ") s"
                + " ORDER BY 1, 2");
        Store.applySchema(url);
        pg.psql(db, "VACUUM ANALYZE sensor_readings");
        System.out.printf("  loaded %d sensor readings (%d sensors x 30 days x 1 Hz) in %.0f s%n",
                30L * 86400 * sensors, sensors, (System.nanoTime() - t0) / 1e9);
        if (backend == Backend.TIMESCALEDB) {
            // the aggregates as production has them: every refresh policy run once (hourly: all history;
            // minute: the last 7 days, so nothing of this 2024 month); without this, history reads raw rows
            long r0 = System.nanoTime();
            String jobs = pg.psql(db, "SELECT string_agg(job_id::text, ' ') FROM timescaledb_information.jobs"
                    + " WHERE proc_name = 'policy_refresh_continuous_aggregate'");
            for (String id : jobs.isEmpty() ? new String[0] : jobs.split(" ")) {
                pg.psql(db, "CALL run_job(" + id + ")");
            }
            System.out.printf("  refresh policies run (jobs %s) in %.0f s%n", jobs, (System.nanoTime() - r0) / 1e9);
        }
        try (Store store = Store.open(url)) {
            store.history("sensor_1", from, to, 1000);
            long[] ns = new long[7];
            int points = 0;
            for (int i = 0; i < ns.length; i++) {
                long s = System.nanoTime();
                points = store.history("sensor_" + (1 + i % sensors), from, to, 1000).size();
                ns[i] = System.nanoTime() - s;
            }
            Arrays.sort(ns);
            System.out.printf("30-day history (one sensor, %d points, %s): median %.0f ms, best %.0f ms"
                    + " (target < 100 ms with TimescaleDB) [table: %d sensors x 30 days x 1 Hz; load average %.1f]%n",
                    points, backend, ns[ns.length / 2] / 1e6, ns[0] / 1e6, sensors, loadAverage());
        }
    }
}
