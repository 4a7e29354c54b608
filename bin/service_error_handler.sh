#!/usr/bin/env bash
# service_error_handler.sh: reports a failed CEA unit. cea-service-failure@.service runs it (OnFailure=,
# as the unprivileged user cea). It records the failure in the journal (priority err, tag cea-failure),
# in a log file and in Redis (list service:failures, newest first, for the dashboard and monitors), and
# shows it on the Pi's desktop: a terminal window with the unit, its state and result, the last error,
# its last 50 log lines and the commands to check, read and restart it, open until the user closes it.
# The window is opened by the desktop watcher (--watch, started in the user's session by
# /etc/xdg/autostart/cea-failure-watch.desktop) from a record file in $CEA_RUN_DIR/failures; with no
# desktop session watching, the text goes to every terminal (wall) and stays in the journal.
#
# Usage: service_error_handler.sh UNIT        report UNIT's failure (what the unit runs)
#        service_error_handler.sh --watch     the desktop watcher (in the user's X session)
#        service_error_handler.sh --window FILE   show FILE in a terminal window now
# Environment: CEA_FAILURE_LOG (/var/lib/cea/service-failures.log), REDIS_URL (no password there: user cea-monitor with REDIS_MONITOR_PASSWORD), CEA_RUN_DIR (/run/cea),
#   CEA_TERMINAL (a terminal emulator to prefer), DISPLAY/XAUTHORITY (--watch, --window).
# Exit status: 0 reported (or watching until stopped), 1 a window could not be opened, 2 usage.
set -uo pipefail
prog=service_error_handler.sh
run_dir=${CEA_RUN_DIR:-/run/cea}
records=$run_dir/failures beats=$run_dir/desktop
usage() { sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

# the terminal emulators, in order: Raspberry Pi OS's, Debian's alternative, GNOME's, plain X
open_window() { # open_window TITLE FILE: a terminal showing FILE until closed; returns when it started
  local title=$1 file=$2 t show
  show='cat -- "$0"; printf "\n(This window stays open until you close it.)\n"; while :; do sleep 3600; done'
  for t in ${CEA_TERMINAL:-} lxterminal x-terminal-emulator gnome-terminal xterm; do
    command -v "$t" >/dev/null 2>&1 || continue
    case ${t##*/} in
      lxterminal) setsid lxterminal -t "$title" -e bash -c "$show" "$file" >/dev/null 2>&1 & ;;
      gnome-terminal) setsid gnome-terminal --title="$title" -- bash -c "$show" "$file" >/dev/null 2>&1 & ;;
      xterm) setsid xterm -T "$title" -geometry 132x62 -fa Monospace -fs 8 -e bash -c "$show" "$file" >/dev/null 2>&1 & ;;
      *) setsid "$t" -T "$title" -e bash -c "$show" "$file" >/dev/null 2>&1 & ;;
    esac
    sleep 1
    kill -0 $! 2>/dev/null && return 0
  done
  return 1
}

# a file of ours or the cea services' (the setgid records directory), never a link
trusted() { [ -f "$1" ] && [ ! -L "$1" ] && { [ -O "$1" ] || [ "$(stat -c %U "$1")" = cea ]; }; }

watch_loop() { # the desktop watcher: a heartbeat for the handler, a window per new record
  local uid seen f copy
  [ -n "${DISPLAY:-}" ] || { echo "$prog --watch: no DISPLAY: run it in the desktop session" >&2; exit 2; }
  uid=$(id -u) seen=${XDG_CACHE_HOME:-$HOME/.cache}/cea-failure-watch
  mkdir -p "$seen" && chmod 0700 "$seen"
  # records already there at login are shown too (the failure happened while nobody watched)
  while :; do
    if [ -d "$beats" ] && [ ! -L "$beats" ]; then
      [ -L "$beats/$uid" ] && rm -f "$beats/$uid"
      touch "$beats/$uid" 2>/dev/null
    fi
    for f in "$records"/*.txt; do
      trusted "$f" || continue
      [ -e "$seen/${f##*/}" ] && continue
      copy=$seen/${f##*/}
      cat -- "$f" > "$copy" 2>/dev/null || continue
      open_window "CEA: $(head -n 1 "$copy" | cut -c1-80)" "$copy" \
        || logger -p daemon.err -t cea-failure "$prog --watch: no terminal emulator could open a window for $f"
    done
    sleep 2
  done
}

watching() { # a desktop watcher beat in the last 30 s (a file named by its uid, owned by that uid)
  local f now; now=$(date +%s)
  [ -d "$beats" ] || return 1
  for f in "$beats"/*; do
    [ -f "$f" ] && [ ! -L "$f" ] || continue
    [[ ${f##*/} =~ ^[0-9]+$ ]] && [ "$(stat -c %u "$f")" = "${f##*/}" ] || continue
    (( now - $(stat -c %Y "$f") <= 30 )) && return 0
  done
  return 1
}

