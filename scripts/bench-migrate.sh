#!/usr/bin/env bash
# bench-migrate: can-migrate vs pgloader on the same generated legacy SQLite file, same private
# PostgreSQL server, same run. Targets (docs/MIGRATION.md): can-migrate rows/s, verification
# included, at least 2x pgloader's (pgloader with explicit cast rules so it does not lose data);
# can-migrate's peak RSS <= 256 MB.
# Env: BENCH_MIGRATE_ROWS (default 5000000), JAVA_OPTS for can-migrate (default -Xmx128m, serial GC).
# Run by `make bench` (scripts/bench.sh), which builds first; alone: mvn -q -DskipTests install first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${BENCH_MIGRATE_ROWS:-5000000}
export JAVA_OPTS=${JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -Xss512k}
command -v pgloader >/dev/null || { echo "bench-migrate: pgloader missing: run 'make deps' or apt-get install pgloader" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench-migrate: sqlite3 missing: apt-get install sqlite3" >&2; exit 1; }
bench_name=bench-migrate
. "$root/scripts/lib-bench.sh"
bench_mktemp /tmp/cea-bench-migrate.XXXXXX work
port=$(free_port)
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

echo "== generating $rows legacy rows (sqlite3, recursive CTE)"
t0=$(now)
sqlite3 "$work/legacy.db" <<SQL >/dev/null
PRAGMA journal_mode=OFF;
PRAGMA synchronous=OFF;
CREATE TABLE can_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp REAL NOT NULL, can_id INTEGER NOT NULL,
  node_id INTEGER, message_type TEXT, dlc INTEGER NOT NULL, raw_data TEXT NOT NULL, decoded_data TEXT,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $rows)
INSERT INTO can_messages (id, timestamp, can_id, node_id, message_type, dlc, raw_data, decoded_data, created_at)
SELECT i, (1734001123123456 + 1237 * i) / 1e6, (1 + i % 4) * 256 + 1 + i % 3, 1 + i % 4,
  CASE i % 3 WHEN 0 THEN 'PT100' WHEN 1 THEN 'BARO' ELSE 'SCD30' END, 8,
  printf('%02X %02X %02X %02X 00 00 00 %02X', i % 256, (i / 7) % 256, (i / 13) % 256, (i / 17) % 256, i % 256),
  printf('{"temp_dry_c": %d.%02d, "temp_wet_c": %d.%02d, "status": 0, "seq": %d}',
         15 + i % 15, i % 100, 10 + i % 9, (i * 7) % 100, i % 256),
  datetime(1734001123 + i / 800, 'unixepoch')
FROM s;
SQL
chmod 644 "$work/legacy.db"
printf 'generated %s rows (%s MB) in %.1f s\n' "$rows" "$(( $(stat -c %s "$work/legacy.db") / 1048576 ))" "$(calc "$(now) - $t0")"

