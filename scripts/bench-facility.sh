#!/usr/bin/env bash
# bench-facility: the whole stack at the facility's real load (issue 20, "fit the Pi"), run by
# `make bench` through scripts/bench.sh, or alone after a build.
#
# can-scanner on the built-in simulator in real time (4 nodes, 15 frames/s) -> Redis (etc/redis.conf:
# AOF appendfsync everysec, RDB save rules) -> can-worker -> PostgreSQL 15 (etc/postgresql/cea-pi.conf,
# fsync on; TimescaleDB preloaded where installed) + live keys; can-api idle (no client);
# cea-automation with etc/automation.json. Two passes (BENCH_FACILITY_PASSES): `legacy` (the scanner
# also writes its legacy SQLite file, as during parallel operation) and `stream-only` (--no-db).
#
# Every byte the stack stores goes to one private block device: an ext4 image on a loop device
# (root only) holding PostgreSQL's cluster, Redis's dir, the legacy SQLite file, the spool and,
# through a private mount namespace per process, each process's /tmp (the JVMs' hsperfdata). Its
# /proc/diskstats line counts what the block layer received — sectors written x 512 and flush
# requests (one per fsync that reached the device) — and nothing of the other processes on the
# machine. Without root the device holding the data dir is used instead (whole machine: noisy).
#
# Per pass: start, BENCH_FACILITY_WARMUP (20 s), then CHECKPOINT + sync and the window of
# BENCH_FACILITY_SECONDS (90 s), ended by CHECKPOINT + sync so the window's dirty pages are counted
# (conservative: production checkpoints every 15 min, the window counts one per 90 s; the figure
# before that CHECKPOINT is printed too). Frames = rows added to can_messages in the window.
# Per process: CPU % of one core (utime+stime deltas from /proc/PID/stat; per thread of our JVMs too, from
# /proc/PID/task/*/stat), RSS at the end and peak, its file-backed part (RssFile) and PSS (smaps_rollup:
# shared pages divided among the processes that map them) (VmRSS, VmHWM; PostgreSQL: PSS summed over its processes), write_bytes (/proc/PID/io: what the
# process dirtied, not what reached the device), log lines per minute (what journald would take).
# Where the bytes go: the window's WAL by relation (pg_waldump between the window's two LSNs) and
# the AOF bytes it appended by command and key prefix, both per frame.
# Then BENCH_FACILITY_FSYNC_SECONDS (15 s) with strace -f -c attached to each process (outside the
# measured window: strace slows what it traces) to count fsync/fdatasync per second per component.
#
# Start-up: the services start one after the other (worker, can-api, cea-automation, scanner), each
# timed from exec to ready (worker: joined the group and wrote worker:status; can-api: first
# /api/sensors answered; cea-automation: first evaluation in automation:status; scanner: first entry
# in can:raw), polled every 50 ms, with the CPU time the JVM had used by then; and the scanner's first
# entry to its row in can_messages (the worker's commit window included).
# Targets (issue 20): device writes <= 1 KB per frame, all components together; our JVMs' CPU
# together <= 1 % of one core; our JVMs' RSS together <= 256 MB (judged on their PSS too); each service ready <= 1 s. Exit 0 even when a target FAILs
# (the figures are the result); 1 when the run itself failed.
# Env: BENCH_FACILITY_SECONDS, BENCH_FACILITY_WARMUP, BENCH_FACILITY_FSYNC_SECONDS (0 = no strace
# pass), BENCH_FACILITY_PASSES ("legacy stream-only"), WORKER_FLAGS, SCANNER_FLAGS (extra flags),
# BENCH_KEEP=1 (keep the temp dir), BENCH_FACILITY_CDS=0 (no class-data-sharing archives), CEA_BUILD_DIR,
# JAVA_OPTS (as bin/_tool).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${BENCH_FACILITY_SECONDS:-90}
warm=${BENCH_FACILITY_WARMUP:-20}
fsync_secs=${BENCH_FACILITY_FSYNC_SECONDS:-15}
passes=${BENCH_FACILITY_PASSES:-legacy stream-only}
build=${CEA_BUILD_DIR:-target}
for m in scanner worker api automation; do
  jar=tools/$m/$build/$( [ $m = automation ] && echo cea-automation || echo can-$m ).jar
  [ -f "$jar" ] || mvn -q -o -DskipTests -DskipITs package -pl "tools/$m" -am >/dev/null
