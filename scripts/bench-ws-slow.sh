#!/usr/bin/env bash
# Benchmark: can-api with a few hundred WebSocket clients that never read (issue 17: 200 of them grew
# its RSS to 167 MB and were dropped without a log line). Run by `make bench` (scripts/bench.sh) or
# alone after a build.
#
#   A private redis-server on a free port, can-api (bin/can-api, the default small heap of bin/_tool)
#   on SQLite in a temp dir. WsSlow (below, the JDK's source launcher) opens BENCH_WS_SLOW (300) raw
#   sockets that upgrade /ws/live with a 4 KB receive buffer and never read, and one fast client that
#   reads everything, then publishes every sensor of the profile through lib-redisio's
#   LiveStateWriter (as the worker does) every 50 ms for BENCH_WS_SECONDS (20): ~540 updates/s,
#   18x facility load. can-api's RSS (ps) is sampled every 0.5 s.
#   PASS: every slow client disconnected and counted (/health redis.ws_slow_clients_dropped), one
#   log line each, the fast client received updates to the end, no OutOfMemoryError, peak RSS
#   <= 140 MB (the heap of bin/_tool is 96 MB at most: RSS follows the heap as it expands, so the
#   idle figure before is no baseline; what fails without the bound is the heap itself).
#   Measured (2 shared cores, load 4-6): before the per-client bound, 300 such clients took can-api
#   from 81 to 157 MB, 64 OutOfMemoryError lines, no answer to /health, 0 of 300 closed; after it,
#   60-81 -> 126-131 MB, 300 of 300 disconnected, counted and logged, the fast client kept reading.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${CEA_BUILD_DIR:-target}
jar="tools/api/$build/can-api.jar"
[ -f "$jar" ] || mvn -q -DskipTests package -pl tools/api -am >/dev/null
slow=${BENCH_WS_SLOW:-300}
seconds=${BENCH_WS_SECONDS:-20}
bench_name=bench-ws-slow
. scripts/lib-bench.sh
bench_mktemp /tmp/cea-bench-ws.XXXXXX
redis_port=$(free_port)
api_port=$(free_port)
while [ "$api_port" = "$redis_port" ]; do api_port=$(free_port); done
bench_redis "$redis_port" "$tmp/redis" "$tmp/redis.log"

cat >"$tmp/WsSlow.java" <<'JAVA'
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.redisio.LiveStateWriter;
import org.cea.redisio.LiveUpdate;
import org.cea.redisio.RedisConfig;
import redis.clients.jedis.JedisPooled;

/** args: apiPort redisUrl etcDir slowClients seconds */
public class WsSlow {
    static Socket upgrade(int port, int rcvbuf) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(rcvbuf);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        OutputStream out = s.getOutputStream();
        out.write(("GET /ws/live HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IllegalStateException("closed during upgrade: " + head);
            head.append((char) c);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) throw new IllegalStateException("upgrade refused: " + head);
        return s;
    }

    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        int n = Integer.parseInt(a[3]);
        long seconds = Long.parseLong(a[4]);
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < n; i++) slow.add(upgrade(port, 4096));
        System.out.println("OPENED " + n + " slow clients");
        Socket fast = upgrade(port, 65536);
        AtomicLong fastBytes = new AtomicLong();
        AtomicLong fastLast = new AtomicLong();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[65536];
            try (InputStream in = fast.getInputStream()) {
                for (int r; (r = in.read(buf)) >= 0; ) { fastBytes.addAndGet(r); fastLast.set(System.nanoTime()); }
            } catch (Exception e) { }
        });
        reader.setDaemon(true);
        reader.start();
        FacilityProfile profile = FacilityProfile.loadDefault(Path.of(a[2]));
        RedisConfig rc = RedisConfig.fromUrl(a[1]);
        try (JedisPooled jedis = new JedisPooled(rc.hostAndPort(), rc.clientConfig())) {
            LiveStateWriter w = new LiveStateWriter(jedis, System::currentTimeMillis);
            List<String> names = new ArrayList<>(); profile.sensors().forEach(s -> names.add(s.name()));
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long rounds = 0;
            while (System.nanoTime() < end) {
                List<LiveUpdate> u = new ArrayList<>();
                long ts = System.currentTimeMillis();
                for (String s : names) u.add(new LiveUpdate(s, 20 + (rounds % 100) / 10.0, "", ts));
                w.write(u);
                rounds++;
                Thread.sleep(50);
            }
            System.out.println("PUBLISHED " + rounds * names.size() + " updates in " + rounds + " rounds");
        }
        long before = fastBytes.get();
        Thread.sleep(1000);
        System.out.println("FAST received " + fastBytes.get() / 1024 + " KB, last read " + (System.nanoTime() - fastLast.get()) / 1_000_000 + " ms before the end");
        int closed = 0;
        for (Socket s : slow) {
            s.setSoTimeout(300);
            try (InputStream in = s.getInputStream()) {
                byte[] buf = new byte[65536];
                while (in.read(buf) >= 0) { }
                closed++;
            } catch (java.net.SocketTimeoutException e) {
            } catch (Exception e) { closed++; }
        }
        System.out.println("SLOW closed by the server " + closed + " of " + n);
        System.out.println("FAST still connected " + reader.isAlive());
        fast.close();
    }
}
JAVA