echo "== private PostgreSQL on 127.0.0.1:$port"
bench_pg_start "$work" "$port" -c max_wal_size=4GB
psql_() { "$pgbin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql_ -d postgres -c "CREATE DATABASE cm" -c "CREATE DATABASE pgl"
echo "note: pgloader's default cast of SQLite REAL is real (float4): 1734001123.123456 -> $(psql_ -d postgres -c "SELECT 1734001123.123456::real::float8")"

echo "== can-migrate (verification included; JAVA_OPTS=$JAVA_OPTS)"
t0=$(now)
"$root/bin/can-migrate" --sqlite "$work/legacy.db" --target "postgresql://postgres@127.0.0.1:$port/cm" \
  --no-readings --progress-interval 15 > "$work/cm.out" 2> "$work/cm.err" &
pid=$!
peak=0
while kill -0 "$pid" 2>/dev/null; do
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  [ "${hwm:-0}" -gt "$peak" ] && peak=$hwm
  sleep 0.2
done
set +e; wait "$pid"; cm_rc=$?; set -e
cm_secs=$(calc "$(now) - $t0")
grep -E '^(copied|VERIFY|verify:)' "$work/cm.out" || true
if [ "$cm_rc" -ne 0 ]; then
  echo "bench-migrate: can-migrate failed (exit $cm_rc):"; tail -n 20 "$work/cm.out" "$work/cm.err"; exit 1
fi
cm_count=$(psql_ -d cm -c "SELECT count(*) FROM can_messages")

echo "== pgloader $(pgloader --version 2>/dev/null | head -n 1 | awk '{print $3}') with explicit cast rules"
cat > "$work/pgl.load" <<LOAD
LOAD DATABASE
  FROM sqlite://$work/legacy.db
  INTO postgresql://postgres@127.0.0.1:$port/pgl
WITH include drop, create tables, create indexes, reset sequences, batch rows = 20000
SET PostgreSQL PARAMETERS timezone to 'UTC'
CAST column can_messages.timestamp to "double precision" drop typemod using float-to-string,
     column can_messages.decoded_data to jsonb drop typemod,
     column can_messages.created_at to timestamptz drop typemod
;
LOAD
t0=$(now)
pgloader "$work/pgl.load" > "$work/pgl.out" 2>&1 || { echo "bench-migrate: pgloader failed:"; tail -n 30 "$work/pgl.out"; exit 1; }
# pgloader cannot turn a float epoch into timestamptz itself: finish the type mapping in SQL, timed with it
psql_ -d pgl -c "ALTER TABLE can_messages ALTER COLUMN \"timestamp\" TYPE timestamptz USING to_timestamp(\"timestamp\")"
pgl_secs=$(calc "$(now) - $t0")
# ... and to the same end state as can-migrate: the pipeline's column types, columns and indexes
# (sql/timescaledb_setup.sql on plain PostgreSQL; pgloader's primary key stands for the id index)
psql_ -d pgl -c "ALTER TABLE can_messages ALTER COLUMN can_id TYPE integer, ALTER COLUMN node_id TYPE integer,
    ALTER COLUMN dlc TYPE integer, ADD COLUMN source_id text, ADD COLUMN extended boolean NOT NULL DEFAULT false" \
  -c "CREATE INDEX ON can_messages (\"timestamp\" DESC)" -c "CREATE INDEX ON can_messages (node_id)" \
  -c "CREATE INDEX ON can_messages (message_type)" -c "CREATE INDEX ON can_messages (can_id)" \
  -c "CREATE UNIQUE INDEX ON can_messages (source_id, \"timestamp\")"
pgl_full_secs=$(calc "$(now) - $t0")
pgl_count=$(psql_ -d pgl -c "SELECT count(*) FROM can_messages")
grep -E 'Total import time|ERROR' "$work/pgl.out" || true

cm_rate=$(awk "BEGIN { printf \"%d\", $rows / $cm_secs }")
pgl_rate=$(awk "BEGIN { printf \"%d\", $rows / $pgl_secs }")
pgl_full_rate=$(awk "BEGIN { printf \"%d\", $rows / $pgl_full_secs }")
ratio_load=$(calc "$cm_rate / $pgl_rate")
ratio=$(calc "$cm_rate / $pgl_full_rate")
peak_mb=$(( peak / 1024 ))
echo
printf 'can-migrate: %s rows in %.1f s = %s rows/s (verification included), peak RSS %s MB, rows in target %s\n' \
  "$rows" "$cm_secs" "$cm_rate" "$peak_mb" "$cm_count"
printf 'pgloader:    %s rows in %.1f s = %s rows/s (load with cast rules + timestamptz conversion, no verification), rows in target %s\n' \
  "$rows" "$pgl_secs" "$pgl_rate" "$pgl_count"
printf 'pgloader:    %s rows in %.1f s = %s rows/s to the same end state as can-migrate (+ pipeline column types and indexes)\n' \
  "$rows" "$pgl_full_secs" "$pgl_full_rate"
echo "rate vs pgloader's load alone: ${ratio_load}x"
status=0
if awk "BEGIN { exit !($ratio >= 2) }"; then echo "rate: ${ratio}x pgloader to the same end state (target >= 2x): PASS"; else echo "rate: ${ratio}x pgloader to the same end state (target >= 2x): FAIL"; status=1; fi
if [ "$peak_mb" -le 256 ]; then echo "memory: peak RSS ${peak_mb} MB (target <= 256 MB): PASS"; else echo "memory: peak RSS ${peak_mb} MB (target <= 256 MB): FAIL"; status=1; fi
[ "$cm_count" -eq "$rows" ] || { echo "can-migrate target has $cm_count rows, expected $rows: FAIL"; status=1; }
exit $status
