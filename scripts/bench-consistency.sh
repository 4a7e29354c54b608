#!/usr/bin/env bash
# bench-consistency: can-consistency on a 30-day legacy SQLite file against its migrated copy in a
# private PostgreSQL (can-migrate, as the cutover procedure does). Target (docs/MIGRATION.md): at
# least 200,000 rows/s per side with a peak RSS of at most 128 MB. For scale it also times sqlite3
# reading the same columns and psql counting the same rows (the floor under each side).
# Env: BENCH_CONSISTENCY_DAYS (30), BENCH_CONSISTENCY_RATE (frames/s, 15 = the facility simulator),
# JAVA_OPTS for the tools (default: bin/_tool's). Run by `make bench` (scripts/bench.sh), which
# builds first; alone: `make build` first. Needs about 4 GB of disk per 10 M rows, under /tmp.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
days=${BENCH_CONSISTENCY_DAYS:-30}
rate=${BENCH_CONSISTENCY_RATE:-15}
rows=$(( days * 86400 * rate ))
command -v sqlite3 >/dev/null || { echo "bench-consistency: sqlite3 missing: apt-get install sqlite3" >&2; exit 1; }
bench_name=bench-consistency
. "$root/scripts/lib-bench.sh"
bench_mktemp /tmp/cea-bench-consistency.XXXXXX work
port=$(free_port)
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.1f\", $1 }"; }
start_s=1764547200   # 2025-12-01T00:00:00Z: the file holds [start, start + days)

echo "== generating $days days at $rate frames/s = $rows legacy rows (sqlite3, recursive CTE)"
t0=$(now)
# 15 CAN ids as the simulator sends them (nodes 1-3: PT100, BARO, SCD30, HEARTBEAT; node 4: WATER,
# LAB, HEARTBEAT), one frame each per round of 1/rate s, microsecond timestamps as the scanner writes them
sqlite3 "$work/legacy.db" <<SQL >/dev/null
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
CREATE TABLE can_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp REAL NOT NULL, can_id INTEGER NOT NULL,
  node_id INTEGER, message_type TEXT, dlc INTEGER NOT NULL, raw_data TEXT NOT NULL, decoded_data TEXT,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE ids (k INTEGER PRIMARY KEY, can_id INTEGER, type TEXT);
INSERT INTO ids VALUES (0, 257, 'PT100'), (1, 258, 'BARO'), (2, 259, 'SCD30'), (3, 271, 'HEARTBEAT'),
  (4, 513, 'PT100'), (5, 514, 'BARO'), (6, 515, 'SCD30'), (7, 527, 'HEARTBEAT'), (8, 769, 'PT100'),
  (9, 770, 'BARO'), (10, 771, 'SCD30'), (11, 783, 'HEARTBEAT'), (12, 1028, 'WATER'), (13, 1029, 'LAB'),
  (14, 1039, 'HEARTBEAT');
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < $rows - 1)
INSERT INTO can_messages (timestamp, can_id, node_id, message_type, dlc, raw_data, decoded_data, created_at)
SELECT ($start_s * 1000000 + i * 1000000 / $rate + i % 997) / 1e6, ids.can_id, ids.can_id >> 8, ids.type, 8,
  printf('%02X %02X %02X %02X 00 00 00 %02X', i % 256, (i / 7) % 256, (i / 13) % 256, (i / 17) % 256, (i / 15) % 256),
  printf('{"temp_dry_c": %d.%02d, "temp_wet_c": %d.%02d, "status": 0, "seq": %d}',
         15 + i % 15, i % 100, 10 + i % 9, (i * 7) % 100, (i / 15) % 256),
  datetime($start_s + i / $rate, 'unixepoch')
FROM s JOIN ids ON ids.k = i % 15;
DROP TABLE ids;
CREATE INDEX idx_can_messages_timestamp ON can_messages (timestamp);
PRAGMA wal_checkpoint(TRUNCATE);
SQL
chmod 644 "$work/legacy.db"
printf 'generated %s rows (%s MB) in %s s\n' "$rows" "$(( $(stat -c %s "$work/legacy.db") / 1048576 ))" "$(calc "$(now) - $t0")"

