#!/usr/bin/env bash
# Builds Parc with AddressSanitizer and UndefinedBehaviorSanitizer (preset dev)
# and runs every test. Exits non-zero on any build or test failure.
set -euo pipefail
cd "$(dirname "$0")/.."

./deploy/install-deps.sh --test
cmake --preset dev
cmake --build --preset dev --parallel 2

# A leak fails the test that leaks. LeakSanitizer stops the process's threads
# with ptrace; a container that forbids it makes LSan abort with "LeakSanitizer
# has encountered a fatal error": there, run ASAN_OPTIONS=detect_leaks=0 tests/run.sh
# (options given by the caller come last, so they win).
export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
# Known leaks outside our code: tests/lsan.supp (each entry says why).
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

log=build/dev/ctest.log
set +e
ctest --preset dev 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Every libFuzzer target for a few seconds over its corpus (tests/fuzz/README.md):
# a clang build of its own in build/fuzz.
set +e
tests/fuzz/run.sh --seconds 10
fuzz_status=$?
set -e

summary=$(grep -E 'tests passed|No tests were found' "$log" | tail -n 1 || true)
echo "tests/run.sh: ${summary:-ctest printed no summary} (ctest exit $status, fuzz exit $fuzz_status)"
[ "$status" -ne 0 ] || status=$fuzz_status
exit "$status"
