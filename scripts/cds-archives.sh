#!/usr/bin/env bash
# cds-archives: class-data-sharing archives for the four services (can-scanner, can-worker, can-api,
# cea-automation), one <artifact>.jsa beside each jar, which bin/_tool then maps at every start.
# `make cds` runs it for the checkout after `make build`; `make install` for the installed tree
# (scripts/cds-archives.sh /opt/cea): an archive names the exact jars (path, size, time) it was made
# from, so it is made where the jars are run, and a rebuild or reinstall makes it stale (bin/_tool
# then ignores it: it uses an archive only when it is newer than its jar).
#
# Each archive is a JDK dynamic archive (-XX:ArchiveClassesAtExit, on top of the JDK's own) of a
# training run: each service started from ROOT/bin with its own JVM flags against a private
# redis-server on a free port and a SQLite database in a temp dir, driven through its start-up and a
# few seconds of work (scanner: simulator frames into the stream and the legacy file; worker: those
# frames into the database and live keys; can-api: its endpoints once each; cea-automation: rules
# evaluated), then stopped with SIGTERM, when the JVM writes the archive. Classes the run did not
# load (PostgreSQL's driver, SocketCAN) load normally. About 15 s. Needs redis-server and curl.
# Usage: scripts/cds-archives.sh [ROOT] (default: this checkout)
set -euo pipefail
case ${1:-} in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  -*) echo "cds-archives: usage: scripts/cds-archives.sh [ROOT]" >&2; exit 2 ;;
esac
root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
for t in scanner:can-scanner worker:can-worker api:can-api automation:cea-automation; do
  [ -f "$root/tools/${t%%:*}/${CEA_BUILD_DIR:-target}/${t##*:}.jar" ] \
    || { echo "cds-archives: $root/tools/${t%%:*}/${CEA_BUILD_DIR:-target}/${t##*:}.jar missing: run 'make build' first" >&2; exit 1; }
done
bench_name=cds-archives
. "$(dirname "$0")/lib-bench.sh"
bench_mktemp /tmp/cea-cds.XXXXXX
wait_for() { # seconds, command...
  local n=$(( $1 * 20 )); shift
  for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
  return 1
}
# SIGTERM, then the exit status of a clean stop (the archive is written on the way out)
stop() {
  echo "cds-archives: $2 trained in $(( SECONDS - started )) s" >&2
  kill -TERM "$1"
  wait "$1" || { echo "cds-archives: $2 did not stop cleanly (log: $3)" >&2; cat "$3" >&2; exit 1; }
}
rport=$(free_port)
bench_redis "$rport" "$tmp" "$tmp/redis.log"
redis="redis://127.0.0.1:$rport" db="jdbc:sqlite:$tmp/cea.db"
export CEA_CDS=dump
cd "$tmp"
started=$SECONDS

"$root/bin/can-scanner" --source sim --sim-speed max --count 3000 --redis-url "$redis" --db-url "jdbc:sqlite:$tmp/legacy.db" \
  --spool-dir "$tmp/spool" --quiet --stats-interval 0 >"$tmp/scanner.log" 2>&1 \
  || { echo "cds-archives: the scanner's training run failed:" >&2; cat "$tmp/scanner.log" >&2; exit 1; }
echo "cds-archives: can-scanner trained in $(( SECONDS - started )) s" >&2

"$root/bin/can-worker" --redis-url "$redis" --db-url "$db" >"$tmp/worker.log" 2>&1 & w=$!; pids+=($w)
stored() { [ "$(redis-cli -p "$rport" hget worker:status processed)" = 3000 ]; }
wait_for 30 stored || { echo "cds-archives: the worker did not store the 3000 frames:" >&2; cat "$tmp/worker.log" >&2; exit 1; }
stop "$w" can-worker "$tmp/worker.log"

aport=$(free_port)
"$root/bin/can-api" --listen "127.0.0.1:$aport" --redis-url "$redis" --db-url "$db" >"$tmp/api.log" 2>&1 & a=$!; pids+=($a)
wait_for 30 curl -sf -o /dev/null "http://127.0.0.1:$aport/api/sensors" \
  || { echo "cds-archives: can-api did not answer:" >&2; cat "$tmp/api.log" >&2; exit 1; }
now=$(date +%s)000
for path in / /health /api/sensors /api/sensors/co2_b "/api/sensors/co2_b/history?from=$((now - 3600000))&to=$now" \
    "/api/messages?limit=10" /api/stats /api/alerts /api/alerts/history /metrics /api/openapi.json; do
  curl -s -o /dev/null "http://127.0.0.1:$aport$path" || true
done
stop "$a" can-api "$tmp/api.log"

"$root/bin/cea-automation" --redis-url "$redis" --metrics-listen 127.0.0.1:0 >"$tmp/automation.log" 2>&1 & m=$!; pids+=($m)
evaluated() { [ -n "$(redis-cli -p "$rport" hget automation:status evaluated_at)" ]; }
wait_for 30 evaluated || { echo "cds-archives: cea-automation did not evaluate:" >&2; cat "$tmp/automation.log" >&2; exit 1; }
metrics=$(grep -o 'http://[0-9.:]*/metrics' "$tmp/automation.log" | head -n 1) || true
[ -z "$metrics" ] || curl -s -o /dev/null "$metrics" || true
sleep 2
stop "$m" cea-automation "$tmp/automation.log"

for t in scanner:can-scanner worker:can-worker api:can-api automation:cea-automation; do
  jsa=$root/tools/${t%%:*}/${CEA_BUILD_DIR:-target}/${t##*:}.jsa
  [ -s "$jsa" ] || { echo "cds-archives: $jsa was not written" >&2; exit 1; }
  echo "cds-archives: $jsa ($(( $(stat -c %s "$jsa") / 1024 )) KiB)"
done
