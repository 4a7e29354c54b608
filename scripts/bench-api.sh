#!/usr/bin/env bash
# Benchmark of can-api (run by `make bench` through scripts/bench.sh, or alone after a build).
#
#   1. GET /api/sensors at a constant 200 requests/s over 32 keep-alive connections (as wrk2 does:
#      latency is measured from each request's scheduled start, so a stall is not hidden) for 30 s
#      after a 5 s warm-up; prints p50/p90/p99/max. Target: p99 < 5 ms.
#   2. GET /api/sensors/co2_v/history?from=now-30d&points=720 over 30 days of readings
#      (one every 10 s: 259 200 rows), 60 requests one after another; prints p50/p99.
#   3. GET /api/export?sensors=co2_v&from=now-31d (those 30 days as CSV, streamed): rows/s and
#      can-api's RSS right after. Target: >= 100 000 rows/s, <= 128 MB.
#   4. GET /api/summaries?room=veg&sensors=vpd_v&from=now-365d (730 day/night windows) over a year of
#      vpd_v at 1 Hz (31.6 M rows) on PostgreSQL/TimescaleDB (a private cluster, or
#      $BENCH_SUMMARY_DB_URL), 10 requests one after another; prints p50 and the raw-row reference.
#      Target: < 200 ms. BENCH_SUMMARY=0 skips it.
#
# Load generator: ApiLoad, a small Java program (one plain socket per connection, HTTP/1.1
# keep-alive, constant rate as wrk2 does; Debian has wrk but not wrk2's constant-rate mode) written below and run with the JDK's source launcher; the same program seeds the database through
# lib-tsdb's Store and keeps the live keys fresh through lib-redisio's LiveStateWriter, as the worker
# does. Private redis-server on a free port; the database is SQLite in a temp dir, or $BENCH_DB_URL
# (e.g. a PostgreSQL/TimescaleDB URL) when set. can-api runs with the default small heap of bin/_tool.
# Takes about 1.5 minutes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${CEA_BUILD_DIR:-target}
jar="tools/api/$build/can-api.jar"
[ -f "$jar" ] || mvn -q -DskipTests package -pl tools/api -am >/dev/null
bench_name=bench-api
. scripts/lib-bench.sh
bench_mktemp /tmp/cea-bench-api.XXXXXX
redis_port=$(free_port)
api_port=$(free_port)
while [ "$api_port" = "$redis_port" ]; do api_port=$(free_port); done
db_url=${BENCH_DB_URL:-"jdbc:sqlite:$tmp/bench.db"}
bench_redis "$redis_port" "$tmp/redis" "$tmp/redis.log"

cat >"$tmp/ApiLoad.java" <<'JAVA'
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.cea.redisio.LiveStateWriter;
import org.cea.redisio.LiveUpdate;
import org.cea.tsdb.ReadingRow;
import org.cea.tsdb.Store;
import redis.clients.jedis.JedisPooled;