echo "== private PostgreSQL on 127.0.0.1:$port, the copy made by can-migrate"
bench_pg_start "$work" "$port" -c max_wal_size=4GB
psql_() { "$pgbin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql_ -d postgres -c "CREATE DATABASE cea_sensors"
db="postgresql://postgres@127.0.0.1:$port/cea_sensors"
t0=$(now)
"$root/bin/can-migrate" --sqlite "$work/legacy.db" --target "$db" --no-readings --sample 0 --progress-interval 60 \
  > "$work/migrate.out" 2> "$work/migrate.err" || { echo "bench-consistency: can-migrate failed:"; tail -n 20 "$work/migrate.out" "$work/migrate.err"; exit 1; }
psql_ -d cea_sensors -c "VACUUM ANALYZE can_messages"
printf 'migrated in %s s: %s rows\n' "$(calc "$(now) - $t0")" "$(psql_ -d cea_sensors -c "SELECT count(*) FROM can_messages")"

echo "== references: sqlite3 reading the compared columns, psql counting the rows"
t0=$(now)
sqlite3 "file:$work/legacy.db?mode=ro" "SELECT count(*), sum(length(raw_data) + dlc + can_id) FROM can_messages WHERE timestamp >= $start_s" >/dev/null
ref_sqlite=$(calc "$(now) - $t0")
t0=$(now)
psql_ -d cea_sensors -c "SELECT count(*), sum(length(raw_data) + dlc + can_id) FROM can_messages" >/dev/null
ref_pg=$(calc "$(now) - $t0")

echo "== can-consistency over the $days days (JAVA_OPTS=${JAVA_OPTS:-bin/_tool default})"
to_s=$(( start_s + days * 86400 ))
t0=$(now)
CAN_CONSISTENCY_TTY=0 "$root/bin/can-consistency" --legacy "$work/legacy.db" --db-url "$db" --from "@$start_s" \
  --to "@$to_s" --no-record --quiet > "$work/cmp.out" 2> "$work/cmp.err" &
pid=$!
# peak RSS and CPU time of the JVM, and CPU time of the PostgreSQL backends serving it (one per
# database reader, found by their application_name; each one's highest reading, summed at the end):
# on a shared machine CPU seconds say more than wall time
peak=0 jvm_ticks=0 backends=
declare -A pg_seen=()
while kill -0 "$pid" 2>/dev/null; do
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  [ "${hwm:-0}" -gt "$peak" ] && peak=$hwm
  t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0); [ "${t:-0}" -gt "$jvm_ticks" ] && jvm_ticks=$t
  [ -n "$backends" ] || backends=$(psql_ -d postgres -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'cea-tsdb-digests'" 2>/dev/null || true)
  for b in $backends; do
    t=$(awk '{print $14 + $15}' "/proc/$b/stat" 2>/dev/null || echo 0); [ "${t:-0}" -gt "${pg_seen[$b]:-0}" ] && pg_seen[$b]=$t
  done
  sleep 0.5
done
pg_ticks=0; for b in "${!pg_seen[@]}"; do pg_ticks=$(( pg_ticks + pg_seen[$b] )); done
set +e; wait "$pid"; rc=$?; set -e
secs=$(calc "$(now) - $t0")
cat "$work/cmp.out"
if [ "$rc" -ne 0 ]; then
  echo "bench-consistency: can-consistency exit $rc (expected 0: the copy is complete):"; tail -n 20 "$work/cmp.err"; exit 1
fi
per_side=$(awk "BEGIN { printf \"%d\", $rows / $secs }")
peak_mb=$(( peak / 1024 ))
echo
printf 'references: sqlite3 scan of the same columns %s s (%s rows/s), psql count %s s (%s rows/s)\n' \
  "$ref_sqlite" "$(awk "BEGIN { printf \"%d\", $rows / $ref_sqlite }")" "$ref_pg" "$(awk "BEGIN { printf \"%d\", $rows / $ref_pg }")"
printf 'can-consistency: %s rows per side over %s days in %s s = %s rows/s per side, peak RSS %s MB (wall time includes JVM start)\n' \
  "$rows" "$days" "$secs" "$per_side" "$peak_mb"
tck=$(getconf CLK_TCK)
printf 'CPU: can-consistency JVM %s s (legacy side and merge, %s rows per CPU-second), PostgreSQL backends %s s (database side, %s rows per CPU-second); load average %s\n' \
  "$(calc "$jvm_ticks / $tck")" "$(awk "BEGIN { printf \"%d\", $rows * $tck / ($jvm_ticks + 1) }")" \
  "$(calc "$pg_ticks / $tck")" "$(awk "BEGIN { printf \"%d\", $rows * $tck / ($pg_ticks + 1) }")" "$(cut -d' ' -f1-3 /proc/loadavg)"
status=0
if [ "$per_side" -ge 200000 ]; then echo "rate: $per_side rows/s per side (target >= 200000): PASS"; else echo "rate: $per_side rows/s per side (target >= 200000): FAIL"; status=1; fi
if [ "$peak_mb" -le 128 ]; then echo "memory: peak RSS ${peak_mb} MB (target <= 128 MB): PASS"; else echo "memory: peak RSS ${peak_mb} MB (target <= 128 MB): FAIL"; status=1; fi
grep -q "EQUAL .*: $(( days * 1440 )) minutes compared, 0 differ, 0 open; legacy $rows rows, database $rows rows" "$work/cmp.out" \
  || { echo "summary does not show every minute and row equal: FAIL"; status=1; }
exit $status
