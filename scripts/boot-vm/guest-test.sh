#!/usr/bin/env bash
# The boot test's driver inside the guest (run by cea-boottest.service under the guest's systemd,
# PID 1). Phase "first" (fresh disk): make install, database and Redis set up, the pipeline started in
# its order, kill -9 of scanner/worker/api with exact counts, a unit failing for good, the
# OnFailure/Restart experiment, then traffic and a signal to the host to cut the power.
# Phase "cold" (same disk, after the power cut): every unit back on its own, the data counted.
# Reports to /mnt/cea-control (report.txt, status, cut); see run-boot.sh.
set -uo pipefail
C=/mnt/cea-control
root=$(cat $C/root)
phase=$(cat $C/phase)
cd "$root" || exit 1
export PGPASSWORD_W=wpw-boot-1 PGPASSWORD_R=rpw-boot-1 REDIS_PW=redis-boot-1
UNITS="can-setup can-scanner can-worker can-api cea-automation"
fails=0
t0=$(date +%s)
# the CEA units' journal, refreshed for whoever watches from the host (target/boot-test/ at the end)
( while sleep 10; do
    journalctl -b --no-pager -o short-monotonic -u 'can-*' -u 'cea-*' -u redis-server -u 'postgresql*' > $C/live-journal.tmp 2>&1
    mv -f $C/live-journal.tmp $C/live-journal.txt
  done ) &
log() { printf '[boot-test %4ss] %s\n' "$(( $(date +%s) - t0 ))" "$*" | tee -a $C/report.txt; }
check() { # check DESCRIPTION COMMAND...  (PASS/FAIL line in the report)
  local what=$1; shift
  if "$@"; then log "PASS $what"; else log "FAIL $what"; fails=$((fails + 1)); return 1; fi
}
finish() {
  log "phase $phase: $fails failure(s), $(( $(date +%s) - t0 )) s"
  journalctl -b --no-pager -o short-monotonic > $C/journal-$phase.txt 2>&1
  sync; echo "$fails" > $C/status-$phase; sync
  [ "${1:-}" = stay ] && sleep infinity
  systemctl poweroff --no-block
  exit 0
}
wait_for() { # wait_for SECONDS COMMAND...
  local limit=$(( $(date +%s) + $1 )); shift
  until "$@"; do [ "$(date +%s)" -lt "$limit" ] || return 1; sleep 1; done
}
sql() { PGPASSWORD=$PGPASSWORD_R psql -h 127.0.0.1 -U cea_reader -d cea_sensors -Atqc "$1" 2>/dev/null; }
count() { sql "SELECT count(*) || ' ' || count(DISTINCT source_id) FROM can_messages"; }
rcli() { REDISCLI_AUTH=$REDIS_PW redis-cli --no-auth-warning -p 6379 "$@"; }
active() { local u; for u in "$@"; do [ "$(systemctl is-active "$u")" = active ] || return 1; done; }
scanner_reading() { journalctl -b -u can-scanner -o cat --since "@$1" 2>/dev/null | grep -q 'reading socketcan:vcan0'; }
main_pid() { systemctl show -p MainPID --value "$1"; }
restarts() { systemctl show -p NRestarts --value "$1"; }
frames_are() { [ "$(count)" = "$1 $1" ]; }

show_order() { # start times (monotonic, this boot) of the chain, checked in order
  local prev=0 u t ok=0
  for u in postgresql@15-main redis-server can-setup can-scanner can-worker can-api cea-automation; do
    t=$(systemctl show -p ExecMainStartTimestampMonotonic --value "$u")
    [ "$u" = can-setup ] && t=$(systemctl show -p ActiveEnterTimestampMonotonic --value "$u")
    log "  start $u: $(awk -v t="$t" 'BEGIN { printf "%.3f s", t / 1e6 }') ($(systemctl is-active "$u"))"
    [ "${t:-0}" -ge "$prev" ] || ok=1
    prev=${t:-0}
  done
  return $ok
}

