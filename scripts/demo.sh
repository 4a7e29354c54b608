#!/usr/bin/env bash
# make demo: the whole pipeline on the facility simulator, on this machine, in one command.
#
#   builds (mvn -q -DskipTests package), installs redis-server if missing (scripts/ensure-deps.sh demo),
#   starts a private Redis from etc/redis.conf (AOF + RDB in ./var/redis, port 6390 so a system
#   Redis on 6379 is untouched), the scanner on the simulator (stream only: --no-db, so the worker's
#   rows are not duplicated), the worker writing to SQLite ./var/cea.db (or to $DB_URL when set),
#   and can-api; prints the dashboard URL. Ctrl+C stops everything, in order, and waits for it.
#
# Settings (environment): DB_URL (database for worker and API; default jdbc:sqlite:./var/cea.db),
# CEA_DEMO_REDIS_PORT (6390), API_LISTEN (127.0.0.1:8000), CEA_DEMO_SIM_SPEED (1 = real time),
# CEA_DEMO_NO_BUILD=1 (skip the build, e.g. when it was just built).
# Logs: var/log/{build,redis,scanner,worker,api}.log.
# Redis users: as on the Pi, each tool logs in as its own ACL user (etc/redis-users.conf); the passwords are
# random, made once in var/demo.env (0600), given to redis-server by bin/cea-redis-auth (var/redis/cea-auth.conf)
# and to the tools by environment. Monitors: (set -a; . var/demo.env; bin/monitor_redis_backend.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

redis_port=${CEA_DEMO_REDIS_PORT:-6390}
api_listen=${API_LISTEN:-127.0.0.1:8000}
sim_speed=${CEA_DEMO_SIM_SPEED:-1}
redis_url="redis://127.0.0.1:$redis_port"
db_url=${DB_URL:-"jdbc:sqlite:$root/var/cea.db"}
logs="$root/var/log"

say() { printf 'demo: %s\n' "$*" >&2; }

scripts/ensure-deps.sh demo
mkdir -p "$logs"
if [ "${CEA_DEMO_NO_BUILD:-0}" != 1 ]; then
  say "building (mvn -q -DskipTests package, log in var/log/build.log)…"
  if ! mvn -q -DskipTests package >"$logs/build.log" 2>&1; then
    tail -n 30 "$logs/build.log" >&2
    say "build failed; see var/log/build.log"
    exit 1
  fi
fi

port_busy() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }
if port_busy "127.0.0.1:$redis_port"; then
  say "port $redis_port is already in use (another demo still running?); set CEA_DEMO_REDIS_PORT"; exit 1
fi
if port_busy "$api_listen"; then
  say "$api_listen is already in use; set API_LISTEN=127.0.0.1:PORT"; exit 1
fi

mkdir -p "$root/var/redis" "$root/var/spool"
demo_env="$root/var/demo.env"
if [ ! -s "$demo_env" ]; then
  (umask 077
   {
     echo "# make demo: Redis passwords (random, made once; rm this file for new ones)"
     echo "REDIS_URL=$redis_url"
     for v in REDIS_PASSWORD REDIS_SCANNER_PASSWORD REDIS_WORKER_PASSWORD REDIS_API_PASSWORD REDIS_AUTOMATION_PASSWORD \
              REDIS_MONITOR_PASSWORD; do
       echo "$v=$(head -c 24 /dev/urandom | base64 | tr -d '\n' | tr '+/' '-_')"
     done
   } > "$demo_env")
fi
sed -i "s|^REDIS_URL=.*|REDIS_URL=$redis_url|" "$demo_env"
CEA_ENV_FILE="$demo_env" bin/cea-redis-auth "$root/var/redis/cea-auth.conf" || { say "cea-redis-auth failed"; exit 1; }
set -a
# shellcheck disable=SC1090
. "$demo_env"
set +a
export REDISCLI_AUTH=$REDIS_PASSWORD
names=() pids=()

# Each child runs in its own session (setsid), so the terminal's Ctrl+C reaches only this script,
# which then stops the children in order: api, worker, scanner, and Redis last.
start() { # start NAME COMMAND...
  local name=$1; shift
  setsid "$@" >"$logs/$name.log" 2>&1 < /dev/null &
  names+=("$name") pids+=($!)
}

stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  trap '' INT TERM
  say "stopping…"
  local i pid
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    pid=${pids[$i]}
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "${names[$i]} did not stop within 15 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      unclean=1
    fi
    wait "$pid" 2>/dev/null || true
  done
  say "stopped; data kept in var/ (make clean removes it)"
  [ "${unclean:-0}" = 0 ] || exit 1
}
trap stop_all EXIT
# Ctrl+C / SIGTERM are how the demo is meant to end: a clean stop exits 0, so make does not report
# "Error 130"; a process that had to be killed is reported by stop_all (exit 1)
trap 'exit 0' INT TERM

start redis redis-server "$root/etc/redis.conf" --port "$redis_port" --dir "$root/var/redis" \
  --include "$root/var/redis/cea-auth.conf"
for _ in $(seq 1 100); do
  redis-cli --no-auth-warning -p "$redis_port" ping 2>/dev/null | grep -q PONG && break
  kill -0 "${pids[0]}" 2>/dev/null || { say "redis-server failed:"; tail -n 20 "$logs/redis.log" >&2; exit 1; }
  sleep 0.1
done

start scanner bin/can-scanner --source sim --sim-speed "$sim_speed" --redis-url "$redis_url" --no-db \
  --spool-dir "$root/var/spool" --quiet --stats-interval 30
start worker bin/can-worker --redis-url "$redis_url" --db-url "$db_url"
start api bin/can-api --listen "$api_listen" --redis-url "$redis_url" --db-url "$db_url"

url="http://$api_listen/"
for _ in $(seq 1 300); do
  port_busy "$api_listen" && break
  for i in "${!pids[@]}"; do
    kill -0 "${pids[$i]}" 2>/dev/null || { say "${names[$i]} exited:"; tail -n 20 "$logs/${names[$i]}.log" >&2; exit 1; }
  done
  sleep 0.2
done

db_shown=$(printf '%s' "$db_url" | sed -E 's#//([^:@/]*):[^@/]*@#//\1:***@#')
cat >&2 <<MSG

  CEA demo running:
    dashboard  $url
    API        ${url}api/sensors   ${url}health   ${url}metrics   (docs/API.md)
    Redis      $redis_url (data in var/redis; users and passwords: var/demo.env, etc/redis-users.conf)
    database   $db_shown
    logs       var/log/{redis,scanner,worker,api}.log
    monitor    (set -a; . var/demo.env; bin/monitor_redis_backend.sh)

  Press Ctrl+C to stop everything.

MSG

# Run until Ctrl+C, or until one of the processes exits on its own (then stop the rest).
while true; do
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      say "${names[$i]} exited unexpectedly; last lines of var/log/${names[$i]}.log:"
      tail -n 20 "$logs/${names[$i]}.log" >&2
      exit 1
    fi
  done
  sleep 1
done