/** can-api load generator and fixture: seed | live | sensors | history. */
public class ApiLoad {
    static final String[] SENSORS = {"dry_bulb_b", "wet_bulb_b", "pressure_b", "co2_b", "secondary_temp_b", "secondary_rh_b",
            "rh_b", "vpd_b", "dry_bulb_f", "wet_bulb_f", "pressure_f", "co2_f", "secondary_temp_f", "secondary_rh_f", "rh_f",
            "vpd_f", "dry_bulb_v", "wet_bulb_v", "pressure_v", "co2_v", "secondary_temp_v", "secondary_rh_v", "rh_v", "vpd_v",
            "lab_temp", "water_temp", "water_level"};

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "seed" -> seed(a[1]);
            case "live" -> live(a[1]);
            case "sensors" -> openLoop(a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            case "history" -> closedLoop(a[1], Integer.parseInt(a[2]));
            case "schema" -> System.out.println("summary bench database: " + Store.applySchema(a[1]));
            case "yearseed" -> yearSeed(a[1]);
            case "summaries" -> summaries(a[1], Integer.parseInt(a[2]));
            case "summaries-raw" -> summariesRaw(a[1], a[2], a[3]);
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    /** 30 days of co2_v, one reading every 10 s, ending now. */
    static void seed(String dbUrl) {
        long t0 = System.nanoTime();
        long end = System.currentTimeMillis();
        long start = end - 30L * 86_400_000L;
        int n = 0;
        try (Store s = Store.open(dbUrl)) {
            List<ReadingRow> batch = new ArrayList<>(10_000);
            for (long t = start; t < end; t += 10_000) {
                batch.add(new ReadingRow(t * 1000, "co2_v", 800 + 200 * Math.sin(t / 3.6e6)));
                if (batch.size() == 10_000) {
                    s.writeBatch(List.of(), batch);
                    n += batch.size();
                    batch.clear();
                }
            }
            s.writeBatch(List.of(), batch);
            n += batch.size();
        }
        System.out.printf("seeded %d readings of co2_v over 30 days in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }

    /** Writes every sensor's live value once a second, as the worker does, until killed. */
    static void live(String redisUrl) throws InterruptedException {
        URI u = URI.create(redisUrl);
        try (JedisPooled j = new JedisPooled(u.getHost(), u.getPort())) {
            LiveStateWriter w = new LiveStateWriter(j, System::currentTimeMillis);
            for (long k = 0; ; k++) {
                List<LiveUpdate> batch = new ArrayList<>();
                long ts = System.currentTimeMillis();
                for (String s : SENSORS) {
                    batch.add(new LiveUpdate(s, 20 + Math.sin(k / 10.0), "", ts));
                }
                w.write(batch);
                Thread.sleep(1000);
            }
        }
    }

    /**
     * Constant-rate GETs over a fixed set of 32 keep-alive connections, one thread and one plain
     * socket each (as wrk2 does, and as light: java.net.http's selector and executor hand-offs
     * added milliseconds of their own to the tail on this 2-core machine). Request i is due at
     * start + i/rate; latency runs from when it was due to the last byte of the response, so a
     * slow response also counts against the requests queued behind it (no coordinated omission).
     * Prints "MEASURING" when the warm-up ends, so the caller can snapshot the server's metrics.
     */
    static void openLoop(String url, int rate, int warmupS, int seconds) throws Exception {
        int conns = 32;
        URI u = URI.create(url);
        byte[] request = ("GET " + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery())
                + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort() + "\r\nAccept: application/json\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int total = rate * (warmupS + seconds);
        int warm = rate * warmupS;
        long interval = 1_000_000_000L / rate;
        long[] lat = new long[total];
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime() + 200_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < conns; k++) {
            int first = k;
            Thread t = new Thread(() -> {
                Conn c = null;
                for (int i = first; i < total; i += conns) {
                    long due = start + i * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (i == warm) {
                        System.out.println("MEASURING");
                        System.out.flush();
                    }
                    try {
                        if (c == null) {
                            c = new Conn(u.getHost(), u.getPort());
                        }
                        if (c.get(request) != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (java.io.IOException e) {
                        errors.incrementAndGet();
                        if (c != null) {
                            c.close();
                        }
                        c = null;
                    }
                    lat[i] = System.nanoTime() - due;
                }
                if (c != null) {
                    c.close();
                }
            }, "load-" + k);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] measured = Arrays.copyOfRange(lat, warm, total);
        report("GET /api/sensors @" + rate + "/s " + seconds + " s", measured, errors.get());
    }

    /** One HTTP/1.1 keep-alive connection: sends a request, reads the whole response (Content-Length or chunked). */
    static final class Conn {
        final java.net.Socket s;
        final java.io.OutputStream out;
        final java.io.BufferedInputStream in;

        Conn(String host, int port) throws java.io.IOException {
            s = new java.net.Socket(host, port);
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            out = s.getOutputStream();
            in = new java.io.BufferedInputStream(s.getInputStream(), 64 * 1024);
        }

        int get(byte[] request) throws java.io.IOException {
            out.write(request);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.split(" ")[1]);
            long length = -1;
            boolean chunked = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long n = Long.parseLong(line().split(";")[0].trim(), 16); n > 0;
                     n = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    skip(n);
                    line();
                }
                line();
            } else if (length >= 0) {
                skip(length);
            } else {
                throw new java.io.IOException("response without a length");
            }
            return code;
        }

        String line() throws java.io.IOException {
            StringBuilder sb = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new java.io.EOFException("connection closed");
                }
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            return sb.toString();
        }

        void skip(long n) throws java.io.IOException {
            for (long left = n; left > 0; ) {
                long k = in.skip(left);
                if (k <= 0) {
                    if (in.read() < 0) {
                        throw new java.io.EOFException("connection closed");
                    }
                    k = 1;
                }
                left -= k;
            }
        }

        void close() {
            try {
                s.close();
            } catch (java.io.IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Sequential GETs, one at a time. */
    static void closedLoop(String url, int count) throws Exception {
        HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build();
        for (int i = 0; i < 3; i++) {
            c.send(req, HttpResponse.BodyHandlers.ofByteArray());   // warm-up
        }
        long[] lat = new long[count];
        long errors = 0;
        int points = -1;
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = c.send(req, HttpResponse.BodyHandlers.ofString());
            lat[i] = System.nanoTime() - t;
            if (r.statusCode() != 200) {
                errors++;
            }
            points = r.body().split("\"t\":", -1).length - 1;
        }
        report("GET 30-day history (" + points + " buckets) x" + count, lat, errors);
    }

    /** The year the summary bench reads: the 365 local days before today in the facility's zone. */
    static final String YEAR_SENSOR = "vpd_v";

    /**
     * A year of vpd_v at 1 Hz (one reading a second up to now, from 366 days before today's local
     * midnight), written by PostgreSQL itself (generate_series, a month per statement: a Java COPY of
     * 31.6 M rows takes many minutes on this machine), then the continuous aggregates refreshed over
     * all of it as a year of production leaves them. The values wander across the VPD bands
     * (day 0.8..1.6, night 0.4..1.2 kPa): 1.15 +- 0.3 kPa over 5 h, +- 0.04 over 6 min, rounded to 3 decimals.
     */
    static void yearSeed(String jdbcUrl) throws Exception {
        long t0 = System.nanoTime();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl);
             java.sql.Statement st = c.createStatement()) {
            st.execute("SET jit = off");
            st.execute("DELETE FROM sensor_readings WHERE sensor = '" + YEAR_SENSOR + "'");
            for (int m = 0; m < 13; m++) {
                st.execute("INSERT INTO sensor_readings (time, sensor, value) SELECT t, '" + YEAR_SENSOR + "',"
                        + " round((1.15 + 0.3 * sin(extract(epoch FROM t) / 2864.8) + 0.04 * sin(extract(epoch FROM t) / 57.3))::numeric, 3)::float8"
                        + " FROM generate_series(greatest(date_trunc('day', now()) - INTERVAL '366 days' + " + m + " * INTERVAL '30 days',"
                        + " date_trunc('day', now()) - INTERVAL '366 days'),"
                        + " least(date_trunc('day', now()) - INTERVAL '366 days' + " + (m + 1) + " * INTERVAL '30 days' - INTERVAL '1 second',"
                        + " now()), INTERVAL '1 second') t");
            }
            long n;
            try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM sensor_readings WHERE sensor = '" + YEAR_SENSOR + "'")) {
                rs.next();
                n = rs.getLong(1);
            }
            System.out.printf("seeded %d readings of %s (a year at 1 Hz) in %.0f s%n", n, YEAR_SENSOR, (System.nanoTime() - t0) / 1e9);
            boolean tsdb;
            try (java.sql.ResultSet rs = st.executeQuery("SELECT to_regclass('sensor_readings_1h') IS NOT NULL")) {
                rs.next();
                tsdb = rs.getBoolean(1);
            }
            if (tsdb) {
                long t1 = System.nanoTime();
                c.setAutoCommit(true);
                st.execute("CALL refresh_continuous_aggregate('sensor_readings_1h', NULL, NULL)");
                st.execute("CALL refresh_continuous_aggregate('sensor_readings_1m', NULL, NULL)");
                System.out.printf("continuous aggregates refreshed over the year in %.0f s%n", (System.nanoTime() - t1) / 1e9);
            }
            try (java.sql.ResultSet rs = st.executeQuery("SELECT pg_size_pretty(pg_total_relation_size('sensor_readings'))"
                    + " || ' (' || CASE WHEN to_regclass('sensor_readings_1h') IS NULL THEN 'plain PostgreSQL'"
                    + " ELSE 'TimescaleDB, uncompressed' END || ')'")) {
                rs.next();
                System.out.println("sensor_readings on disk: " + rs.getString(1));
            } catch (java.sql.SQLException e) {
                System.out.println("sensor_readings size unknown: " + e.getMessage());
            }
        }
    }

    /** GET /api/summaries for the year's 365 days (730 day/night windows) of vpd_v, one at a time. */
    static void summaries(String base, int count) throws Exception {
        String url = base + "/api/summaries?room=veg&sensors=" + YEAR_SENSOR + "&from=now-365d&to=now";
        HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(300)).build();
        HttpResponse<String> first = c.send(req, HttpResponse.BodyHandlers.ofString());   // warm-up
        if (first.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": " + first.statusCode() + " " + first.body());
        }
        int rows = first.body().split("\"period\":", -1).length - 1;
        long[] lat = new long[count];
        long errors = 0;
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = c.send(req, HttpResponse.BodyHandlers.ofString());
            lat[i] = System.nanoTime() - t;
            if (r.statusCode() != 200 || !r.body().equals(first.body())) {
                errors++;
            }
        }
        long[] s = lat.clone();
        Arrays.sort(s);
        System.out.printf("GET 1-year day/night summary of %s (%d rows) x%d: p50=%.1f ms max=%.1f ms errors=%d%n",
                YEAR_SENSOR, rows, count, pct(s, 50), s[s.length - 1] / 1e6, errors);
        System.out.printf("RESULT api_summary_1y p50_ms=%.1f max_ms=%.1f errors=%d%n", pct(s, 50), s[s.length - 1] / 1e6, errors);
    }

    /**
     * The reference: the same 730 windows through the per-window raw-row statement can-api used
     * before (and still uses on plain PostgreSQL and SQLite), on the same database, timed once.
     */
    static void summariesRaw(String jdbcUrl, String zoneId, String days) throws Exception {
        java.time.ZoneId zone = zoneId.equals("system") ? java.time.ZoneId.systemDefault() : java.time.ZoneId.of(zoneId);
        java.time.LocalDate today = java.time.LocalDate.now(zone);
        String sql = "SELECT count(*), min(value), avg(value), max(value),"
                + " coalesce(sum(CASE WHEN value >= ? AND value <= ? THEN 1 ELSE 0 END), 0)"
                + " FROM sensor_readings WHERE sensor = ? AND time >= ? AND time < ?";
        long t0 = System.nanoTime();
        long n = 0;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl);
             java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            for (java.time.LocalDate d = today.minusDays(Integer.parseInt(days)); !d.isAfter(today); d = d.plusDays(1)) {
                java.time.OffsetDateTime on = d.atTime(5, 0).atZone(zone).toOffsetDateTime();
                java.time.OffsetDateTime off = d.atTime(23, 0).atZone(zone).toOffsetDateTime();
                java.time.OffsetDateTime next = d.plusDays(1).atTime(5, 0).atZone(zone).toOffsetDateTime();
                for (java.time.OffsetDateTime[] w : new java.time.OffsetDateTime[][] {{on, off}, {off, next}}) {
                    ps.setDouble(1, 0.8);
                    ps.setDouble(2, 1.6);
                    ps.setString(3, YEAR_SENSOR);
                    ps.setObject(4, w[0]);
                    ps.setObject(5, w[1]);
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        n += rs.getLong(1);
                    }
                }
            }
        }
        System.out.printf("RESULT api_summary_1y_raw ms=%.0f rows=%d (the raw-row statement per window, before: reference)%n",
                (System.nanoTime() - t0) / 1e6, n);
    }

    static void report(String what, long[] lat, long errors) {
        long[] s = lat.clone();
        Arrays.sort(s);
        System.out.printf("%s: n=%d errors=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms%n", what, s.length, errors,
                pct(s, 50), pct(s, 90), pct(s, 99), s[s.length - 1] / 1e6);
        System.out.printf("RESULT %s p50_ms=%.2f p99_ms=%.2f errors=%d%n", what.split(" ")[1].equals("/api/sensors")
                ? "api_sensors" : "api_history_30d", pct(s, 50), pct(s, 99), errors);
    }

    static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