cp="$root/tools/api/$build/lib/*:$root/tools/api/$build/can-api.jar"
bin/can-api --listen "127.0.0.1:$api_port" --redis-url "redis://127.0.0.1:$redis_port" --db-url "jdbc:sqlite:$tmp/bench.db" \
  >"$tmp/api.log" 2>&1 &
api_pid=$!
pids+=("$api_pid")
bench_wait_listen can-api "$api_port" "$api_pid" "$tmp/api.log"
# the JVM in bin/can-api is a child of the wrapper's exec: the same pid
rss() { echo $(( $(ps -o rss= -p "$api_pid") / 1024 )); }
sleep 2
rss0=$(rss)
( peak=0; while kill -0 "$api_pid" 2>/dev/null; do r=$(rss); [ "$r" -gt "$peak" ] && peak=$r; echo "$peak" > "$tmp/peak"; sleep 0.5; done ) &
pids+=($!)
java -Xmx128m -cp "$cp" "$tmp/WsSlow.java" "$api_port" "redis://127.0.0.1:$redis_port" "$root/etc" "$slow" "$seconds" | tee "$tmp/ws.out"
rss1=$(rss)
peak=$(cat "$tmp/peak")
health=$(timeout 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$api_port; printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3; cat <&3" | tail -1 || true)
dropped=$(printf '%s' "$health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["redis"].get("ws_slow_clients_dropped", "absent"))' 2>/dev/null || echo "?")
loglines=$(grep -c "disconnecting WebSocket client" "$tmp/api.log" || true)
oom=$(grep -c "OutOfMemoryError" "$tmp/api.log" || true)
closed=$(sed -n 's/^SLOW closed by the server \([0-9]*\) of.*/\1/p' "$tmp/ws.out")
growth=$(( peak - rss0 ))
echo "ws_slow_clients: $slow slow + 1 fast for ${seconds} s: can-api RSS ${rss0} MB before, peak ${peak} MB (+${growth} MB), ${rss1} MB after;" \
  "slow clients counted $dropped, log lines $loglines, closed by the server ${closed:-?} of $slow, OutOfMemoryError lines $oom"
if [ "$dropped" = "$slow" ] && [ "$loglines" = "$slow" ] && [ "${closed:-0}" = "$slow" ] && [ "$peak" -le 140 ] && [ "$oom" = 0 ] \
   && grep -q "^FAST received [1-9]" "$tmp/ws.out" && grep -q "^FAST still connected true" "$tmp/ws.out"; then
  echo "ws_slow_clients: PASS (peak RSS <= 140 MB, no OutOfMemoryError, every slow client dropped, counted and logged once)"
else
  echo "ws_slow_clients: FAIL"; exit 1
fi
