#!/usr/bin/env bash
# make test-units (part of make test): checks every systemd unit in etc/systemd and the small scripts
# the units run, without a running systemd.
#  - systemd-analyze verify on every unit (with its drop-ins), ExecStart= pointed at this checkout's bin/
#  - systemd-analyze security --offline=true --threshold=40 on every service: exposure <= 4.0
#  - can-setup: missing interface, bad values, --help; cea-redis-auth: the password file
# Usage: scripts/test-units.sh [-v]   (-v prints each unit's security table)
# Environment: CEA_UNIT_DIR checks the units of another directory (default etc/systemd)
# Exit status: 0 all passed, 1 a check failed (named on stderr).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
verbose=0
units_dir=${CEA_UNIT_DIR:-$root/etc/systemd}
case ${1:-} in
  -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  -v) verbose=1 ;;
  "") ;;
  *) echo "test-units: unknown argument '$1'" >&2; exit 2 ;;
esac
command -v systemd-analyze >/dev/null || { echo "test-units: systemd-analyze is missing (apt-get install systemd)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cea-units.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0 checks=0
fail() { echo "FAIL $*" >&2; failed=$((failed + 1)); }
pass() { [ "$verbose" = 1 ] && echo "ok   $*"; checks=$((checks + 1)); }

# the units as installed, but running this checkout's scripts
mkdir -p "$work/units"
for f in "$units_dir"/*.service "$units_dir"/*.timer; do
  sed "s|/opt/cea/bin/|$root/bin/|g" "$f" > "$work/units/${f##*/}"