JAVA

cp="$root/tools/api/$build/lib/*"
load() { java ${LOAD_JAVA_OPTS:--Xmx256m} -cp "$cp" "$tmp/ApiLoad.java" "$@"; }
echo "bench-api: seeding $db_url" | sed -E 's#//([^:@/]*):[^@/]*@#//\1:***@#'
load seed "$db_url"
load live "redis://127.0.0.1:$redis_port" >"$tmp/live.log" 2>&1 &
pids+=($!)
bin/can-api --listen "127.0.0.1:$api_port" --redis-url "redis://127.0.0.1:$redis_port" --db-url "$db_url" \
  >"$tmp/api.log" 2>&1 &
api_pid=$!
pids+=("$api_pid")
bench_wait_listen can-api "$api_port" "$api_pid" "$tmp/api.log"
base="http://127.0.0.1:$api_port"
echo "bench-api: load generator ApiLoad (plain-socket HTTP/1.1 keep-alive, constant rate over 32 connections)"
metrics() { (exec 3<>"/dev/tcp/127.0.0.1/$api_port"; printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3; cat <&3); }
load sensors "$base/api/sensors" "${BENCH_RATE:-200}" 5 "${BENCH_SECONDS:-30}" >"$tmp/load.out" &
load_pid=$!
for _ in $(seq 1 300); do grep -q MEASURING "$tmp/load.out" && break; sleep 0.05; done
metrics >"$tmp/metrics0.txt"
wait "$load_pid"
metrics >"$tmp/metrics1.txt"
out1=$(grep -v MEASURING "$tmp/load.out")
echo "$out1"
echo "can-api RSS after the run: $(( $(ps -o rss= -p "$api_pid") / 1024 )) MB (JAVA_OPTS ${JAVA_OPTS:-default of bin/_tool})"
# the server's own view (request arrival to response committed) over the measured window only:
# its /metrics histogram after the run minus the one taken when the warm-up ended
awk -F'[ "]' 'FNR == 1 {f++} /^cea_api_request_duration_seconds_bucket\{route="\/api\/sensors"/ {
    for (i = 1; i <= NF; i++) if ($i == ",le=") le = $(i + 1); n[le] += (f == 1 ? -$NF : $NF) }
  END { if (n["+Inf"] > 0) printf "server-side /api/sensors (measured window): %.2f %% <= 1 ms, %.2f %% <= 2.5 ms, %.2f %% <= 5 ms of %d requests\n",
          100 * n["0.001"] / n["+Inf"], 100 * n["0.0025"] / n["+Inf"], 100 * n["0.005"] / n["+Inf"], n["+Inf"] }' \
  "$tmp/metrics0.txt" "$tmp/metrics1.txt"
