#!/usr/bin/env bash
# make bench: builds once, then runs every scripts/bench-*.sh in turn and collects their result
# lines in target/bench/summary.txt. Each script measures its own reference in the same run
# (redis-benchmark, psql \copy, pgloader) and prints ratios, because these machines are noisy.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -q -DskipTests -DskipITs package >/dev/null || { echo "bench: build failed; run 'make build' to see why" >&2; exit 1; }
mkdir -p target/bench
summary=target/bench/summary.txt
: > "$summary"
status=0
for s in scripts/bench-*.sh; do
  [ -x "$s" ] || continue
  name=$(basename "$s" .sh)
  echo "== $name" | tee -a "$summary"
  "$s" > "target/bench/$name.log" 2>&1
  rc=$?
  tail -n 20 "target/bench/$name.log" | tee -a "$summary"
  [ "$rc" -eq 0 ] || { echo "$name: failed (exit $rc), see target/bench/$name.log" | tee -a "$summary"; status=1; }
done
echo
echo "Summary (also in $summary):"
cat "$summary"
exit $status
