#!/usr/bin/env bash
# Disk per sensor reading and per CAN frame on TimescaleDB after compression, and what a year of the
# facility (26 sensors at 1 Hz, ~24 CAN frames/s) needs. A private cluster (initdb in a temp dir,
# TimescaleDB preloaded, background jobs off so nothing runs while measuring), the project's schema
# (sql/timescaledb_setup.sql), BENCH_HOURS (default 6) of generated facility data: 24 frames a second
# shaped like the decoder's (PT100/BARO/SCD30 from nodes 1-3 and WATER/LAB from node 4 at 2 Hz, a
# heartbeat and an unknown frame, decoded_data JSONB like DecodedMessage.toJson) and 26 readings a
# second (2-decimal values with sensor noise). Every chunk is compressed, then the sizes are read
# with hypertable_size() (table + indexes + TOAST, compressed chunks included). Variants of the
# can_messages compression settings are measured in their own databases.
# Usage: scripts/bench-storage.sh [--help]   Environment: BENCH_HOURS, PG_BIN.
set -euo pipefail
if [ "${1:-}" = --help ] || [ "${1:-}" = -h ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
root=$(cd "$(dirname "$0")/.." && pwd)
hours=${BENCH_HOURS:-6}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
share=$("$bin/pg_config" --sharedir)
if [ ! -f "$share/extension/timescaledb.control" ]; then
  echo "bench-storage: skipped: TimescaleDB is not installed ($share/extension/timescaledb.control missing)" >&2
  exit 0
fi
dir=$(mktemp -d /tmp/cea-bench-storage.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
cleanup() { as_pg "$bin/pg_ctl" stop -m fast -D "$dir/data" >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
cat >> "$dir/data/postgresql.conf" <<EOF
shared_preload_libraries = 'timescaledb'
timescaledb.telemetry_level = off
timescaledb.max_background_workers = 0
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
EOF
as_pg "$bin/pg_ctl" start -w -D "$dir/data" -l "$dir/server.log" >/dev/null
q() { "$bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }

echo "bench-storage: $hours h of facility data per variant on $("$bin/postgres" --version), TimescaleDB $(q -d postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb'")"

# variant name | SQL run after the schema, before any data
variants=(
  "schema (segmentby can_id, orderby timestamp DESC, source_id)|"
  "segmentby can_id, orderby timestamp DESC (the seed's setting)|ALTER TABLE can_messages SET (timescaledb.compress_segmentby = 'can_id', timescaledb.compress_orderby = 'timestamp DESC')"
  "schema setting, decoded_data NULL (what the JSONB costs)|"
)
n=0
for v in "${variants[@]}"; do
  n=$((n + 1))
  name=${v%%|*}
  extra=${v#*|}
  db=storage_$n
  q -d postgres -c "CREATE DATABASE $db"
  q -d "$db" -f "$root/sql/timescaledb_setup.sql" >/dev/null 2>"$dir/setup.err" || { cat "$dir/setup.err" >&2; exit 1; }
  [ -n "$extra" ] && q -d "$db" -c "$extra" >/dev/null 2>>"$dir/setup.err"
  json=true
  [ "$n" -eq 3 ] && json=false
  t0=$(date +%s)
  q -d "$db" >/dev/null <<SQL
SELECT setseed(0.18);
-- 24 frame slots a second: (slot, node, type code, message type)
CREATE TEMP TABLE slots AS SELECT * FROM (VALUES
  (0, 1, 1, 'PT100'), (1, 1, 2, 'BARO'), (2, 1, 3, 'SCD30'), (3, 2, 1, 'PT100'), (4, 2, 2, 'BARO'), (5, 2, 3, 'SCD30'),
  (6, 3, 1, 'PT100'), (7, 3, 2, 'BARO'), (8, 3, 3, 'SCD30'), (9, 4, 4, 'WATER'), (10, 4, 5, 'LAB'), (11, 0, 0, NULL)
) s(slot, node, type, mtype);
INSERT INTO can_messages (source_id, timestamp, can_id, extended, node_id, message_type, dlc, raw_data, decoded_data)
SELECT ((extract(epoch FROM ts) * 1000)::bigint)::text || '-' || (sec % 7),
       ts, CASE WHEN node = 0 THEN CASE WHEN half = 0 THEN 2016 ELSE 1034 END ELSE node << 8 | type END,
       false, nullif(node, 0), CASE WHEN node = 0 AND half = 1 THEN 'HEARTBEAT' ELSE mtype END, 8,
       upper(concat_ws(' ', lpad(to_hex(node), 2, '0'), lpad(to_hex(type), 2, '0'), lpad(to_hex((v * 100)::int & 255), 2, '0'),
             lpad(to_hex(((v * 100)::int >> 8) & 255), 2, '0'), '00', '00', '00', lpad(to_hex(sec & 255), 2, '0'))),
       CASE WHEN NOT $json THEN NULL
            WHEN mtype = 'PT100' THEN jsonb_build_object('temp_dry_c', round(v::numeric, 2), 'temp_wet_c', round((v - 5.3)::numeric, 2), 'status', 0, 'seq', sec & 255)
            WHEN mtype = 'BARO' THEN jsonb_build_object('pressure_hpa', round((1013 + v / 10)::numeric, 1), 'temp_c', round((v - 1)::numeric, 2), 'seq', sec & 255)
            WHEN mtype = 'SCD30' THEN jsonb_build_object('co2_ppm', round(600 + 20 * v), 'temp_c', round((v - 1.2)::numeric, 2), 'rh_pct', round((61 + v / 3)::numeric, 2), 'seq', sec & 255)
            WHEN mtype = 'WATER' THEN jsonb_build_object('water_temp_c', round((v - 4)::numeric, 2), 'level_pct', round((80 + v / 5)::numeric, 1), 'seq', sec & 255)
            WHEN mtype = 'LAB' THEN jsonb_build_object('temp_c', round((v - 2)::numeric, 2), 'rh_pct', round((45 + v / 2)::numeric, 2), 'seq', sec & 255)
            WHEN half = 1 THEN jsonb_build_object('uptime_s', sec, 'fw_major', 1, 'fw_minor', 4, 'error_flags', 0)
            ELSE NULL END
FROM (SELECT sec, slot, half, node, type, mtype,
             now() - interval '400 days' + sec * interval '1 second' + (slot * 2 + half) * interval '41 ms'
               + (random() * 900)::int * interval '1 microsecond' AS ts,
             22 + 2 * sin(sec / 3600.0 + node) + random() * 0.1 AS v
      FROM generate_series(0, $hours * 3600 - 1) sec CROSS JOIN slots CROSS JOIN generate_series(0, 1) half) f;
INSERT INTO sensor_readings (time, sensor, value)
SELECT now() - interval '400 days' + sec * interval '1 second' + i * interval '37 ms', 'sensor_' || lpad(i::text, 2, '0'),
       round((22 + 3 * sin(sec / 3600.0 + i) + random() * 0.05)::numeric, 2)::float8
FROM generate_series(0, $hours * 3600 - 1) sec CROSS JOIN generate_series(1, 26) i;
CALL refresh_continuous_aggregate('sensor_readings_1m', NULL, NULL);
CALL refresh_continuous_aggregate('sensor_readings_1h', NULL, NULL);
VACUUM ANALYZE;
SQL
  t1=$(date +%s)
  read -r frames readings <<<"$(q -d "$db" -F ' ' -c "SELECT (SELECT count(*) FROM can_messages), (SELECT count(*) FROM sensor_readings)")"
  read -r fb rb m1b m1n h1b h1n <<<"$(q -d "$db" -F ' ' -c "SELECT hypertable_size('can_messages'), hypertable_size('sensor_readings'),
    hypertable_size(format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name)::regclass), (SELECT count(*) FROM sensor_readings_1m),
    (SELECT hypertable_size(format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name)::regclass) FROM timescaledb_information.continuous_aggregates WHERE view_name = 'sensor_readings_1h'),
    (SELECT count(*) FROM sensor_readings_1h)
    FROM timescaledb_information.continuous_aggregates WHERE view_name = 'sensor_readings_1m'")"
  q -d "$db" -c "SELECT count(compress_chunk(c, if_not_compressed => true)) FROM show_chunks('can_messages') c" >/dev/null
  q -d "$db" -c "SELECT count(compress_chunk(c, if_not_compressed => true)) FROM show_chunks('sensor_readings') c" >/dev/null
  # the minute aggregate, compressed as a policy could (segmentby sensor, orderby bucket: its defaults)
  q -d "$db" -c "ALTER MATERIALIZED VIEW sensor_readings_1m SET (timescaledb.compress = true)" >/dev/null 2>&1
  q -d "$db" -c "SELECT count(compress_chunk(c, if_not_compressed => true)) FROM show_chunks('sensor_readings_1m') c" >/dev/null
  q -d "$db" -c "VACUUM ANALYZE" >/dev/null
  t2=$(date +%s)
  read -r fa ra m1a <<<"$(q -d "$db" -F ' ' -c "SELECT hypertable_size('can_messages'), hypertable_size('sensor_readings'),
    hypertable_size(format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name)::regclass)
    FROM timescaledb_information.continuous_aggregates WHERE view_name = 'sensor_readings_1m'")"
  if [ "$n" -eq 1 ]; then
    # where the compressed bytes of a frame go: column by column over the compressed chunks' tables
    cols="id timestamp can_id node_id message_type dlc raw_data decoded_data created_at source_id extended"
    sel=$(for c in $cols; do printf "sum(coalesce(pg_column_size(\"%s\"), 0))::float8 / %s AS \"%s\"," "$c" "$frames" "$c"; done)
    for ch in $(q -d "$db" -c "SELECT format('%I.%I', c2.schema_name, c2.table_name) FROM _timescaledb_catalog.chunk c
        JOIN _timescaledb_catalog.chunk c2 ON c.compressed_chunk_id = c2.id JOIN _timescaledb_catalog.hypertable h ON c.hypertable_id = h.id
        WHERE h.table_name = 'can_messages'"); do
      echo "    compressed bytes per frame by column ($ch, values only, without page and index overhead):"
      q -d "$db" -P footer=off -c "SELECT ${sel%,} FROM $ch" | tr '|' ' ' | python3 -c "
import sys
names = '$cols'.split()
vals = [float(v) for v in sys.stdin.read().split()]
print('     ', ', '.join(f'{n} {v:.1f}' for n, v in zip(names, vals)), f'(sum {sum(vals):.1f})')"
    done
  fi
  warn=$(grep -c 'should be used for segmenting or ordering' "$dir/setup.err" || true)
  python3 - "$name" "$frames" "$readings" "$fb" "$rb" "$fa" "$ra" "$m1b" "$m1n" "$h1b" "$h1n" "$m1a" "$((t1 - t0))" "$((t2 - t1))" "$warn" <<'PY'
import sys
name, frames, readings, fb, rb, fa, ra, m1b, m1n, h1b, h1n, m1a, tload, tcomp, warn = sys.argv[1:]
frames, readings, fb, rb, fa, ra, m1b, m1n, h1b, h1n, m1a = map(int, (frames, readings, fb, rb, fa, ra, m1b, m1n, h1b, h1n, m1a))
year = 365 * 86400
bf, br = fa / frames, ra / readings
# both aggregates have the same row; the hourly one is too small here to measure per row (fixed overhead)
m1row, m1crow = m1b / max(m1n, 1), m1a / max(m1n, 1)
yf, yr = bf * 24 * year, br * 26 * year
y1m, y1mc, y1h = m1row * 26 * 525600, m1crow * 26 * 525600, m1row * 26 * 8760
print(f"  {name}:")
print(f"    can_messages    {frames:>9,} rows  {fb / frames:6.1f} B/row uncompressed -> {bf:5.1f} B/row compressed  (x{fb / fa:.1f})")
print(f"    sensor_readings {readings:>9,} rows  {rb / readings:6.1f} B/row uncompressed -> {br:5.1f} B/row compressed  (x{rb / ra:.1f})")
print(f"    minute aggregate {m1n:,} rows {m1row:.0f} B/row -> {m1crow:.0f} B/row compressed (hourly: {h1n:,} rows, {h1b:,} B);"
      f" load {tload} s, compression {tcomp} s; warnings about segmenting/ordering: {warn}")
print(f"    a year of the facility (24 frames/s, 26 readings/s): can_messages {yf / 1e9:.2f} GB + sensor_readings {yr / 1e9:.2f} GB"
      f" + minute aggregate {y1m / 1e9:.2f} GB ({y1mc / 1e9:.2f} GB compressed) + hourly {y1h / 1e9:.3f} GB"
      f" = {(yf + yr + y1m + y1h) / 1e9:.2f} GB ({(yf + yr + y1mc + y1h) / 1e9:.2f} GB with the minute aggregate compressed)")
PY
  q -d postgres -c "DROP DATABASE $db" >/dev/null
done
