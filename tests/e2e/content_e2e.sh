#!/usr/bin/env bash
# End-to-end test of training content delivery and progress: the real parcd,
# parcctl and parc-agent binaries as separate processes on loopback.
#
#  1. parcd init + serve (10 s check-ins); the agents of the Pix fixture
#     (tests/fixtures/pix/assessment.csv) added and their results imported:
#     E000104's tier is `illectronisme`; a tablet enrolled and assigned to
#     E000104 (a personal device).
#  2. parcctl modules add / add-item (a 4 MiB video and a small PDF) / publish /
#     assign --tier illectronisme.
#  3. parc-agent runs with a 256 KiB/s bandwidth cap; on a check-in it starts
#     the download; parcd is killed (-9) mid-download and restarted on the same
#     data and port; the agent resumes from its partial file's size (its log:
#     one fetch from offset 0, then one from the partial size) and finishes;
#     the cached files hash to what was uploaded. Agent RSS is printed.
#  4. A flipped byte in the cache: the next hashing of the cache (the agent runs
#     with --verify-every 5) discards it and fetches it again.
#  5. `parc-agent modules` lists the module in French; `open` (fake viewer)
#     and `done --item 1` queue progress; it reaches the server
#     (parcctl progress). The same event file sent again (restored after its
#     acknowledgement) is a duplicate: counted once.
#
# Usage: content_e2e.sh PARCD PARCCTL PARC_AGENT
# Exit status: 0 when every check passed, 1 on the first failed check, 2 on a
# usage error.
set -euo pipefail

