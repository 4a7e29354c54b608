#!/bin/bash
# Cost of Redis's appendfsync modes at facility load: a private redis-server with the AOF in a
# temporary directory on the disk under test, RATE XADDs per second on one connection for SECS
# seconds, each round trip timed; prints p50/p99/max latency and the server's CPU time per mode.
#   scripts/bench-appendfsync.sh [RATE=30] [SECS=20] [DIR=/var/tmp]
# README "Power cuts: what can be lost" holds the figures and the choice made from them.
set -euo pipefail
rate=${1:-30} secs=${2:-20} base=${3:-/var/tmp}
command -v redis-server >/dev/null && command -v python3 >/dev/null || { echo "needs redis-server and python3" >&2; exit 2; }
for mode in everysec always; do
  dir=$(mktemp -d "$base/cea-fsync-$mode.XXXXXX")
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly yes --appendfsync "$mode" --save "" \
    --logfile "$dir/redis.log" &
  pid=$!
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  cpu0=$(awk '{print $14+$15}' "/proc/$pid/stat")
  lat=$(python3 - "$port" "$rate" "$secs" <<'PY'
import socket, sys, time
port, rate, secs = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port)); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
f = s.makefile("rb"); lat = []; t0 = time.monotonic()
for i in range(int(rate * secs)):
    d = t0 + i / rate - time.monotonic()
    if d > 0:
        time.sleep(d)
    cmd = b'XADD can:raw MAXLEN ~ 1000000 * id 0x101 data "CC 09 A3 07 00 00 00 %02X" ts %d dlc 8\r\n' % (i & 0xFF, int(time.time() * 1000))
    a = time.perf_counter(); s.sendall(cmd); line = f.readline(); b = time.perf_counter()
    if not line.startswith(b"$"):
        sys.exit("XADD refused: %r" % line)
    f.readline(); lat.append((b - a) * 1000)
lat.sort(); q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print("n=%d p50=%.2f p99=%.2f max=%.2f ms" % (len(lat), q(0.5), q(0.99), lat[-1]))
PY
)
  cpu1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  ticks=$(getconf CLK_TCK)
  echo "appendfsync $mode, $rate XADD/s for $secs s: $lat; redis-server CPU $(( (cpu1 - cpu0) * 1000 / ticks )) ms; load $(cut -d' ' -f1-3 /proc/loadavg)"
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
done