if [ "$phase" = first ]; then
  log "phase first: systemd $(systemctl --version | head -1), kernel $(uname -r), $(nproc) CPUs"
  wait_for 300 active postgresql@15-main redis-server || log "postgresql/redis not active"
  # make install, as on the Pi (README "Install on a Raspberry Pi")
  check "make install" bash -c "make -s install > $C/install.log 2>&1"
  check "/etc/cea/cea.env root:cea 0640" test "$(stat -c '%U:%G %a' /etc/cea/cea.env)" = "root:cea 640"
  sed -i -e "s|^CAN_IFACE=.*|CAN_IFACE=vcan0|" \
    -e "s|^REDIS_URL=.*|REDIS_URL=redis://:$REDIS_PW@127.0.0.1:6379\nREDIS_PASSWORD=$REDIS_PW|" \
    -e "s|cea_writer:CHANGE_ME|cea_writer:$PGPASSWORD_W|; s|cea_reader:CHANGE_ME|cea_reader:$PGPASSWORD_R|" \
    -e "s|^CEA_READER_PASSWORD=.*|CEA_READER_PASSWORD=$PGPASSWORD_R|" /etc/cea/cea.env
  check "cea-db-setup" bash -c "cd / && runuser -u postgres -- env CEA_WRITER_PASSWORD=$PGPASSWORD_W CEA_READER_PASSWORD=$PGPASSWORD_R /opt/cea/bin/cea-db-setup > $C/db-setup.log 2>&1"
  systemctl restart postgresql@15-main redis-server
  check "Redis asks for the password from cea.env" bash -c "redis-cli -p 6379 PING 2>&1 | grep -q NOAUTH && REDISCLI_AUTH=$REDIS_PW redis-cli --no-auth-warning PING | grep -q PONG"
  check "Redis has the project's settings (appendfsync everysec, maxmemory 256 MB)" \
    bash -c "[ \"\$(REDISCLI_AUTH=$REDIS_PW redis-cli --no-auth-warning CONFIG GET appendfsync | tail -1)\" = everysec ] && [ \"\$(REDISCLI_AUTH=$REDIS_PW redis-cli --no-auth-warning CONFIG GET maxmemory | tail -1)\" = 268435456 ]"
  check "PostgreSQL has the Pi tuning (checkpoint_timeout 15min)" test "$(sql 'SHOW checkpoint_timeout')" = 15min
  since=$(date +%s)
  systemctl start $UNITS
  check "every unit active" wait_for 240 active $UNITS || finish
  check "scanner reading vcan0" wait_for 240 scanner_reading "$since" || finish
  check "start order postgresql, redis, can-setup -> scanner -> worker -> api -> automation" show_order
  check "can-setup configured vcan0 (txqueuelen 1000)" bash -c "ip link show vcan0 | grep -q 'qlen 1000'"
  check "no secret in any argv (ps)" bash -c "! ps -eo args | grep -v grep | grep -E '$PGPASSWORD_W|$PGPASSWORD_R|$REDIS_PW'"
  check "can-api's environment has the reader URL only" bash -c "tr '\0' '\n' < /proc/$(main_pid can-api)/environ | grep -q '^DB_URL=postgresql://cea_reader' && ! tr '\0' '\n' < /proc/$(main_pid can-api)/environ | grep -q cea_writer"
  for u in $UNITS; do log "  security $u: $(systemd-analyze security "$u" 2>/dev/null | tail -1 | sed 's/.*: //')"; done

  sent=0
  burst() { cangen vcan0 -n "$1" -g "${2:-4}" -I r -L 8 -D r; sent=$((sent + $1)); }
  burst 400
  check "400 frames in can_messages" wait_for 120 frames_are $sent
  for u in can-scanner can-worker can-api; do
    pid=$(main_pid $u) n=$(restarts $u) since=$(date +%s)
    if [ $u = can-worker ]; then cangen vcan0 -n 600 -g 4 -I r -L 8 -D r & gen=$!; sleep 1; fi
    kill -9 "$pid"
    log "kill -9 $u (pid $pid)"
    check "$u restarted (NRestarts $n -> $((n + 1)))" wait_for 120 bash -c "[ \$(systemctl show -p NRestarts --value $u) -gt $n ] && [ \$(systemctl is-active $u) = active ]"
    [ $u = can-scanner ] && check "scanner reading again" wait_for 180 scanner_reading "$since"
    if [ $u = can-worker ]; then wait $gen; sent=$((sent + 600)); else burst 300; fi
    check "after kill -9 $u: $sent frames, each once" wait_for 180 frames_are $sent
  done
  check "api answers after its restart" wait_for 120 bash -c "curl -fsS http://127.0.0.1:8000/health >/dev/null"

  # OnFailure= with Restart=always (README "Restarts and failures"): what really happens
  cat > /run/systemd/system/exp-handler@.service <<'U'
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo %i >> /run/exp-handled'
U
  for v in nolimit:0:1 limited:120:5; do
    IFS=: read -r name ival burst_ <<< "$v"
    printf '[Unit]\nOnFailure=exp-handler@%%n.service\nStartLimitIntervalSec=%s\nStartLimitBurst=%s\n[Service]\nExecStart=/bin/false\nRestart=always\nRestartSec=1\nExecStopPost=/bin/sh -c '"'"'echo "$$SERVICE_RESULT $$EXIT_CODE $$EXIT_STATUS" >> /run/exp-stoppost-%s'"'"'\n' \
      "$ival" "$burst_" "$name" > /run/systemd/system/exp-$name.service
  done
  systemctl daemon-reload
  systemctl start exp-nolimit exp-limited
  sleep 20
  for name in nolimit limited; do
    log "  experiment exp-$name: $(systemctl show -p ActiveState,SubState,Result,NRestarts exp-$name | paste -sd' '),"\