out2=$(load history "$base/api/sensors/co2_v/history?from=now-30d&points=720" 60)
echo "$out2"
p99=$(echo "$out1" | sed -n 's/^RESULT api_sensors .*p99_ms=\([0-9.]*\).*/\1/p')
status=0
if awk -v p="$p99" 'BEGIN { exit !(p < 5.0) }'; then
  echo "api_sensors p99 ${p99} ms < 5 ms target: PASS"
else
  echo "api_sensors p99 ${p99} ms >= 5 ms target: FAIL"; status=1
fi
echo "api_history_30d: $(echo "$out2" | sed -n 's/^RESULT api_history_30d //p') (db: ${db_url%%:*}$( [ -z "${BENCH_DB_URL:-}" ] && echo ' sqlite'))"
# 3. the 30-day CSV export of co2_v, streamed: rows per second and can-api's RSS right after
t0=$(date +%s.%N)
curl -sf "$base/api/export?sensors=co2_v&from=now-31d&format=csv" -o "$tmp/export.csv" || { echo "export failed"; status=1; }
t1=$(date +%s.%N)
rows=$(( $(wc -l <"$tmp/export.csv") - 1 ))
rss=$(( $(ps -o rss= -p "$api_pid") / 1024 ))
rate=$(awk -v r="$rows" -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", r / (b - a) }')
echo "api_export_30d: $rows rows, $(du -k "$tmp/export.csv" | cut -f1) KB in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s = $rate rows/s; can-api RSS after: $rss MB"
if [ "$rate" -ge 100000 ] && [ "$rss" -le 128 ]; then
  echo "api_export_30d >= 100000 rows/s and RSS <= 128 MB: PASS"
else
  echo "api_export_30d target (>= 100000 rows/s, RSS <= 128 MB): FAIL"; status=1
fi

# 4. The 1-year daily summary (/api/summaries, day and night of 365 days of one sensor at 1 Hz) on
# PostgreSQL: $BENCH_SUMMARY_DB_URL (jdbc:postgresql://host:port/db?user=..&password=..), else a
# private cluster (TimescaleDB preloaded where installed, as test-support's PostgresCluster does).
# BENCH_SUMMARY=0 skips it (the seed of 31.6 M rows takes minutes); BENCH_SUMMARY_SEED=0 with
# BENCH_SUMMARY_DB_URL times the year an earlier run seeded there (its last hours missing).
if [ "${BENCH_SUMMARY:-1}" = 1 ]; then
  sum_url=${BENCH_SUMMARY_DB_URL:-}
  if [ -z "$sum_url" ]; then
    bench_mktemp /tmp/cea-bench-pg.XXXXXX pgdir
    ts=()
    if [ -f "$("$pgbin/pg_config" --sharedir 2>/dev/null || pg_config --sharedir)/extension/timescaledb.control" ] \
        && [ "${BENCH_TIMESCALE:-auto}" != off ]; then
      ts=(-c shared_preload_libraries=timescaledb -c timescaledb.telemetry_level=off)
    fi
    pg_port=$(free_port)
    bench_pg_start "$pgdir" "$pg_port" -c fsync=off "${ts[@]}"
    psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE DATABASE cea_bench"
    sum_url="jdbc:postgresql://127.0.0.1:$pg_port/cea_bench?user=postgres"
  fi
  load schema "$sum_url"
  if [ "${BENCH_SUMMARY_SEED:-1}" = 1 ]; then
    load yearseed "$sum_url"
  else
    echo "BENCH_SUMMARY_SEED=0: using the year already in $sum_url (seeded by an earlier run)"
  fi
  sum_port=$(free_port)
  bin/can-api --listen "127.0.0.1:$sum_port" --redis-url "redis://127.0.0.1:$redis_port" --db-url "$sum_url" \
    >"$tmp/api-summary.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$sum_port") 2>/dev/null && break; sleep 0.2; done
  load summaries "http://127.0.0.1:$sum_port" "${BENCH_SUMMARY_COUNT:-10}" | tee "$tmp/summary.out"
  load summaries-raw "$sum_url" system 365
  p50=$(sed -n 's/^RESULT api_summary_1y p50_ms=\([0-9.]*\).*/\1/p' "$tmp/summary.out")
  if [ -n "$p50" ] && awk -v p="$p50" 'BEGIN { exit !(p < 200) }'; then
    echo "api_summary_1y p50 $p50 ms < 200 ms: PASS"
  else
    echo "api_summary_1y target (< 200 ms): FAIL (p50 ${p50:-none})"; status=1
  fi
fi
exit $status
