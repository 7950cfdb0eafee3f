#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, build/fuzz) and runs each one for a
# bounded time over its seed corpus. Exits non-zero when a target crashes,
# leaks, times out or fails to build; the input that did it is kept in
# build/fuzz/artifacts/<target>/ (replay: build/fuzz/tests/fuzz/<target>_fuzz FILE).
#
#   tests/fuzz/run.sh                    every target 10 s (what ./tests/run.sh runs)
#   tests/fuzz/run.sh --minutes 10       the long run: every target 10 minutes
#   tests/fuzz/run.sh --seconds 60 csv   one target, one minute
#   tests/fuzz/run.sh --build-only
#
# Seeds are read from tests/fuzz/corpus/<target>/ and never written; what a run
# finds goes to build/fuzz/corpus/<target>/, reused by the next run. To keep a
# new input (a regression), copy it into tests/fuzz/corpus/<target>/.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=10
build_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --minutes) seconds=$(($2 * 60)); shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "tests/fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
all=(csv agents_import devices_import pix_export config checkin proto_json)
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

build=${PARC_FUZZ_BUILD:-build/fuzz}
CLANGXX=${CLANGXX:-clang++-14}
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$CLANGXX" -DCMAKE_BUILD_TYPE= \
    -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" -DPARC_FUZZ=ON -DPARC_BUILD_TESTS=OFF >/dev/null
fi
build_targets=()
for t in "${targets[@]}"; do build_targets+=("${t}_fuzz"); done
nice -n 10 cmake --build "$build" --parallel 2 --target "${build_targets[@]}"
[ "$build_only" -eq 0 ] || exit 0

# Leaks fail a run; known leaks outside our code are in tests/lsan.supp.
export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

failed=()
for t in "${targets[@]}"; do
  seeds=tests/fuzz/corpus/$t
  found=$build/corpus/$t
  artifacts=$build/artifacts/$t/
  log=$build/logs/$t.log
  mkdir -p "$found" "$artifacts" "$(dirname "$log")"
  set +e
  # -timeout: one input over 10 s is a hang; -rss_limit_mb: over 2 GiB is a finding too.
  "$build/tests/fuzz/${t}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts" "$found" "$seeds" >"$log" 2>&1
  status=$?
  set -e
  runs=$(grep -oP 'stat::number_of_executed_units:\s+\K[0-9]+' "$log" | tail -n 1 || true)
  rate=$(grep -oP 'stat::average_exec_per_sec:\s+\K[0-9]+' "$log" | tail -n 1 || true)
  cov=$(grep -oP '^#[0-9]+\s+DONE\s+cov: \K[0-9]+' "$log" | tail -n 1 || true)
  echo "fuzz $t: ${runs:-?} runs in ${seconds} s, ${rate:-?} exec/s, cov ${cov:-?}, corpus $(ls "$found" | wc -l) found + $(ls "$seeds" | wc -l) seeds (exit $status)"
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    grep -E 'ERROR|SUMMARY|Test unit written|abort' "$log" | head -n 20 || true
    echo "fuzz $t: log $log, input in $artifacts"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "tests/fuzz/run.sh: FAILED: ${failed[*]}"
  exit 1
fi
echo "tests/fuzz/run.sh: ${#targets[@]} targets passed"