"OnFailure handler runs: $(grep -c "exp-$name" /run/exp-handled 2>/dev/null || echo 0), ExecStopPost runs: $(wc -l < /run/exp-stoppost-$name 2>/dev/null || echo 0) ($(head -1 /run/exp-stoppost-$name 2>/dev/null))"
  done
  check "Restart=always + StartLimitIntervalSec=0: OnFailure never runs" bash -c "! grep -q exp-nolimit /run/exp-handled 2>/dev/null"
  check "Restart=always + StartLimitBurst=5/120s: failed, OnFailure ran once" bash -c "[ \$(grep -c exp-limited /run/exp-handled) = 1 ] && [ \$(systemctl is-failed exp-limited) = failed ]"
  systemctl stop exp-nolimit; systemctl reset-failed exp-limited 2>/dev/null

  # a unit that fails for good: the failure handler runs
  mkdir -p /run/systemd/system/can-api.service.d
  printf '[Service]\nExecStart=\nExecStart=/bin/false\n' > /run/systemd/system/can-api.service.d/zz-boottest-fail.conf
  systemctl daemon-reload
  since=$(date +%s)
  systemctl restart can-api
  check "can-api failed for good (start limit)" wait_for 120 bash -c "[ \$(systemctl is-failed can-api) = failed ]"
  check "the failure handler ran (cea-service-failure@can-api.service.service)" wait_for 60 bash -c "journalctl -b -t cea-failure -o cat --since @$since | grep -q 'can-api.service'"
  check "its record in /var/lib/cea/service-failures.log (owner cea)" bash -c "grep -q 'can-api.service' /var/lib/cea/service-failures.log && [ \$(stat -c %U /var/lib/cea/service-failures.log) = cea ]"
  check "its record in Redis service:failures" bash -c "REDISCLI_AUTH=$REDIS_PW redis-cli --no-auth-warning LRANGE service:failures 0 0 | grep -q can-api.service"
  log "  handler: $(systemctl show -p Result,ExecMainStatus,User cea-service-failure@can-api.service.service | paste -sd' ')"
  [ -n "$(ls /run/cea/failures 2>/dev/null)" ] && log "  record for the desktop: $(ls /run/cea/failures | head -1)"
  rm -rf /run/systemd/system/can-api.service.d
  systemctl daemon-reload; systemctl reset-failed can-api; systemctl start can-api
  check "can-api back" wait_for 120 active can-api

  # traffic, then the power cut (the host kills qemu when it sees $C/cut)
  rate_gap=5 n=3000
  log "power-cut traffic: $n frames at one per ${rate_gap} ms"
  burst $n $rate_gap
  echo "$sent" > $C/sent; sync
  log "sent $sent frames in all; stored before the cut: $(count); cutting the power"
  log "phase $phase: $fails failure(s), $(( $(date +%s) - t0 )) s"
  journalctl -b --no-pager -o short-monotonic > $C/journal-$phase.txt 2>&1
  sync; echo "$fails" > $C/status-$phase; sync
  echo cut > $C/cut; sync
  sleep infinity
fi

if [ "$phase" = cold ]; then
  sent=$(cat $C/sent)
  log "phase cold: after the power cut; $sent frames were sent before it"
  check "every unit active after the cold boot" wait_for 400 active postgresql@15-main redis-server $UNITS
  check "start order at boot" show_order
  journalctl -b -o short-monotonic --no-pager 2>/dev/null | grep -E 'Start(ed|ing) (PostgreSQL|Advanced key|CEA)|Finished CEA can-setup' | sed 's/^/  /' | tee -a $C/report.txt
  prev=; stable=0
  for i in $(seq 1 120); do
    c=$(count); [ -n "$c" ] && [ "$c" = "$prev" ] && stable=$((stable + 1)) || stable=0
    prev=$c; [ $stable -ge 10 ] && break; sleep 1
  done
  rows=${prev% *} distinct=${prev#* }
  loss=$((sent - distinct))
  log "after the cold boot: $rows rows, $distinct distinct frames of $sent sent: $loss lost"
  check "no frame stored twice" test "$rows" = "$distinct"
  # documented bound (README): Redis appendfsync everysec, up to 2 s of frames (here 200/s) + one scanner batch
  check "loss $loss within the bound (0..600)" test "$loss" -ge 0 -a "$loss" -le 600
  [ -f "$root/scripts/boot-vm/guest-backup-test.sh" ] && { . "$root/scripts/boot-vm/guest-backup-test.sh"; }
  finish
fi