case ${1:-} in
  -h|--help) usage; exit 0 ;;
  --watch) [ $# -eq 1 ] || { echo "$prog: --watch takes no argument" >&2; exit 2; }; watch_loop ;;
  --window) [ $# -eq 2 ] && [ -f "$2" ] || { echo "$prog: --window FILE (an existing file)" >&2; exit 2; }
            open_window "CEA: $(head -n 1 "$2" | cut -c1-80)" "$2" || { echo "$prog: no terminal emulator opened a window (lxterminal, x-terminal-emulator, gnome-terminal, xterm)" >&2; exit 1; }
            exit 0 ;;
  "") echo "$prog: usage: $prog UNIT | --watch | --window FILE (see --help)" >&2; exit 2 ;;
  -*) echo "$prog: unknown option '$1' (see --help)" >&2; exit 2 ;;
esac
unit=$1
[[ $unit =~ ^[A-Za-z0-9@._:-]+$ ]] || { echo "$prog: '$unit' is not a unit name" >&2; exit 2; }
log=${CEA_FAILURE_LOG:-/var/lib/cea/service-failures.log}
when=$(date -u +%Y-%m-%dT%H:%M:%SZ)
state=$(systemctl show -p ActiveState,SubState,Result,ExecMainStatus --value "$unit" 2>/dev/null | paste -sd' ')
tail_lines=$(journalctl -u "$unit" -n 50 --no-pager -o short-iso 2>/dev/null)
last_error=$(journalctl -u "$unit" -p err -n 1 --no-pager -o cat 2>/dev/null)
[ -n "$last_error" ] || last_error=$(journalctl -u "$unit" -n 200 --no-pager -o cat 2>/dev/null | grep -iE 'error|exception|fatal|fail' | tail -n 1)
msg="$when CEA service failed: $unit ($state)"
logger -p daemon.err -t cea-failure "$msg"
# the log file: ours (user cea) or nothing; never through a link
if [ -L "$log" ] || { [ -e "$log" ] && [ ! -O "$log" ]; }; then
  logger -p daemon.err -t cea-failure "$prog: $log is a link or not owned by $(id -un): not written"
elif mkdir -p "$(dirname "$log")" 2>/dev/null; then
  { echo "$msg"; echo "$tail_lines" | sed 's/^/    /'; } >> "$log"
fi
if command -v redis-cli >/dev/null 2>&1; then
  # the password goes by environment (REDISCLI_AUTH), never in argv
  url=${REDIS_URL:-redis://127.0.0.1:6379}
  # (redis-cli reads redis://NAME@host as a password: the user goes by --user)
  auth= ruser=()
  if [[ $url =~ ^(rediss?://)([^@/]*)@(.*)$ ]]; then
    info=${BASH_REMATCH[2]} url=${BASH_REMATCH[1]}${BASH_REMATCH[3]}
    if [[ $info == *:* ]]; then auth=${info#*:}; [ -n "${info%%:*}" ] && ruser=(--user "${info%%:*}"); else auth=$info; fi
  elif [ -n "${REDIS_MONITOR_PASSWORD:-}" ]; then
    # no password in the URL: the monitors' ACL user, which may LPUSH/LTRIM service:failures (etc/redis-users.conf)
    auth=$REDIS_MONITOR_PASSWORD ruser=(--user cea-monitor)
  fi
  # the list and its cap as lib-redisio's ServiceFailures.KEY and MAX_ENTRIES (BinScriptsIT checks them)
  failures_key=service:failures failures_max=100
  REDISCLI_AUTH=$auth redis-cli --no-auth-warning -u "$url" "${ruser[@]}" LPUSH "$failures_key" "$msg" >/dev/null 2>&1 \
    && REDISCLI_AUTH=$auth redis-cli --no-auth-warning -u "$url" "${ruser[@]}" LTRIM "$failures_key" 0 $((failures_max - 1)) >/dev/null 2>&1
fi
text="CEA service failed: $unit
When:     $when (UTC)
State:    $state
Last error:
    ${last_error:-(none in the journal)}

Last 50 log lines (journalctl -u $unit -n 50):
$(sed 's/^/    /' <<< "$tail_lines")

Check it:    systemctl status $unit
Read logs:   journalctl -u $unit -e
Restart it:  sudo systemctl reset-failed $unit && sudo systemctl restart $unit"
shown=0
if watching && [ -d "$records" ] && [ ! -L "$records" ] && [ -w "$records" ]; then
  name=$(date -u +%Y%m%dT%H%M%S)-failure-$(printf '%s' "$unit" | tr -c 'A-Za-z0-9._-' '_')-$$.txt
  # written under a temporary name (noclobber: never through a planted link) and renamed
  if (set -o noclobber; printf '%s\n' "$text" > "$records/.$name") 2>/dev/null \
      && chmod 0640 "$records/.$name" && mv -T "$records/.$name" "$records/$name"; then
    shown=1
  fi
fi
[ "$shown" = 1 ] || printf '%s\n' "$text" | head -n 30 | wall 2>/dev/null || true
echo "$msg" >&2
exit 0
