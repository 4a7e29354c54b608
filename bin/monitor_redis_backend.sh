#!/usr/bin/env bash
# monitor_redis_backend.sh: Redis + backend status in the terminal (worker:status with its age, can:raw and
# can:dead lengths, every live sensor with value, unit, age and staleness, newest service:failures).
# Refreshes every --interval s (2); q or Ctrl+C quits. --once (or stdout not a terminal) prints one snapshot.
# Redis: --redis-url, else $REDIS_URL, else redis://127.0.0.1:6379. make demo's private Redis listens on
# 6390 (CEA_DEMO_REDIS_PORT) and wants the passwords of var/demo.env: (set -a; . var/demo.env; bin/monitor_redis_backend.sh).
# Logs in as Redis user cea-monitor when REDIS_MONITOR_PASSWORD is set and the URL has no password.
# See 'bin/monitor_redis_backend.sh --help'. JAVA_OPTS replaces the JVM flags; CEA_BUILD_DIR picks another build folder.
CEA_TOOL_JVM="-XX:TieredStopAtLevel=1" exec "$(dirname "$0")/_tool" tools/monitor can-monitor redis "$@"
