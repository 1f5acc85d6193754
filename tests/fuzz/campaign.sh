#!/usr/bin/env bash
# A fuzzing campaign: runs each target until it has used its share of CPU time, one
# process at a time and at the lowest priority (nice 19), so it yields to builds and
# tests. CPU time is measured (user + system of the fuzzer and all its threads, from
# getrusage through /usr/bin/time), not wall time.
#
#   tests/fuzz/campaign.sh CPU_MINUTES TARGET...      e.g. tests/fuzz/campaign.sh 20 http body
#
# Each target runs in chunks of at most CHUNK_SECONDS (default 600) of wall time until its
# CPU minutes are used; what it learns goes to build/fuzz/corpus/<target>. A crash ends a
# chunk: its input is kept in build/fuzz/campaign/<target>-crash-* and the next chunk
# carries on from the corpus. One line per chunk goes to build/fuzz/campaign/summary.tsv:
# target, wall s, CPU s, executions, cov, ft, and the crash file if any. Afterwards,
# `make fuzz-merge` folds what grew into tests/fuzz/<target>/corpus (minimised).
set -euo pipefail
cpu_minutes=${1:?usage: campaign.sh CPU_MINUTES TARGET...}
shift
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
out=build/fuzz/campaign
mkdir -p "$out"
chunk=${CHUNK_SECONDS:-600}
[ -f "$out/summary.tsv" ] || printf 'target\twall_s\tcpu_s\texecs\tcov\tft\tcrash\n' >"$out/summary.tsv"

for t in "$@"; do
  make -s "build/fuzz/$t"
  case $t in http) ml=16384 ;; body | json | audit) ml=8192 ;; session) ml=256 ;; *) ml=4096 ;; esac
  dict=""
  [ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
  mkdir -p "build/fuzz/corpus/$t"
  used=0
  budget=$((cpu_minutes * 60))
  while [ "$used" -lt "$budget" ]; do
    n=$(ls "$out" | grep -c "^$t-chunk-" || true)
    log="$out/$t-chunk-$n.log"
    start=$(date +%s)
    set +e
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 /usr/bin/time -f '%U %S' -o "$out/time" \
      nice -n 19 "build/fuzz/$t" -max_total_time="$chunk" -timeout=60 -rss_limit_mb=4096 -max_len=$ml $dict \
      -print_final_stats=1 -artifact_prefix="$out/$t-" "build/fuzz/corpus/$t" "tests/fuzz/$t/corpus" >"$log" 2>&1
    set -e
    wall=$(($(date +%s) - start))
    cpu=$(tail -1 "$out/time" | awk '{printf "%d", $1 + $2}') # after "Command exited with ..." if it failed
    used=$((used + cpu))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    last=$(grep -a -E '^#[0-9]+' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    if [ -z "$execs" ]; then execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last"); fi
    printf '%s\t%d\t%d\t%s\t%s\t%s\t%s\n' "$t" "$wall" "$cpu" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${crash:-}" \
      >>"$out/summary.tsv"
    echo "campaign: $t chunk $n: ${wall}s wall, ${cpu}s CPU (${used}/${budget}s), ${execs:-?} execs, cov ${cov:-?} ft ${ft:-?}${crash:+, CRASH $crash}"
    if [ -n "$crash" ] && [ "$wall" -lt 30 ]; then
      echo "campaign: $t crashes at once (an input in its corpus?); stopping it: see $log" >&2
      break
    fi
  done
done
