#!/usr/bin/env bash
# Decoder benchmark (make bench): candump-line parse + facility decode on one thread, one core.
# Generates a log of BENCH_DECODE_LINES facility frames (default 3,000,000), warms up with one
# pass, times three passes through CandumpReader + FrameDecoder.forFacility and prints the best:
#   decode: N frames/s (target >= 2,000,000)
# Uses the jar in tools/decode/${CEA_BUILD_DIR:-target}; builds it when missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${CEA_BUILD_DIR:-target}
jar="tools/decode/$build/can-decode.jar"
if [ ! -f "$jar" ]; then
  mvn -q -Dcea.buildDir="$build" -DskipTests -DskipITs -pl tools/decode -am package
fi
lines=${BENCH_DECODE_LINES:-3000000}
out="$root/target/bench"
mkdir -p "$out"
log="$out/decode-frames.log"
pin=()
if command -v taskset >/dev/null 2>&1; then
  pin=(taskset -c 0)   # one core: the decoder, the JIT and the GC share it
fi
"${pin[@]}" java -Xms256m -Xmx256m -XX:+UseSerialGC -cp "$jar" org.cea.tools.decode.DecodeBench "$log" "$lines" "$root/etc"
rm -f "$log"
