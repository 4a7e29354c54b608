#!/usr/bin/env bash
# lib-tsdb benchmark (run by scripts/bench.sh / `make bench`, or alone). Starts its own private
# PostgreSQL cluster (initdb in a temp dir; as root the server runs as user postgres via runuser),
# then measures:
#   1. batched insert of facility messages through Store.writeBatch vs `psql \copy` of the same rows
#      into the same table in the same run (ratio, target >= 0.7);
#   2. latency of a 30-day history query (<= 1000 points, one sensor) on sensor_readings at 1 Hz.
# Knobs (environment): BENCH_ROWS (200000), BENCH_BATCH (2000), BENCH_ROUNDS (4), BENCH_SENSORS (2;
# 27 = the whole facility, which takes several more minutes to load), CEA_BUILD_DIR (target),
# MVN_FLAGS (e.g. -o). Takes about 2-4 minutes with the defaults.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bd=${CEA_BUILD_DIR:-target}
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
# shellcheck disable=SC2086
if ! ${MVN:-mvn} -q ${MVN_FLAGS:-} -Dcea.buildDir="$bd" -pl lib-tsdb -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null; then
  echo "bench-tsdb: build failed; run 'mvn -pl lib-tsdb -am test-compile' to see why" >&2
  exit 1
fi
cp="$root/lib-tsdb/$bd/test-classes:$root/lib-tsdb/$bd/classes:$(cat "$cp_file")"
exec java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$cp" org.cea.tsdb.TsdbBench