[[ $# -eq 3 ]] || { echo "usage: $0 PARCD PARCCTL PARC_AGENT" >&2; exit 2; }
PARCD=$(realpath "$1")
PARCCTL=$(realpath "$2")
AGENT=$(realpath "$3")
for binary in "$PARCD" "$PARCCTL" "$AGENT"; do
  [[ -x $binary ]] || { echo "not executable: $binary" >&2; exit 2; }
done

INTERVAL_S=10           # --checkin-interval-seconds (parcd's minimum)
READY_TIMEOUT_S=20      # parcd start-up, until the "serving" line
CALL_TIMEOUT_S=40       # one parcctl or parc-agent call
BIG_BYTES=$((4 << 20))  # the video: 16 s at the cap below
BANDWIDTH=$((256 << 10))
# After parcd comes back the agent's check-in backoff (5 s base, doubling,
# full jitter) fires within a few intervals; then the rest of the download.
DELIVERY_TIMEOUT_S=120

while read -r name; do unset "$name"; done < <(compgen -e | grep '^PARC_' || true)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/parc-content-e2e.XXXXXX")
export HOME=$TMP/home
mkdir -p "$HOME"
PARCD_PID=""
PARCD_LOG=""
AGENT_PID=""
PORT=0
RUN=0
STATE=$TMP/state
ROOT=$TMP/root

cleanup() { finish $? 25 "$PARCD_PID" "$AGENT_PID" -- "$PARCD_LOG" "$TMP/agent.log"; }
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# agent EXPECTED_EXIT ARGS...: parc-agent on this test's state and root.
agent() {
  local expected=$1
  shift
  LAST_CMD="parc-agent $*"
  LAST_RC=0
  timeout "$CALL_TIMEOUT_S" "$AGENT" --state-dir "$STATE" --root "$ROOT" "$@" \
    >"$TMP/out" 2>"$TMP/err" || LAST_RC=$?
  [[ $LAST_RC -eq $expected ]] || fail "expected exit $expected from: $LAST_CMD"
}

make_root() {
  mkdir -p "$ROOT/etc" "$ROOT/proc/sys/kernel" "$ROOT/proc/net"
  printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\n' >"$ROOT/etc/os-release"
  printf '%032d\n' 7 >"$ROOT/etc/machine-id"
  printf 'MemTotal:        3891240 kB\nMemAvailable:    2011200 kB\n' >"$ROOT/proc/meminfo"
  echo "100.0 100.0" >"$ROOT/proc/uptime"
  echo "tablette-contenu" >"$ROOT/proc/sys/kernel/hostname"
}

start_parcd() {
  launch_parcd serve --data-dir "$TMP/var" --listen "127.0.0.1:$PORT" --http-listen 127.0.0.1:0 \
    --shutdown-grace-seconds 5 --checkin-interval-seconds "$INTERVAL_S"
}

start_agent() {
  "$AGENT" --state-dir "$STATE" --root "$ROOT" run --bandwidth "$BANDWIDTH" --verify-every 5 \
    >>"$TMP/agent.log" 2>&1 &
  AGENT_PID=$!
}

stop_agent() {
  kill -TERM "$AGENT_PID"
  local tries=150 status=0
  while kill -0 "$AGENT_PID" 2>/dev/null && ((tries-- > 0)); do sleep 0.1; done
  kill -0 "$AGENT_PID" 2>/dev/null && fail "agent still running 15s after SIGTERM"
  wait "$AGENT_PID" || status=$?
  AGENT_PID=""
  [[ $status -eq 0 ]] || fail "agent exited with status $status after SIGTERM, expected 0"
}

log_has() { grep -qF -- "$1" "$TMP/agent.log"; }
log_count() { grep -cF -- "$1" "$TMP/agent.log" || true; }
file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }
partial_at_least() { (($(file_size "$STATE/content/partial/$BIG_SHA") >= $1)); }
cached() { [[ -f $STATE/content/$1 ]] && [[ $(sha256sum <"$STATE/content/$1" | cut -d' ' -f1) == "$1" ]]; }
progress_empty() {
  agent 0 status
  grep -q '^progress events waiting: 0$' "$TMP/out"
}
rss_kb() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$AGENT_PID/status"; }

echo "parcd:      $PARCD"
echo "parcctl:    $PARCCTL"
echo "parc-agent: $AGENT"

# --- 1 ----------------------------------------------------------------------
step "1. parcd init and serve; Pix results imported; a tablet enrolled, personal to E000104"
LAST_CMD="parcd init" LAST_RC=0
"$PARCD" init --data-dir "$TMP/var" --demo none >"$TMP/out" 2>"$TMP/err" || LAST_RC=$?
[[ $LAST_RC -eq 0 ]] || fail "parcd init failed"
PARC_TOKEN=$(head -n 1 "$TMP/var/admin.token")
export PARC_TOKEN
start_parcd
ctl 0 sites add CTM-NORD --name "Centre technique nord"
for employee in E000101 000123 E000104; do
  ctl 0 agents add "$employee" --first-name Camille --last-name Martin --department PROPRETE \
    --site CTM-NORD
done
ctl 0 import pix "$(dirname "${BASH_SOURCE[0]}")/../fixtures/pix/assessment.csv"
ctl 0 skills list --agent E000104 --latest
out_has "illectronisme"
check "Pix export imported: E000104's current tier is illectronisme"
ctl 0 enroll-token create --uses 1 --expires 1d
TOKEN=$(head -n 1 "$TMP/out")
make_root
agent 0 enroll --server "$PARC_ADDR" --token "$TOKEN" --serial SN-CONTENT-1 --kind tablet
ctl 0 assign SN-CONTENT-1 E000104
check "SN-CONTENT-1 enrolled and assigned to E000104"

# --- 2 ----------------------------------------------------------------------
step "2. a module with a 4 MiB video and a PDF, published, assigned to the illectronisme tier"
mkdir -p "$TMP/files"
head -c "$BIG_BYTES" /dev/urandom >"$TMP/files/tablette.mp4"
head -c 20000 /dev/urandom >"$TMP/files/fiche.pdf"
BIG_SHA=$(sha256sum <"$TMP/files/tablette.mp4" | cut -d' ' -f1)
PDF_SHA=$(sha256sum <"$TMP/files/fiche.pdf" | cut -d' ' -f1)
ctl 0 modules add BUR-1 --title "Premiers pas sur la tablette" --minutes 20
ctl 0 modules add-item BUR-1 "$TMP/files/tablette.mp4" "$TMP/files/fiche.pdf" \
  --title "La vidéo" --title "La fiche"
ctl 0 modules publish BUR-1
ctl 0 modules assign BUR-1 --tier illectronisme --due 2030-06-30
check "BUR-1 published with 2 items (video ${BIG_SHA:0:12}, PDF ${PDF_SHA:0:12}), assigned"

# --- 3 ----------------------------------------------------------------------
step "3. the agent downloads at $((BANDWIDTH >> 10)) KiB/s; parcd killed (-9) mid-download"
start_agent
wait_for $((3 * INTERVAL_S)) "download of the video started" partial_at_least $((512 << 10))
RSS_DURING=$(rss_kb VmRSS)
ANON_DURING=$(rss_kb RssAnon)
before_kill=$(file_size "$STATE/content/partial/$BIG_SHA")
kill -KILL "$PARCD_PID"
wait "$PARCD_PID" 2>/dev/null || true
PARCD_PID=""
check "parcd killed with $before_kill of $BIG_BYTES bytes in the partial file (agent RSS ${RSS_DURING} kB)"
((before_kill < BIG_BYTES)) || fail "the download was already over"
wait_for 20 "the agent notices the broken stream" log_has "stopped at="
partial=$(file_size "$STATE/content/partial/$BIG_SHA")
((partial >= before_kill)) || fail "partial file shrank from $before_kill to $partial"
start_parcd
wait_for "$DELIVERY_TIMEOUT_S" "the video cached after the restart" cached "$BIG_SHA"
wait_for 30 "the PDF cached" cached "$PDF_SHA"
[[ $(log_count "content fetch sha256=${BIG_SHA:0:12} offset=0 ") -eq 1 ]] ||
  fail "the video was fetched from offset 0 more than once: $(grep "sha256=${BIG_SHA:0:12}" "$TMP/agent.log")"
resumed=$(sed -n "s/.*content fetch sha256=${BIG_SHA:0:12} offset=\([0-9]*\) size=$BIG_BYTES resume.*/\1/p" \
  "$TMP/agent.log" | head -n 1)
[[ -n $resumed ]] || fail "no resumed fetch of the video in the agent's log"
((resumed >= partial)) || fail "resumed at $resumed, below the partial size $partial"
check "resumed from offset $resumed (partial file $partial bytes after the kill), not from 0"
cmp -s "$STATE/content/$BIG_SHA" "$TMP/files/tablette.mp4" || fail "the cached video differs"
check "cached video and PDF hash to what was uploaded"
wait_for 30 "content sync done" log_has "content sync done"
RSS_AFTER=$(rss_kb VmRSS)
HWM=$(rss_kb VmHWM)
check "agent RSS: ${RSS_DURING} kB while downloading (${ANON_DURING} kB anonymous), ${RSS_AFTER} kB after ($(rss_kb RssAnon) kB anonymous), peak ${HWM} kB"
[[ -z $(ls -A "$STATE/content/partial") ]] || fail "partial files left: $(ls "$STATE/content/partial")"

# --- 4 ----------------------------------------------------------------------
step "4. a flipped byte in the cached PDF: detected and fetched again"
printf '\xff' | dd of="$STATE/content/$PDF_SHA" bs=1 seek=1000 conv=notrunc status=none
cached "$PDF_SHA" && printf '\x00' | dd of="$STATE/content/$PDF_SHA" bs=1 seek=1000 conv=notrunc status=none
cached "$PDF_SHA" && fail "could not corrupt the cached PDF"
wait_for $((4 * INTERVAL_S)) "corruption detected" log_has "content corrupt in cache sha256=${PDF_SHA:0:12}"
wait_for 30 "the PDF fetched again" cached "$PDF_SHA"
check "the agent logged the corrupt file and the cache holds the right PDF again"

# --- 5 ----------------------------------------------------------------------
step "5. modules, open and done on the device; progress counted once"
agent 0 modules
out_has "Formations de Camille Martin (E000104)"
out_has "BUR-1  Premiers pas sur la tablette"
out_has "2 documents · prête"
out_has "à terminer avant le 30/06/2030"
check "parc-agent modules: the module in French, downloaded, due 30/06/2030"
stop_agent  # what follows is queued offline, sent on its next start
# shellcheck disable=SC2016 # $1 is for the viewer script
printf '#!/bin/sh\necho "$1" >"%s"\n' "$TMP/viewed" >"$TMP/viewer.sh"
chmod +x "$TMP/viewer.sh"
PARC_AGENT_OPENER=$TMP/viewer.sh agent 0 open BUR-1
[[ $(basename "$(cat "$TMP/viewed")") == tablette.mp4 ]] || fail "the viewer got $(cat "$TMP/viewed")"
cmp -s "$(cat "$TMP/viewed")" "$TMP/files/tablette.mp4" || fail "the viewer got other bytes"
check "open: the viewer got tablette.mp4 (the first item)"
agent 0 'done' BUR-1 --item 1
out_has "C'est noté"
cp "$STATE"/progress/*.pb "$TMP/"
agent 0 status
out_has "progress events waiting: 2"
start_agent
wait_for $((3 * INTERVAL_S)) "progress sent" progress_empty
wait_for 10 "progress logged" log_has "progress sent events=2 accepted=2 duplicates=0"
ctl 0 progress --agent E000104
grep -qE "^E000104 .* BUR-1 +20[0-9-]+ +1/2 " "$TMP/out" || fail "progress: not opened with 1/2 items"
check "parcctl progress: opened, 1/2 items"
stop_agent
cp "$TMP"/*.pb "$STATE/progress/"
agent 0 status
out_has "progress events waiting: 2"
start_agent
wait_for $((3 * INTERVAL_S)) "progress sent again" progress_empty
wait_for 10 "duplicates logged" log_has "progress sent events=2 accepted=0 duplicates=2"
ctl 0 progress --agent E000104
grep -qE "^E000104 .* BUR-1 +20[0-9-]+ +1/2 " "$TMP/out" || fail "progress changed after a resend"
check "the same two events sent again: duplicates=2, still opened and 1/2"
stop_agent
