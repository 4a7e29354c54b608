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
( while sleep 30; do
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

show_order() { # start times (monotonic, this boot), one systemctl call: postgresql, redis-server and
  # can-setup (in any order among themselves) before can-scanner -> can-worker -> can-api -> cea-automation
  local prev=0 ok=0 id t
  while read -r id t state; do
    log "  start $id: $(awk -v t="$t" 'BEGIN { printf "%.3f s", t / 1e6 }') ($state)"
    case $id in
      postgresql*|redis-server*|can-setup*) [ "${t:-0}" -gt "$prev" ] && prev=${t:-0} ;;
      *) [ "${t:-0}" -ge "$prev" ] || ok=1; prev=${t:-0} ;;
    esac
  done < <(systemctl show -p Id,ActiveEnterTimestampMonotonic,ActiveState postgresql@15-main redis-server can-setup \
             can-scanner can-worker can-api cea-automation | awk -F= '
             $1 == "Id" { id = $2 } $1 == "ActiveState" { st = $2 }
             $1 == "ActiveEnterTimestampMonotonic" { t = $2 }
             /^$/ { print id, t, st } END { print id, t, st }' | awk 'NF == 3')
  return $ok
}

if [ "$phase" = first ]; then
  log "phase first: systemd $(systemctl --version | head -1), kernel $(uname -r), $(nproc) CPUs"
  wait_for 300 active postgresql@15-main redis-server || log "postgresql/redis not active"
  # make install, as on the Pi (README "Install on a Raspberry Pi")
  check "make install" bash -c "make -s install > $C/install.log 2>&1"
  check "/etc/cea/cea.env root:cea 0640" test "$(stat -c '%U:%G %a' /etc/cea/cea.env)" = "root:cea 640"
  sed -i -e "s|^CAN_IFACE=.*|CAN_IFACE=vcan0|" \
    -e "s|^REDIS_PASSWORD=.*|REDIS_PASSWORD=$REDIS_PW|" \
    -e "s|cea_writer:CHANGE_ME|cea_writer:$PGPASSWORD_W|; s|cea_reader:CHANGE_ME|cea_reader:$PGPASSWORD_R|" \
    -e "s|^CEA_READER_PASSWORD=.*|CEA_READER_PASSWORD=$PGPASSWORD_R|" /etc/cea/cea.env
  # emulated CPU: C1 only, so the four JVMs start in tens of seconds rather than minutes
  echo "JAVA_OPTS=-Xmx96m -XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1" >> /etc/cea/cea.env
  check "cea-db-setup" bash -c "cd / && runuser -u postgres -- env CEA_WRITER_PASSWORD=$PGPASSWORD_W CEA_READER_PASSWORD=$PGPASSWORD_R /opt/cea/bin/cea-db-setup > $C/db-setup.log 2>&1"
  systemctl restart postgresql@15-main; systemctl restart redis-server
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
  check "make install gave every Redis service user a password" bash -c "grep -Ec '^REDIS_(SCANNER|WORKER|API|AUTOMATION|MONITOR)_PASSWORD=[A-Za-z0-9_-]{32}$' /etc/cea/cea.env | grep -qx 5"
  check "each service logged in to Redis as its own ACL user" bash -c "c=\$(REDISCLI_AUTH=$REDIS_PW redis-cli --no-auth-warning -p 6379 CLIENT LIST); for u in cea-scanner cea-worker cea-api cea-automation; do grep -q \"user=\$u \" <<< \"\$c\" || exit 1; done"
  check "Redis refused no command of the services (ACL LOG empty)" bash -c "[ -z \"\$(REDISCLI_AUTH=$REDIS_PW redis-cli --no-auth-warning -p 6379 ACL LOG)\" ]"
  check "can-api's environment has the reader URL only" bash -c "tr '\0' '\n' < /proc/$(main_pid can-api)/environ | grep -q '^DB_URL=postgresql://cea_reader' && ! tr '\0' '\n' < /proc/$(main_pid can-api)/environ | grep -q cea_writer"

  sent=0
  burst() { cangen vcan0 -n "$1" -g "${2:-4}" -I r -L 8 -D r; sent=$((sent + $1)); }
  burst 400
  check "400 frames in can_messages" wait_for 120 frames_are $sent
  # kill -9 of worker and api in the middle of a burst (the scanner keeps reading), then of the scanner
  # between bursts (a frame on the bus while no scanner runs is not read by anyone)
  nw=$(restarts can-worker) na=$(restarts can-api)
  cangen vcan0 -n 600 -g 4 -I r -L 8 -D r & gen=$!
  sleep 1
  kill -9 "$(main_pid can-worker)" "$(main_pid can-api)"
  log "kill -9 can-worker and can-api during a 600-frame burst"
  wait $gen; sent=$((sent + 600))
  check "can-worker restarted (NRestarts $nw -> $((nw + 1)))" wait_for 300 bash -c "[ \$(systemctl show -p NRestarts --value can-worker) -gt $nw ]"
  check "can-api restarted (NRestarts $na -> $((na + 1)))" wait_for 300 bash -c "[ \$(systemctl show -p NRestarts --value can-api) -gt $na ]"
  check "after kill -9 of worker and api: $sent frames, each once" wait_for 400 frames_are $sent
  ns=$(restarts can-scanner) since=$(date +%s)
  kill -9 "$(main_pid can-scanner)"
  log "kill -9 can-scanner"
  check "can-scanner restarted (NRestarts $ns -> $((ns + 1)))" wait_for 300 bash -c "[ \$(systemctl show -p NRestarts --value can-scanner) -gt $ns ]"
  check "scanner reading again" wait_for 400 scanner_reading "$since"
  # A scanner JVM just started under emulation drains its socket slowly: at 250 frames/s the kernel
  # dropped 22 of 300 frames from the socket's receive queue (run of 2026-12-02; the scanner does not
  # count kernel drops). 50 frames/s here, the facility's order of magnitude.
  burst 300 20
  check "after kill -9 of the scanner: $sent frames, each once" wait_for 300 frames_are $sent
  # /health answers 503 while the pipeline is degraded (a fresh start): any HTTP answer counts here
  check "api answers after its restart" wait_for 400 bash -c "[ \"\$(curl -s -o /dev/null -w %{http_code} http://127.0.0.1:8000/health)\" != 000 ]"

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
"OnFailure handler runs: $(cat /run/exp-handled 2>/dev/null | grep -c "exp-$name"), ExecStopPost runs: $(wc -l < /run/exp-stoppost-$name 2>/dev/null || echo 0) ($(head -1 /run/exp-stoppost-$name 2>/dev/null))"
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
  check "can-api back (started again)" active can-api

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
