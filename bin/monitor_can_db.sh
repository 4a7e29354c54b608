#!/usr/bin/env bash
# monitor_can_db.sh: database tail in the terminal (newest decoded messages, counts per type over the
# last minute and hour, rows/s written, backend). Refreshes every --interval s (2); q or Ctrl+C quits.
# --once (or stdout not a terminal: pipes, ssh without -t, journal) prints one plain snapshot.
# Database: --db-url, else $DB_URL, else the SQLite file make demo's worker writes (var/cea.db). The parallel
# run's last comparison (consistency:status) comes from Redis: --redis-url, else $REDIS_URL, else 127.0.0.1:6379.
# See 'bin/monitor_can_db.sh --help'. JAVA_OPTS replaces the JVM flags; CEA_BUILD_DIR picks another build folder.
CEA_TOOL_JVM="-XX:TieredStopAtLevel=1" exec "$(dirname "$0")/_tool" tools/monitor can-monitor db "$@"
