#!/usr/bin/env bash
# Benchmark of cea-automation (run by `make bench` through scripts/bench.sh, or alone after a build).
#
# At facility load (the scanner's simulator in real time: 15 frames/s, every sensor once a second)
# through the real worker, cea-automation runs a band rule on co2_b with no hold time and a webhook
# notifier; the simulator drives co2_b across the band every 3 s (--sim-set windows), 40 times, so
# each crossing is one transition (firing, then resolved). A local HTTP receiver (python3) stamps
# each notification on arrival; latency = arrival - the reading's own time (the event's ts is the
# reading's, DESIGN.md "Automation"), so it covers worker, Redis, rules engine, stream, notifier and
# HTTP. Prints p50/p99/max. Targets: reading -> notification p99 < 1 s; cea-automation RSS <= 64 MB
# (VmHWM, the peak, of its JVM run by bin/cea-automation's flags). The machine is shared and noisy:
# rerun to compare. Private redis-server on a free port, SQLite in a temp dir. About 3 minutes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${CEA_BUILD_DIR:-target}
for m in scanner worker automation; do
  [ -f "tools/$m/$build/$( [ $m = automation ] && echo cea-automation || echo can-$m ).jar" ] \
    || mvn -q -DskipTests -DskipITs package -pl "tools/$m" -am >/dev/null
done
bench_name=bench-automation
. scripts/lib-bench.sh
bench_mktemp /tmp/cea-bench-automation.XXXXXX
redis_port=$(free_port); hook_port=$(free_port)
bench_redis "$redis_port" "$tmp" "$tmp/redis.log"
redis_url="redis://127.0.0.1:$redis_port"

cat > "$tmp/receiver.py" <<'PY'
import http.server, json, sys, time
out = open(sys.argv[2], "a", buffering=1)
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        now = time.time() * 1000
        e = json.loads(body)["event"]
        out.write("%d %d %s\n" % (now, e["ts"], e["transition"]))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$tmp/receiver.py" "$hook_port" "$tmp/arrivals.txt" & pids+=($!)
cat > "$tmp/automation.json" <<JSON
{"evaluation_period_s": 1,
 "rules": [{"name": "co2_high", "kind": "band", "sensor": "co2_b", "max": 1500, "hysteresis": 100}],
 "notifiers": [{"name": "webhook", "type": "webhook", "url": "http://127.0.0.1:$hook_port/alerts", "rate_per_minute": 600}]}
JSON
sets=()
crossings=40
for i in $(seq 0 $((crossings / 2 - 1))); do
  from=$((10 + 6 * i))
  sets+=(--sim-set "1:co2=1800@$from-$((from + 3))")
done
end_s=$((10 + 3 * crossings + 8))
db="jdbc:sqlite:$tmp/cea.db"
bin/can-worker --redis-url "$redis_url" --db-url "$db" >"$tmp/worker.log" 2>&1 & pids+=($!)
bin/cea-automation --config "$tmp/automation.json" --redis-url "$redis_url" --metrics-listen off >"$tmp/automation.log" 2>&1 &
auto=$!; pids+=($auto)
sleep 3
bin/can-scanner --source sim --redis-url "$redis_url" --no-db --quiet --stats-interval 0 --spool-dir "$tmp/spool" \
  --duration "$end_s" "${sets[@]}" >"$tmp/scanner.log" 2>&1 & pids+=($!)
echo "bench-automation: facility simulator for $end_s s, co2_b across its band $crossings times; cea-automation pid $auto"
for _ in $(seq $((end_s + 30))); do
  n=$( [ -f "$tmp/arrivals.txt" ] && wc -l < "$tmp/arrivals.txt" || echo 0)
  [ "$n" -ge "$crossings" ] && break
  sleep 1
done
sleep 2
hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$auto/status")
rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$auto/status")
n=$(wc -l < "$tmp/arrivals.txt")
awk '{print $1 - $2}' "$tmp/arrivals.txt" | sort -n > "$tmp/lat.txt"
pct() { awk -v p="$1" '{a[NR]=$1} END {i=int((NR-1)*p/100)+1; if (i>NR) i=NR; print a[i]}' "$tmp/lat.txt"; }
p50=$(pct 50); p99=$(pct 99); max=$(tail -n 1 "$tmp/lat.txt")
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench-automation: $n notifications of $crossings transitions (load average $load)"
echo "bench-automation: reading -> notification p50 ${p50} ms, p99 ${p99} ms, max ${max} ms (target p99 < 1000 ms)"
echo "bench-automation: cea-automation RSS ${rss} MB now, peak ${hwm} MB (target <= 64 MB)"
ok=1
[ "$n" -ge "$crossings" ] || { echo "bench-automation: FAILED: only $n of $crossings transitions notified" >&2; ok=0; }
[ "${p99:-99999}" -lt 1000 ] || { echo "bench-automation: target missed: p99 ${p99} ms" >&2; ok=0; }
[ "${hwm:-999}" -le 64 ] || { echo "bench-automation: target missed: peak RSS ${hwm} MB" >&2; ok=0; }
[ "$ok" = 1 ]