done
# the services start as installed: with their class-data-sharing archives (scripts/cds-archives.sh,
# made here when missing or older than a jar; BENCH_FACILITY_CDS=0 runs without, CEA_CDS=off too)
cds_state=on
if [ "${BENCH_FACILITY_CDS:-1}" = 0 ]; then
  export CEA_CDS=off; cds_state=off
else
  for t in scanner:can-scanner worker:can-worker api:can-api automation:cea-automation; do
    j=tools/${t%%:*}/$build/${t##*:}
    if [ ! -f "$j.jsa" ] || [ "$j.jar" -nt "$j.jsa" ]; then
      scripts/cds-archives.sh >/dev/null || { echo "bench-facility: no class-data-sharing archives; running without" >&2; cds_state=off; }
      break
    fi
  done
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
is_root=0; [ "$(id -u)" = 0 ] && is_root=1
as_pg() { if [ "$is_root" = 1 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# not under /tmp: each process gets the image's tmp/ mounted over /tmp, which would hide it
base=$(mktemp -d /var/tmp/cea-bench-facility.XXXXXX)
chmod 755 "$base"
out=$root/target/bench
mkdir -p "$out"
loopdevs=()
pids=() pg_data=""
stop_pass() {
  local i
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for ((i=${#pids[@]}-1; i>=0; i--)); do wait "${pids[$i]}" 2>/dev/null || true; done
  pids=()
  [ -n "$pg_data" ] && as_pg "$pgbin/pg_ctl" stop -D "$pg_data" -m fast >/dev/null 2>&1 || true
  pg_data=""
  local d l
  for d in $disks; do mountpoint -q "$base/d/$d" && { umount "$base/d/$d" 2>/dev/null || umount -l "$base/d/$d"; }; done
  for l in "${loopdevs[@]}"; do losetup -d "$l" 2>/dev/null || true; done
  loopdevs=()
}
cleanup() {
  stop_pass
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench-facility: kept $base" >&2; else rm -rf "$base"; fi
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# the private devices: one ext4 image on a loop device per component, so the block layer's own
# counts say which component wrote what (each has its own ext4 journal: a single file system would
# share journal commits, so the sum is slightly above one card's)
disks="postgres redis scanner tmp"
setup_disk() {
  local d
  devs=() dev_note=""
  mkdir -p "$base/logs" "$base/sock"
  for d in $disks; do
    mkdir -p "$base/d/$d"
    if [ "$is_root" = 1 ] && command -v losetup >/dev/null && command -v mkfs.ext4 >/dev/null; then
      rm -f "$base/$d.img"
      truncate -s 4G "$base/$d.img"
      mkfs.ext4 -q -F "$base/$d.img"
      local l; l=$(losetup --find --show "$base/$d.img")
      loopdevs+=("$l")
      mount "$l" "$base/d/$d"
      devs+=("$d=$(basename "$l")")
      dev_note="$dev_note $d=$(basename "$l")"
    fi
  done
  if [ ${#devs[@]} -eq 0 ]; then
    local dev
    dev=$(lsblk -no pkname "$(df --output=source "$base" | tail -1)" 2>/dev/null || true)
    [ -n "$dev" ] || dev=$(basename "$(df --output=source "$base" | tail -1)")
    devs=("all=$dev")
    dev_note="$dev (the device holding $base; whole machine, other processes included: not root, no loop device)"
  else
    dev_note="ext4 images on loop devices,$dev_note (postgres: the cluster; redis: AOF + RDB; scanner: legacy SQLite + spool; tmp: each process's /tmp); our writes only"
  fi
  mkdir -p "$base/d/scanner/spool"
  chmod 1777 "$base/d/tmp"
  touch "$base/logs/postgres.log"; [ "$is_root" = 1 ] && chown postgres:postgres "$base/logs/postgres.log"
  return 0
}
# (ns CMD...): CMD with the tmp image as its /tmp; execs, so call it in a subshell, whose pid
# stays the command's (unshare and sh exec too)
ns() {
  if [ ${#loopdevs[@]} -gt 0 ]; then
    exec unshare -m --propagation private sh -c 'mount --bind "$0" /tmp && exec "$@"' "$base/d/tmp" "$@"
  else
    exec "$@"
  fi
}
# disk_stat FILE: per device "name bytes_written write_requests flushes"
disk_stat() {
  local e
  for e in "${devs[@]}"; do
    awk -v n="${e%%=*}" -v d="${e#*=}" '$3 == d {print n, $10 * 512, $8, $19}' /proc/diskstats
  done > "$1"
}
psql_q() { "$pgbin/psql" -X -A -t -q -h 127.0.0.1 -p "$pport" -U postgres -d "${2:-cea_sensors}" -c "$1"; }
rcli() { redis-cli -p "$rport" "$@"; }
sync_disk() { local d; if [ ${#loopdevs[@]} -gt 0 ]; then for d in $disks; do sync -f "$base/d/$d"; done; else sync; fi; }

# snap FILE: per component "name ticks write_bytes rss_kb hwm_kb rss_file_kb pss_kb" (PostgreSQL: the
# postmaster with its children's cumulative ticks, PSS summed, in both RSS and PSS)
snap() {
  python3 - "$1" "scanner=$scanner_pid" "worker=$worker_pid" "api=$api_pid" "automation=$auto_pid" \
    "redis=$redis_pid" "postgres=@$pm_pid" <<'PY'
import os, sys
def stat(pid, children=False):
    f = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
    t = int(f[11]) + int(f[12])
    return t + (int(f[13]) + int(f[14]) if children else 0)
def io(pid):
    try:
        return int([l for l in open("/proc/%s/io" % pid) if l.startswith("write_bytes")][0].split()[1])
    except OSError:
        return 0
def status(pid, key):
    for l in open("/proc/%s/status" % pid):
        if l.startswith(key + ":"):
            return int(l.split()[1])
    return 0
def pss(pid):
    try:
        for l in open("/proc/%s/smaps_rollup" % pid):
            if l.startswith("Pss:"):
                return int(l.split()[1])
    except OSError:
        pass
    return 0
out = open(sys.argv[1], "w")
for a in sys.argv[2:]:
    name, pid = a.split("=")
    try:
        if pid.startswith("@"):
            pm = pid[1:]
            ticks, wb, rss = stat(pm, True), io(pm), pss(pm)
            for k in os.listdir("/proc"):
                try:
                    if k.isdigit() and open("/proc/%s/stat" % k).read().rsplit(")", 1)[1].split()[1] == pm:
                        ticks, wb, rss = ticks + stat(k), wb + io(k), rss + pss(k)
                except (OSError, IndexError):
                    pass  # a backend that ended meanwhile
            hwm, rss_file, p = rss, 0, rss
        else:
            ticks, wb, rss, hwm = stat(pid), io(pid), status(pid, "VmRSS"), status(pid, "VmHWM")
            rss_file, p = status(pid, "RssFile"), pss(pid)
    except (OSError, IndexError):
        ticks = wb = rss = hwm = rss_file = p = -1
    out.write("%s %d %d %d %d %d %d\n" % (name, ticks, wb, rss, hwm, rss_file, p))
PY
}
# threads FILE: per thread of our JVMs "process tid ticks name" (/proc/PID/task/*/stat), to say
# where each JVM's CPU goes in the window
threads() {
  python3 - "$1" "scanner=$scanner_pid" "worker=$worker_pid" "api=$api_pid" "automation=$auto_pid" <<'PY'
import os, sys
out = open(sys.argv[1], "w")
for a in sys.argv[2:]:
    name, pid = a.split("=")
    try:
        tids = os.listdir("/proc/%s/task" % pid)
    except OSError:
        continue
    for t in tids:
        try:
            s = open("/proc/%s/task/%s/stat" % (pid, t)).read()
        except OSError:
            continue
        comm = s[s.index("(") + 1:s.rindex(")")].replace(" ", "_")
        f = s.rsplit(")", 1)[1].split()
        out.write("%s %s %d %s\n" % (name, t, int(f[11]) + int(f[12]), comm))
PY
}
log_lines() { for n in scanner worker api automation redis postgres; do printf '%s %s %s\n' "$n" "$(cat "$base/logs/$n.log" 2>/dev/null | wc -l)" "$(cat "$base/logs/$n.log" 2>/dev/null | wc -c)"; done; }

start_stack() { # start_stack PASS
  local pass=$1
  rport=$(free_port); pport=$(free_port); aport=$(free_port)
  # etc/redis.conf names dir ./var/redis, which must exist at load; --dir then overrides it
  (cd "$base/d/redis" && mkdir -p var/redis && ns redis-server "$root/etc/redis.conf" --port "$rport" --dir "$base/d/redis" --daemonize no \
    >"$base/logs/redis.log" 2>&1) & redis_pid=$!; pids+=("$redis_pid")
  pg_data=$base/d/postgres/data
  mkdir -p "$pg_data"; [ "$is_root" = 1 ] && chown postgres:postgres "$pg_data" "$base/sock"
  as_pg "$pgbin/initdb" -D "$pg_data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
  {
    echo "include '$root/etc/postgresql/cea-pi.conf'"
    if [ -f "$("$pgbin/pg_config" --sharedir)/extension/timescaledb.control" ]; then
      echo "shared_preload_libraries = 'timescaledb'"; echo "timescaledb.telemetry_level = off"
    fi
    echo "port = $pport"; echo "listen_addresses = '127.0.0.1'"; echo "unix_socket_directories = '$base/sock'"
  } >> "$pg_data/postgresql.conf"
  (ns runuser -u postgres -- "$pgbin/pg_ctl" start -w -D "$pg_data" -l "$base/logs/postgres.log" >/dev/null)
  pm_pid=$(head -1 "$pg_data/postmaster.pid")
  psql_q 'CREATE DATABASE cea_sensors' postgres
  for _ in $(seq 100); do rcli ping >/dev/null 2>&1 && break; sleep 0.1; done
  rcli ping >/dev/null 2>&1 || { echo "bench-facility: redis-server did not start:" >&2; tail -n 5 "$base/logs/redis.log" >&2; exit 1; }
  redis_url=redis://127.0.0.1:$rport
  db_url=postgresql://postgres@127.0.0.1:$pport/cea_sensors
  # shellcheck disable=SC2086
  : > "$base/startup"
  local t
  t=$(now_ms)
  (ns bin/can-worker --redis-url "$redis_url" --db-url "$db_url" ${WORKER_FLAGS:-} >"$base/logs/worker.log" 2>&1) &
  worker_pid=$!; pids+=("$worker_pid")
  ready worker "$worker_pid" "$t" worker_joined
  t=$(now_ms)
  (ns bin/can-api --listen "127.0.0.1:$aport" --redis-url "$redis_url" --db-url "$db_url" >"$base/logs/api.log" 2>&1) &
  api_pid=$!; pids+=("$api_pid")
  ready api "$api_pid" "$t" api_answers
  t=$(now_ms)
  (ns bin/cea-automation --redis-url "$redis_url" --db-url "$db_url" --metrics-listen off \
    >"$base/logs/automation.log" 2>&1) & auto_pid=$!; pids+=("$auto_pid")
  ready automation "$auto_pid" "$t" automation_evaluated
  local legacy=(--db-url "jdbc:sqlite:$base/d/scanner/can_messages.db")
  [ "$pass" = legacy ] || legacy=(--no-db)
  t=$(now_ms)
  # shellcheck disable=SC2086
  (ns bin/can-scanner --source sim --redis-url "$redis_url" "${legacy[@]}" --spool-dir "$base/d/scanner/spool" --quiet \
    --stats-interval 10 ${SCANNER_FLAGS:-} >"$base/logs/scanner.log" 2>&1) & scanner_pid=$!; pids+=("$scanner_pid")
  ready scanner "$scanner_pid" "$t" scanner_wrote
  # the worker's part of "first frame in the database": from the scanner's first entry to its row
  # (the commit window, --commit-interval-ms, is part of it)
  t=$(now_ms)
  ready first_row "$worker_pid" "$t" first_row_stored
}

# start-up (issue 20): ms from exec to ready, 50 ms polls; the CPU time the JVM used by then
# (load-independent: on a busy machine the wall time is mostly waiting for a core)
now_ms() { date +%s%3N; }
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat" 2>/dev/null || echo -1; }
worker_joined() { [ "$(rcli exists worker:status)" = 1 ]; }
api_answers() { curl -sf -o /dev/null "http://127.0.0.1:$aport/api/sensors"; }
automation_evaluated() { [ -n "$(rcli hget automation:status evaluated_at)" ]; }
scanner_wrote() { [ "$(rcli xlen can:raw)" -gt 0 ] 2>/dev/null; }
first_row_stored() { [ "$(psql_q 'SELECT count(*) > 0 FROM can_messages')" = t ]; }
ready() { # ready NAME PID START_MS CHECK: appends "NAME wall_ms cpu_ms" to $base/startup (wall -1: not within 60 s)
  local name=$1 pid=$2 t0=$3 check=$4 end=$(( $3 + 60000 )) now
  while ! "$check"; do
    now=$(now_ms)
    if [ "$now" -gt "$end" ] || ! kill -0 "$pid" 2>/dev/null; then echo "$name -1 $(cpu_ms "$pid")" >> "$base/startup"; return; fi
    sleep 0.05
  done
  echo "$name $(( $(now_ms) - t0 )) $(cpu_ms "$pid")" >> "$base/startup"
}

# fsyncs per second per component: strace -c attached for fsync_secs (after the window)
fsync_pass() {
  [ "$fsync_secs" -gt 0 ] && command -v strace >/dev/null || { echo "  (no strace pass)"; return; }
  local n p sp=()
  for n in scanner worker api automation redis postgres; do
    case $n in
      scanner) p=(-p "$scanner_pid") ;; worker) p=(-p "$worker_pid") ;; api) p=(-p "$api_pid") ;;
      automation) p=(-p "$auto_pid") ;; redis) p=(-p "$redis_pid") ;;
      postgres) p=(); for k in $pm_pid $(ps -o pid= --ppid "$pm_pid"); do p+=(-p "$k"); done ;;
    esac
    timeout -s INT "$fsync_secs" strace -f -c -o "$base/strace.$n" -e trace=fsync,fdatasync,sync_file_range,msync \
      "${p[@]}" >/dev/null 2>&1 & sp+=($!)
  done
  for p in "${sp[@]}"; do wait "$p" 2>/dev/null || true; done
  printf '  %-11s %s\n' component "fsync-family calls per second (strace -f -c, $fsync_secs s, after the window)"
  for n in scanner worker api automation redis postgres; do
    printf '  %-11s %s\n' "$n" "$(awk -v s="$fsync_secs" '$NF ~ /^(fsync|fdatasync|sync_file_range|msync)$/ {
        c[$NF] = $(NF - 1) + 0; if ($(NF - 1) !~ /^[0-9]+$/) c[$NF] = $(NF - 2) + 0 }
      END {t = 0; s2 = ""; for (k in c) {t += c[k]; s2 = s2 " " k "=" c[k]} printf "%.2f/s (%s )", t / s, s2}' \
      "$base/strace.$n" 2>/dev/null)"
  done
}

# where the bytes go (issue 20: "measure, do not guess"), for the window just measured:
# PostgreSQL's WAL between two LSNs by relation (pg_waldump; relfilenodes named from pg_class) and
# the slice of Redis's AOF the window appended by command and key prefix. Each line is B/frame.
aof_incr() { # the AOF file Redis appends to (Redis 7 multi-part AOF: the manifest's "type i" line)
  local m=$base/d/redis/appendonlydir/appendonly.aof.manifest
  [ -f "$m" ] && awk '$6 == "i" {f = $2} END {if (f != "") print f}' "$m"
  return 0 # no AOF (appendonly no): nothing to break down, not a failed run
}
where_bytes() { # where_bytes LSN0 LSN1 AOF_FILE0 AOF_OFFSET0 AOF_FILE1 AOF_OFFSET1 FRAMES
  local names
  names=$(psql_q "SELECT relfilenode || ' ' || relname FROM pg_class WHERE relfilenode <> 0" | tr '\n' ';')
  as_pg "$pgbin/pg_waldump" -p "$pg_data/pg_wal" -s "$1" -e "$2" 2>/dev/null > "$base/waldump" || true
  python3 - "$base" "$names" "$@" <<'PY'
import collections, re, sys
base, names = sys.argv[1], dict(x.split(" ", 1) for x in sys.argv[2].split(";") if " " in x)
lsn0, lsn1, f0, o0, f1, o1, frames = sys.argv[3:10]
frames = max(int(frames), 1)
by = collections.Counter()
for line in open(base + "/waldump"):
    m = re.search(r"tot\): +\d+/ *(\d+)", line)
    if not m:
        continue
    r = re.search(r"rel \d+/\d+/(\d+)", line)
    rm = line.split()[1].rstrip(",")
    by[names.get(r.group(1), "relfilenode " + r.group(1)) if r else "(" + rm + ": no relation)"] += int(m.group(1))
total = sum(by.values())
print("  where the WAL goes (pg_waldump %s..%s, %d B/frame): %s" % (lsn0, lsn1, total / frames,
      ", ".join("%s %d" % (k, v / frames) for k, v in by.most_common(14))))
if not f0 or f0 != f1:
    print("  where the AOF goes: the AOF file changed in the window (a rewrite); not broken down")
    sys.exit(0)
data = open(base + "/d/redis/appendonlydir/" + f1, "rb").read()[int(o0):int(o1)]
i, by = 0, collections.Counter()
try:
    while i < len(data):
        start = i
        j = data.index(b"\r\n", i); argc = int(data[i + 1:j]); i = j + 2
        args = []
        for _ in range(argc):
            j = data.index(b"\r\n", i); n = int(data[i + 1:j]); i = j + 2
            args.append(data[i:i + n]); i += n + 2
        key = args[1].split(b":")[0].decode(errors="replace") + ":*" if len(args) > 1 and args[0].upper() != b"SELECT" else ""
        by[(args[0].upper().decode() + " " + key).strip()] += i - start
except (ValueError, IndexError):
    pass  # a command cut by the window's end
total = sum(by.values())
print("  where the AOF goes (%d B/frame): %s" % (total / frames, ", ".join("%s %d" % (k, v / frames) for k, v in by.most_common(8))))
PY
}

summary=()
for pass in $passes; do
  echo "== pass $pass: stack at facility load, warm-up $warm s, window $secs s, class-data sharing $cds_state"
  setup_disk
  start_stack "$pass"
  sleep "$warm"
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { echo "bench-facility: a process died during start-up:" >&2; tail -n 5 "$base"/logs/*.log >&2; exit 1; }; done
  psql_q 'CHECKPOINT'; sync_disk
  disk_stat "$base/disk0"
  wal0=$(psql_q "SELECT wal_bytes, wal_write, wal_sync, wal_fpi, wal_records, (SELECT sum(xact_commit) FROM pg_stat_database WHERE datname = 'cea_sensors') FROM pg_stat_wal" | tr '|' ' ')
  rows0=$(psql_q 'SELECT count(*) FROM can_messages')
  lsn0=$(psql_q 'SELECT pg_current_wal_insert_lsn()'); af0=$(aof_incr); ao0=$(stat -c %s "$base/d/redis/appendonlydir/$af0" 2>/dev/null || echo 0)
  aof0=$(rcli info persistence | tr -d '\r' | awk -F: '$1 == "aof_current_size" {print $2}')
  rdb0=$(rcli info persistence | tr -d '\r' | awk -F: '$1 == "rdb_saves" {print $2}')
  legacy0=$( [ "$pass" = legacy ] && sqlite3 "$base/d/scanner/can_messages.db" 'SELECT count(*) FROM can_messages' 2>/dev/null || echo 0)
  log_lines > "$base/lines0"
  snap "$base/snap0"; threads "$base/threads0"; t0=$(date +%s.%N)
  sleep "$secs"
  snap "$base/snap1"; threads "$base/threads1"; t1=$(date +%s.%N)
  log_lines > "$base/lines1"
  rows1=$(psql_q 'SELECT count(*) FROM can_messages')
  legacy1=$( [ "$pass" = legacy ] && sqlite3 "$base/d/scanner/can_messages.db" 'SELECT count(*) FROM can_messages' 2>/dev/null || echo 0)
  wal1=$(psql_q "SELECT wal_bytes, wal_write, wal_sync, wal_fpi, wal_records, (SELECT sum(xact_commit) FROM pg_stat_database WHERE datname = 'cea_sensors') FROM pg_stat_wal" | tr '|' ' ')
  lsn1=$(psql_q 'SELECT pg_current_wal_insert_lsn()'); af1=$(aof_incr); ao1=$(stat -c %s "$base/d/redis/appendonlydir/$af1" 2>/dev/null || echo 0)
  aof1=$(rcli info persistence | tr -d '\r' | awk -F: '$1 == "aof_current_size" {print $2}')
  rdb1=$(rcli info persistence | tr -d '\r' | awk -F: '$1 == "rdb_saves" {print $2}')
  sync_disk
  disk_stat "$base/diskm"
  psql_q 'CHECKPOINT'; sync_disk
  disk_stat "$base/disk1"
  # frames received in the window (their own timestamps), counted once the worker has stored them
  sleep 2
  frames=$(psql_q "SELECT count(*) FROM can_messages WHERE timestamp >= to_timestamp($t0) AND timestamp < to_timestamp($t1)")
  scanner_stats=$(grep -E 'frames' "$base/logs/scanner.log" | tail -1 | cut -c1-300)
  res=$(python3 - "$base" "$t0" "$t1" "$rows0" "$rows1" "$frames" \
    "$wal0" "$wal1" "${aof0:-0}" "${aof1:-0}" "${rdb0:-0}" "${rdb1:-0}" "$legacy0" "$legacy1" "$pass" "$(stat -c %s "$base/d/redis/dump.rdb" 2>/dev/null || echo 0)" <<'PY'
import sys
a = sys.argv
base, t0, t1 = a[1], float(a[2]), float(a[3])
rows0, rows1, frames = int(a[4]), int(a[5]), int(a[6])
wal0, wal1 = [float(x) for x in a[7].split()], [float(x) for x in a[8].split()]
aof0, aof1, rdb0, rdb1, leg0, leg1 = (int(x) for x in a[9:15])
passname = a[15]
rdb_size = int(a[16])
dt = t1 - t0
hz = 100.0
def read(f):
    return {l.split()[0]: [int(x) for x in l.split()[1:]] for l in open(f)}
s0, s1 = read(base + "/snap0"), read(base + "/snap1")
l0, l1 = read(base + "/lines0"), read(base + "/lines1")
jvms = ("scanner", "worker", "api", "automation")
print("  frames received in the window: %d in %.1f s = %.2f frames/s (can_messages rows stamped in the window; rows"
      " committed in it: %d, legacy SQLite +%d)" % (frames, dt, frames / dt, rows1 - rows0, leg1 - leg0))
print("  %-11s %8s %9s %9s %8s %8s %14s %11s %13s %9s" % ("process", "CPU %", "RSS MB", "peak MB", "file MB", "PSS MB",
      "write_bytes/s", "B/frame", "log lines/min", "log B/min"))
cpu_j = rss_j = hwm_j = pss_j = 0.0
for n in ("scanner", "worker", "api", "automation", "redis", "postgres"):
    ticks = s1[n][0] - s0[n][0]
    cpu = 100.0 * ticks / hz / dt
    wb = s1[n][1] - s0[n][1]
    rss, hwm = s1[n][2] / 1024.0, s1[n][3] / 1024.0
    if n in jvms:
        cpu_j += cpu; rss_j += rss; hwm_j += hwm; pss_j += s1[n][5] / 1024.0
    lines = (l1[n][0] - l0[n][0]) * 60.0 / dt
    logb = (l1[n][1] - l0[n][1]) * 60.0 / dt
    print("  %-11s %7.2f%% %9.1f %9.1f %8.1f %8.1f %14.0f %11.0f %13.1f %9.0f" % (n + (" (PSS)" if n == "postgres" else ""),
          cpu, rss, hwm if n != "postgres" else float("nan"), s1[n][4] / 1024.0, s1[n][5] / 1024.0, wb / dt,
          wb / max(frames, 1), lines, logb))
print("  %-11s %7.2f%% %9.1f %9.1f %8.1f %8.1f" % ("our JVMs", cpu_j, rss_j, hwm_j, sum(s1[n][4] for n in jvms) / 1024.0, pss_j))
print("  (file MB: RssFile, the mapped libjvm, jars and class-data archives: page cache, counted in the RSS of every"
      " JVM that maps it; PSS MB: /proc/PID/smaps_rollup, each shared page divided among the processes that map it,"
      " so the PSS of the four JVMs adds up to the memory they take together)")
def threads(f):
    r = {}
    for l in open(base + "/" + f):
        p, tid, ticks, comm = l.split(None, 3)
        r[(p, tid)] = (int(ticks), comm.strip())
    return r
th0, th1 = threads("threads0"), threads("threads1")
per = {}
for k, (ticks, comm) in th1.items():
    d = ticks - th0.get(k, (0, comm))[0]
    if d > 0:
        per.setdefault(k[0], []).append((d, comm))
print("  threads in the window (ticks of 10 ms, /proc/PID/task/*/stat; threads with none left out):")
for n in jvms:
    ts = sorted(per.get(n, []), reverse=True)
    print("    %-10s %4d: %s" % (n, sum(d for d, _ in ts), ", ".join("%s %d" % (c, d) for d, c in ts[:8])))
def disk(f):
    return {l.split()[0]: [int(x) for x in l.split()[1:]] for l in open(base + "/" + f)}
d0, dm, d1 = disk("disk0"), disk("diskm"), disk("disk1")
print("  %-11s %12s %11s %13s %11s %9s" % ("device", "written B/s", "B/frame", "B/frame pre-CP", "requests/s", "flushes/s"))
for n in d0:
    print("  %-11s %12.0f %11.0f %13.0f %11.2f %9.2f" % (n, (d1[n][0] - d0[n][0]) / dt, (d1[n][0] - d0[n][0]) / max(frames, 1),
          (dm[n][0] - d0[n][0]) / max(frames, 1), (d1[n][1] - d0[n][1]) / dt, (d1[n][2] - d0[n][2]) / dt))
dev_b = sum(d1[n][0] - d0[n][0] for n in d0)
dev_m = sum(dm[n][0] - d0[n][0] for n in d0)
flushes = sum(d1[n][2] - d0[n][2] for n in d0)
print("  all devices: %.0f B/s = %d B/frame incl. a CHECKPOINT at the end of the window (%d B/frame before it), %.2f flushes/s"
      % (dev_b / dt, dev_b / max(frames, 1), dev_m / max(frames, 1), flushes / dt))
w = [y - x for x, y in zip(wal0, wal1)]
print("  PostgreSQL pg_stat_wal: %.0f B/frame WAL (%d full-page images, %d records), wal_write %.2f/s, wal_sync %.2f/s;"
      " cea_sensors: %.2f commits/s (read-only ones included)" % (w[0] / max(frames, 1), w[3], w[4], w[1] / dt, w[2] / dt, w[5] / dt))
print("  Redis: AOF +%.0f B/frame (%.0f B/s), RDB saves in the window: %d (dump.rdb %d B)" % ((aof1 - aof0) / max(frames, 1),
      (aof1 - aof0) / dt, rdb1 - rdb0, rdb_size))
ok = lambda c: "PASS" if c else "FAIL"
bpf = dev_b / max(frames, 1)
print("RESULT facility[%s] device_bytes_per_frame=%d flushes_per_s=%.2f frames_per_s=%.2f (target <= 1024 B/frame) %s"
      % (passname, bpf, flushes / dt, frames / dt, ok(bpf <= 1024)))
print("RESULT facility[%s] jvm_cpu_pct_one_core=%.2f (scanner+worker+api+automation; target <= 1 %%) %s" % (passname, cpu_j, ok(cpu_j <= 1.0)))
print("RESULT facility[%s] jvm_rss_mb=%.0f peak_mb=%.0f (target <= 256 MB at facility load) %s" % (passname, rss_j, hwm_j, ok(rss_j <= 256)))
print("RESULT facility[%s] jvm_pss_mb=%.0f (the same four JVMs' memory with the pages they share counted once; RSS target"
      " applied to it: <= 256 MB) %s" % (passname, pss_j, ok(pss_j <= 256)))
st = {l.split()[0]: (int(l.split()[1]), int(l.split()[2])) for l in open(base + "/startup")}
what = {"scanner": "first entry in can:raw", "worker": "joined the group (worker:status)", "api": "first /api/sensors answered",
        "automation": "first evaluation (automation:status)", "first_row": "scanner's first entry -> its row in can_messages"}
print("  %-11s %9s %9s  %s" % ("start-up", "ready ms", "CPU ms", "ready when (started one after the other: worker, api, automation, scanner)"))
for n in ("worker", "api", "automation", "scanner", "first_row"):
    w, c = st.get(n, (-1, -1))
    print("  %-11s %9s %9d  %s" % (n, w if w >= 0 else "never", c, what[n] + (" (CPU: the worker's)" if n == "first_row" else "")))
worst = max((st.get(n, (-1, 0))[0] if st.get(n, (-1, 0))[0] >= 0 else 10 ** 9) for n in ("worker", "api", "automation", "scanner"))
print("RESULT facility[%s] startup_ms worker=%d api=%d automation=%d scanner=%d first_row=%d (target each <= 1000 ms; load average %s) %s"
      % (passname, st.get("worker", (-1,))[0], st.get("api", (-1,))[0], st.get("automation", (-1,))[0], st.get("scanner", (-1,))[0],
         st.get("first_row", (-1,))[0], open("/proc/loadavg").read().split()[0], ok(worst <= 1000)))
PY
)
  echo "$res"
  where_bytes "$lsn0" "$lsn1" "$af0" "$ao0" "$af1" "$ao1" "$frames" || echo "  where the bytes go: not worked out (see the error above)"
  echo "  device: $dev_note"
  echo "  scanner: $scanner_stats"
  fsync_pass
  summary+=("$(grep '^RESULT' <<<"$res")")
  stop_pass
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $("$pgbin/postgres" --version); $(redis-server --version | cut -d' ' -f1-3)"
printf '%s\n' "${summary[@]}"
