#!/usr/bin/env bash
# Called by cea-service-failure@.service when a CEA unit fails (OnFailure=). Records the failure
# with the unit's last log lines in the journal (priority err), in a log file, and in Redis
# (list service:failures, newest first) so the dashboard and monitors can show it.
set -uo pipefail
unit=${1:?usage: service_error_handler.sh UNIT}
log=${CEA_FAILURE_LOG:-/var/lib/cea/service-failures.log}
when=$(date -u +%Y-%m-%dT%H:%M:%SZ)
state=$(systemctl show -p ActiveState,SubState,Result,ExecMainStatus --value "$unit" 2>/dev/null | paste -sd' ')
tail_lines=$(journalctl -u "$unit" -n 20 --no-pager -o cat 2>/dev/null)
msg="$when CEA service failed: $unit ($state)"
logger -p daemon.err -t cea-failure "$msg"
mkdir -p "$(dirname "$log")" 2>/dev/null && { echo "$msg"; echo "$tail_lines" | sed 's/^/    /'; } >> "$log"
if command -v redis-cli >/dev/null 2>&1; then
  url=${REDIS_URL:-redis://127.0.0.1:6379}
  redis-cli -u "$url" LPUSH service:failures "$msg" >/dev/null 2>&1 && redis-cli -u "$url" LTRIM service:failures 0 99 >/dev/null 2>&1
fi
echo "$msg" >&2
exit 0
