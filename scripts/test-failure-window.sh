#!/usr/bin/env bash
# make test-window (part of make test): the failure handler's desktop window under a virtual X display
# (Xvfb) with a real terminal emulator (xterm from Debian), and its fallbacks.
#  - the desktop watcher (service_error_handler.sh --watch) beats; the handler writes a record; a
#    terminal window titled with the unit opens and shows the record; screenshot in
#    target/failure-window/window.png
#  - no watcher: no record, wall and the journal instead (exit 0)
#  - a log file or records directory that is a link is not written through
# Usage: scripts/test-failure-window.sh
# Needs: xvfb xterm x11-utils imagemagick (scripts/ensure-deps.sh test)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ "${1:-}" = --help ] && { sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0; }
for t in Xvfb xterm xwininfo import; do
  command -v $t >/dev/null || { echo "test-window: $t is missing: run 'make deps'" >&2; exit 1; }
done
out=$root/target/failure-window
rm -rf "$out"; mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/cea-window.XXXXXX")
xpid= wpid=
cleanup() {
  [ -n "$wpid" ] && kill "$wpid" 2>/dev/null
  for p in $(cat "$work/terms" 2>/dev/null); do kill "$p" 2>/dev/null; done
  [ -n "$xpid" ] && kill "$xpid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
failed=0
fail() { echo "FAIL $*" >&2; failed=$((failed + 1)); }
ok() { echo "ok   $*"; }
h=$root/bin/service_error_handler.sh
run=$work/run; mkdir -p "$run/failures" "$run/desktop" "$work/home"
export CEA_RUN_DIR=$run CEA_FAILURE_LOG=$work/service-failures.log REDIS_URL=redis://:never-in-argv@127.0.0.1:1

# 1. no desktop watching: no record, exit 0, the log written
"$h" cea-test-nodesk.service 2> "$work/nodesk.err"; rc=$?
[ $rc = 0 ] && [ -z "$(ls "$run/failures")" ] && grep -q 'cea-test-nodesk.service' "$CEA_FAILURE_LOG" \
  && ok "no desktop: no window record, logged, exit 0" || fail "no desktop: exit $rc, records: $(ls "$run/failures")"

# 2. links are not followed
ln -s "$work/victim" "$work/link.log"
CEA_FAILURE_LOG=$work/link.log "$h" cea-test-link.service 2>/dev/null
[ ! -e "$work/victim" ] && ok "the log file as a link: not written through" || fail "wrote through $work/link.log"

# 3. the window under Xvfb
for n in $(seq 90 120); do [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ] || break; done
export DISPLAY=:$n
Xvfb "$DISPLAY" -screen 0 1280x1024x24 -nolisten tcp > "$work/xvfb.log" 2>&1 & xpid=$!
for i in $(seq 1 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.2; done
HOME=$work/home CEA_TERMINAL=xterm "$h" --watch > "$work/watch.log" 2>&1 & wpid=$!
for i in $(seq 1 50); do [ -e "$run/desktop/$(id -u)" ] && break; sleep 0.2; done
[ -e "$run/desktop/$(id -u)" ] && ok "the watcher beats in \$CEA_RUN_DIR/desktop/$(id -u)" || fail "no heartbeat from the watcher"
"$h" cea-test-window.service 2> "$work/handler.err"
rec=$(ls "$run/failures"/*.txt 2>/dev/null | head -1)
[ -n "$rec" ] && grep -q '^CEA service failed: cea-test-window.service' "$rec" && grep -q 'systemctl restart cea-test-window.service' "$rec" \
  && grep -q 'Last 50 log lines' "$rec" && ok "record ${rec##*/}: unit, log lines, commands" || fail "no record or incomplete: $rec"
[ -n "$rec" ] && [ "$(stat -c %a "$rec")" = 640 ] && ok "record mode 0640" || fail "record mode $(stat -c %a "$rec" 2>&1)"
title=
for i in $(seq 1 60); do
  title=$(xwininfo -root -tree 2>/dev/null | grep -o '"CEA: CEA service failed: cea-test-window.service"' | head -1)
  [ -n "$title" ] && break; sleep 0.5
done
pgrep -f -- "-T CEA: CEA service failed: cea-test-window.service" > "$work/terms"
[ -n "$title" ] && ok "a terminal window $title is open" || fail "no window titled with the unit: $(xwininfo -root -tree | grep -c '"')"
sleep 2
import -window root "$out/window.png" 2>/dev/null && ok "screenshot target/failure-window/window.png" || fail "screenshot failed"
sleep 3
xwininfo -root -tree 2>/dev/null | grep -q 'CEA service failed: cea-test-window.service' && ok "the window stays open" || fail "the window closed"
grep -q never-in-argv "$work"/*.err && fail "the Redis password in the handler's output" || true

[ $failed = 0 ] && { echo "test-window: all passed"; exit 0; }
echo "test-window: $failed check(s) failed" >&2; exit 1