done
for d in "$units_dir"/*.d; do cp -r "$d" "$work/units/"; done
cd "$work/units" || exit 1
for u in *.service *.timer; do
  out=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$u" 2>&1)
  # a unit of another package that is not installed here (grafana-server) is not ours to verify
  out=$(grep -v -e "grafana-server.service" -e "Failed to put bus name" -e "Unit .* not found" <<< "$out")
  if [ -n "$out" ]; then fail "systemd-analyze verify $u:"$'\n'"$out"; else pass "verify $u"; fi
done
for u in *.service; do
  table=$(systemd-analyze security --offline=true --threshold=40 "$u" 2>&1); rc=$?
  score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<< "$table")
  [ "$verbose" = 1 ] && grep -v '✓' <<< "$table"
  if [ "$rc" -ne 0 ] || [ -z "$score" ] || awk -v s="$score" 'BEGIN { exit !(s > 4.0) }'; then
    fail "systemd-analyze security $u: exposure ${score:-?} (limit 4.0, exit $rc)"
  else
    pass "security $u: $score"
    echo "security $u: $score"
  fi
done
# drop-ins: each applies to a unit we know the name of
for d in "$units_dir"/*.d; do
  for c in "$d"/*.conf; do
    grep -q '^\[\(Unit\|Service\)\]' "$c" && pass "drop-in ${c#"$root/"}" || fail "drop-in ${c#"$root/"} has no [Unit] or [Service] section"
  done
done

expect() { # expect NAME RC PATTERN -- COMMAND...   (stderr+stdout must match PATTERN)
  local name=$1 want=$2 pat=$3 out rc; shift 4
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ] || ! grep -qE -- "$pat" <<< "$out"; then
    fail "$name: exit $rc (want $want), output:"$'\n'"$out"
  else
    pass "$name"
  fi
}
expect "can-setup --help" 0 'CAN_BITRATE' -- "$root/bin/can-setup" --help
expect "can-setup missing interface" 1 'CAN interface cea-nosuch0 does not exist.*|CAN_IFACE in /etc/cea/cea.env' -- \
  env CAN_IFACE=cea-nosuch0 "$root/bin/can-setup"
expect "can-setup not a CAN interface" 1 'lo is not a CAN interface' -- env CAN_IFACE=lo "$root/bin/can-setup" --dry-run
expect "can-setup bad bitrate" 2 'CAN_BITRATE must be a whole number 1000..1000000, was .fast.' -- \
  env CAN_BITRATE=fast "$root/bin/can-setup"
expect "can-setup bad interface name" 2 'CAN_IFACE must be an interface name' -- env 'CAN_IFACE=can0;reboot' "$root/bin/can-setup"
expect "can-setup unknown flag" 2 "unknown argument '--bitrate'" -- "$root/bin/can-setup" --bitrate

printf 'REDIS_URL=redis://:pw@127.0.0.1:6379\nREDIS_PASSWORD="pw-1.2/3="\n' > "$work/env"
expect "cea-redis-auth writes requirepass" 0 '' -- env CEA_ENV_FILE="$work/env" "$root/bin/cea-redis-auth" "$work/auth.conf"
if grep -qx 'requirepass pw-1.2/3=' "$work/auth.conf" 2>/dev/null && [ "$(stat -c %a "$work/auth.conf")" = 640 ]; then
  pass "cea-redis-auth file content and mode"
else
  fail "cea-redis-auth: $work/auth.conf: $(stat -c %a "$work/auth.conf" 2>&1) $(cat "$work/auth.conf" 2>&1)"
fi
: > "$work/empty"
expect "cea-redis-auth without password" 0 '' -- env CEA_ENV_FILE="$work/empty" "$root/bin/cea-redis-auth" "$work/auth2.conf"
grep -q requirepass "$work/auth2.conf" && fail "cea-redis-auth wrote a password that is not set" || pass "cea-redis-auth no password"
printf 'REDIS_PASSWORD=adm\nREDIS_SCANNER_PASSWORD=scan-1\nREDIS_API_PASSWORD="api-2"\n' > "$work/users.env"
expect "cea-redis-auth writes the ACL users" 0 '' -- env CEA_ENV_FILE="$work/users.env" "$root/bin/cea-redis-auth" "$work/users.conf"
scan_hash=$(printf '%s' scan-1 | sha256sum | cut -d' ' -f1)
if grep -q "^user cea-scanner reset on #$scan_hash .*+xadd .*~can:raw" "$work/users.conf" \
   && grep -q '^user cea-api reset on #' "$work/users.conf" && grep -qx 'user cea-worker reset off' "$work/users.conf" \
   && grep -qx 'requirepass adm' "$work/users.conf" && ! grep -q 'scan-1\|api-2' "$work/users.conf"; then
  pass "cea-redis-auth: hashed passwords, exact rules, users without a password off"
else
  fail "cea-redis-auth users: $(cat "$work/users.conf")"
fi
printf 'REDIS_WORKER_PASSWORD=w-1\n' > "$work/noadmin.env"
env CEA_ENV_FILE="$work/noadmin.env" "$root/bin/cea-redis-auth" "$work/noadmin.conf" >/dev/null 2>&1
grep -qx 'user default off' "$work/noadmin.conf" && pass "cea-redis-auth: no admin password, default user off" \
  || fail "cea-redis-auth without REDIS_PASSWORD: $(cat "$work/noadmin.conf")"
printf 'REDIS_PASSWORD=a b\n' > "$work/bad"
expect "cea-redis-auth refuses a space" 2 'contains a space' -- env CEA_ENV_FILE="$work/bad" "$root/bin/cea-redis-auth" "$work/auth3.conf"

# no secret in argv: no unit passes a URL or password variable on its command line
for f in "$units_dir"/*.service; do
  if grep -E '^ExecStart.*(\$\{?(DB_URL|DB_URL_READER|REDIS_URL|[A-Z_]*PASSWORD)\b|-u )' "$f" | grep -vq 'export DB_URL="\$\$DB_URL_READER"'; then
    fail "${f#"$root/"}: a URL or password on the command line (visible in ps)"
  else
    pass "no secret in argv: ${f##*/}"
  fi
done

if [ "$failed" -gt 0 ]; then
  echo "test-units: $failed of $((checks + failed)) checks failed" >&2
  exit 1
fi
echo "test-units: all $checks checks passed"
