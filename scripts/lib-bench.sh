# shellcheck shell=bash
# lib-bench.sh: what the bench scripts share, sourced (never run) after `set -euo pipefail`:
#   bench_mktemp TEMPLATE [VAR] a temp dir in $tmp (or VAR), removed at exit (kept when BENCH_KEEP=1), and the
#                              exit trap that stops, in this order, every pid in $pids (TERM, then
#                              waits), the private PostgreSQL cluster, and removes the dirs
#   free_port                  a TCP port nothing listens on at 127.0.0.1 (20000-40000)
#   bench_redis PORT DIR LOG [ARG...]
#                              a private redis-server (no persistence, 127.0.0.1), its pid in $pids,
#                              ready (PING) within 10 s or the script exits 1
#   bench_pg_start DIR PORT [SERVER-OPTION...]
#                              a private PostgreSQL cluster in DIR/pg (log DIR/pg.log, socket in DIR),
#                              user postgres, trust; as root the server runs as postgres (runuser)
#   bench_wait_listen WHAT PORT PID LOG
#                              waits up to 30 s for a listener on PORT while PID lives; else prints
#                              the last lines of LOG and exits 1
#   as_pg CMD...               CMD as postgres when root, else as this user; $pgbin the newest server
# Set bench_name (used in messages) before sourcing. Why one file: the same 30 lines stood in six
# scripts, and a fix (e.g. waiting for Redis) reached only some of them.

bench_name=${bench_name:-bench}
pids=()
bench_dirs=()
bench_pg_data=""
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

bench_cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "$bench_pg_data" ]; then as_pg "$pgbin/pg_ctl" stop -m immediate -D "$bench_pg_data" >/dev/null 2>&1 || true; fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    [ ${#bench_dirs[@]} -eq 0 ] || echo "$bench_name: kept ${bench_dirs[*]}" >&2
  else
    [ ${#bench_dirs[@]} -eq 0 ] || rm -rf "${bench_dirs[@]}"
  fi
}

# bench_mktemp TEMPLATE [VAR]: a new dir in VAR (default tmp), removed at exit with the others.
bench_mktemp() {
  local d
  d=$(mktemp -d "$1")
  bench_dirs+=("$d")
  printf -v "${2:-tmp}" '%s' "$d"
  trap bench_cleanup EXIT
}

free_port() {
  local p
  for p in $(shuf -i 20000-40000 -n 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  echo "$bench_name: no free port" >&2; exit 1
}

bench_redis() {
  local port=$1 dir=$2 log=$3
  shift 3
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize no \
    --logfile "$log" "$@" &
  pids+=($!)
  for _ in $(seq 100); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && return 0; sleep 0.1; done
  echo "$bench_name: redis-server did not start on port $port (log: $log)" >&2
  exit 1
}

bench_wait_listen() {
  local what=$1 port=$2 pid=$3 log=$4
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "$bench_name: $what did not come up on port $port; its log:" >&2
  tail -20 "$log" >&2
  exit 1
}

# DIR must exist; as root it is given to postgres (initdb writes DIR/pg, the server its socket in DIR).
bench_pg_start() {
  local dir=$1 port=$2
  shift 2
  [ "$(id -u)" != 0 ] || chown postgres "$dir"
  as_pg "$pgbin/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
  bench_pg_data=$dir/pg
  as_pg "$pgbin/pg_ctl" start -w -t 60 -D "$dir/pg" -l "$dir/pg.log" \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $*" >/dev/null
}
