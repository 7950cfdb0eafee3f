#!/usr/bin/env bash
# End-to-end test of device enrollment and check-ins: the real parcd, parcctl
# and parc-agent binaries as separate processes on loopback.
#
#  1. parcd init + serve (10 s check-in interval); one 3-use enrollment token
#     from `parcctl enroll-token create` (text, QR code, PNG).
#  2. Three agents, each with its own state directory and a fake /sys, /proc,
#     /etc tree, enroll with that token; a fourth enrollment is refused.
#  3. The agents run and check in; parcctl shows them enrolled and seen, with
#     what the fake trees say.
#  4. parcd stops (SIGTERM); the agents keep queueing; a usage session starts
#     offline on agent 2; agent 3 is killed with -9 with a backlog and
#     restarted.
#  5. parcd restarts on the same data and port after a 30 s outage; every
#     queued report arrives within 15 s + one check-in interval (issue 20
#     item 12), exactly once and in order (server sequences 1..N-1 with no
#     gap and no duplicate, measurement times in sequence order, N the agent's
#     next sequence); the offline session shows, flagged (not the holder).
#  6. `parcctl devices revoke` agent 1: its next check-in is UNAUTHENTICATED.
#
# Usage: agent_e2e.sh PARCD PARCCTL PARC_AGENT
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

INTERVAL_S=10       # --checkin-interval-seconds (parcd's minimum)
READY_TIMEOUT_S=20  # parcd start-up, until the "serving" line
GRACE_S=5           # --shutdown-grace-seconds given to parcd
CALL_TIMEOUT_S=40   # one parcctl or parc-agent call
OUTAGE_S=30         # how long parcd stays down in step 4
# After parcd comes back, an agent sends once its backoff timer fires (1 s
# base, doubling, full jitter, 8 s cap) on a channel that reconnects at most
# ~6 s apart: under 15 s. One interval more for a report collected meanwhile.
DELIVERY_TIMEOUT_S=$((15 + INTERVAL_S))

while read -r name; do unset "$name"; done < <(compgen -e | grep '^PARC_' || true)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/parc-agent-e2e.XXXXXX")
export HOME=$TMP/home
mkdir -p "$HOME"
PARCD_PID=""
PARCD_LOG=""
PORT=0  # 0 on the first start; later starts reuse the port the agents know
RUN=0
declare -A AGENT_PID=()

cleanup() { finish $? 15 "$PARCD_PID" "${AGENT_PID[@]}" -- "$PARCD_LOG" "$TMP"/agent*.log; }
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"



# agent I EXPECTED_EXIT ARGS...: parc-agent with agent I's state and root.
agent() {
  local i=$1 expected=$2
  shift 2
  LAST_CMD="parc-agent[$i] $*"
  LAST_RC=0
  timeout "$CALL_TIMEOUT_S" "$AGENT" --state-dir "$TMP/state$i" --root "$TMP/root$i" "$@" \
    >"$TMP/out" 2>"$TMP/err" || LAST_RC=$?
  [[ $LAST_RC -eq $expected ]] || fail "expected exit $expected from: $LAST_CMD"
}

# agent_field I NAME: a line of `parc-agent status` ("queue length", ...).
agent_field() {
  agent "$1" 0 status
  sed -n "s/^$2: //p" "$TMP/out"
}

# server_last_sequence I: DeviceStatus.last_sequence of agent I's device.
server_last_sequence() {
  ctl 0 devices status "SN-AGENT-$1"
  local seq
  seq=$(sed -n 's/^last sequence  *//p' "$TMP/out")
  echo "${seq:-0}"
}

# make_root I: a fake tree for agent I's collectors.
make_root() {
  local r=$TMP/root$1
  mkdir -p "$r/sys/class/power_supply/BAT0" "$r/etc" "$r/proc/sys/kernel" "$r/proc/net" \
    "$r/var/run"
  echo Battery >"$r/sys/class/power_supply/BAT0/type"
  echo $((70 + $1)) >"$r/sys/class/power_supply/BAT0/capacity"
  echo Discharging >"$r/sys/class/power_supply/BAT0/status"
  printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n' >"$r/etc/os-release"
  printf 'VERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n' >>"$r/etc/os-release"
  printf '%032d\n' "$1" >"$r/etc/machine-id"
  printf 'MemTotal:        3891240 kB\nMemAvailable:    2011200 kB\n' >"$r/proc/meminfo"
  echo "12345.67 23456.78" >"$r/proc/uptime"
  echo "6.1.0-18-amd64" >"$r/proc/sys/kernel/osrelease"
  echo "tablette-$1" >"$r/proc/sys/kernel/hostname"
  printf 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' \
    >"$r/proc/net/route"
  printf 'wlan0\t00000000\t0100A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n' >>"$r/proc/net/route"
}

start_parcd() {
  launch_parcd serve --data-dir "$TMP/var" --listen "127.0.0.1:$PORT" --http-listen 127.0.0.1:0 \
    --shutdown-grace-seconds "$GRACE_S" --checkin-interval-seconds "$INTERVAL_S"
}

stop_parcd() {
  kill -TERM "$PARCD_PID"
  local tries=$(((GRACE_S + 5) * 10))
  while kill -0 "$PARCD_PID" 2>/dev/null && ((tries-- > 0)); do sleep 0.1; done
  kill -0 "$PARCD_PID" 2>/dev/null && fail "parcd still running $((GRACE_S + 5))s after SIGTERM"
  local status=0
  wait "$PARCD_PID" || status=$?
  PARCD_PID=""
  [[ $status -eq 0 ]] || fail "parcd exited with status $status after SIGTERM, expected 0"
  check "parcd stopped (SIGTERM, exit 0)"
}

start_agent() {
  local i=$1
  "$AGENT" --state-dir "$TMP/state$i" --root "$TMP/root$i" run >>"$TMP/agent$i.log" 2>&1 &
  AGENT_PID[$i]=$!
}

# stop_agent I: SIGTERM, exit 0 within 15 s.
stop_agent() {
  local i=$1 pid=${AGENT_PID[$1]}
  kill -TERM "$pid"
  local tries=150
  while kill -0 "$pid" 2>/dev/null && ((tries-- > 0)); do sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "agent $i still running 15s after SIGTERM"
  local status=0
  wait "$pid" || status=$?
  AGENT_PID[$i]=""
  [[ $status -eq 0 ]] || fail "agent $i exited with status $status after SIGTERM, expected 0"
}

queue_at_least() { (($(agent_field "$1" "queue length") >= $2)); }
queue_empty() { [[ $(agent_field "$1" "queue length") == 0 ]]; }
server_reached() { (($(server_last_sequence "$1") >= $2)); }
log_has() { grep -qF -- "$2" "$TMP/agent$1.log"; }

# The (sequence, measured-at) pairs of the device's stored reports, oldest
# first, measured-at made sortable ("2026-...T10:00:01.5Z" -> "...T10:00:01.500000000").
stored_reports() {
  ctl 0 --json devices status "SN-AGENT-$1" --recent 100
  awk '
    /"recent": \[/ { inside = 1; next }
    /"sessions":/ { inside = 0 }
    inside && /"sequence":/ { gsub(/[^0-9]/, "", $2); seq = $2 }
    inside && /"collectedAt":/ {
      t = $2; gsub(/[",Z]/, "", t)
      split(t, part, ".")
      frac = substr(part[2] "000000000", 1, 9)
      print seq, part[1] "." frac
    }' "$TMP/out" | sort -n -k1,1
}

# check_delivery I: agent I stopped; the server holds its sequences 1..K
# exactly once, K = next sequence - 1 - what is still queued, measured in
# sequence order.
check_delivery() {
  local i=$1 next queued sent
  next=$(agent_field "$i" "next sequence")
  queued=$(agent_field "$i" "queue length")
  sent=$((next - 1 - queued))
  stored_reports "$i" >"$TMP/stored$i"
  local count
  count=$(wc -l <"$TMP/stored$i")
  ((count <= 100)) || fail "agent $i: more than 100 reports, cannot check them all"
  [[ $count -eq $sent ]] ||
    fail "agent $i: server stores $count reports, agent sent $sent (next $next, queued $queued)"
  awk -v i="$i" '
    $1 != NR { printf "agent %s: report %d is sequence %s (gap or duplicate)\n", i, NR, $1; bad = 1; exit }
    NR > 1 && $2 < last { printf "agent %s: sequence %s measured before %d\n", i, $1, $1 - 1; bad = 1; exit }
    { last = $2 }
    END { exit bad }' "$TMP/stored$i" >"$TMP/why" || fail "$(cat "$TMP/why")"
  local last
  last=$(server_last_sequence "$i")
  [[ $last -eq $sent ]] || fail "agent $i: last sequence $last, expected $sent"
  check "agent $i: sequences 1..$sent stored once each, in order; $queued still queued"
}

echo "parcd:      $PARCD"
echo "parcctl:    $PARCCTL"
echo "parc-agent: $AGENT"

# --- 1 ----------------------------------------------------------------------
step "1. parcd init and serve; a 3-use enrollment token as text, QR code and PNG"
LAST_CMD="parcd init" LAST_RC=0
"$PARCD" init --data-dir "$TMP/var" --demo none >"$TMP/out" 2>"$TMP/err" || LAST_RC=$?
[[ $LAST_RC -eq 0 ]] || fail "parcd init failed"
PARC_TOKEN=$(head -n 1 "$TMP/var/admin.token")
export PARC_TOKEN
start_parcd
ctl 0 enroll-token create --uses 3 --expires 1d --png "$TMP/token.png"
TOKEN=$(head -n 1 "$TMP/out")
[[ -n $TOKEN && $(wc -l <"$TMP/out") -eq 1 ]] || fail "stdout should be the token alone"
err_has "3 uses"
err_has "will not be shown again"
grep -q $'\u2588' "$TMP/err" || fail "no QR code drawn on stderr"
grep -qF -- "$TOKEN" "$TMP/err" && fail "the token appears on stderr too"
[[ $(head -c 8 "$TMP/token.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
  fail "token.png is not a PNG"
if command -v zbarimg >/dev/null; then
  [[ $(zbarimg --quiet --raw "$TMP/token.png" 2>/dev/null) == "$TOKEN" ]] ||
    fail "zbarimg does not read the token back from token.png"
  check "zbarimg reads the token back from the PNG"
fi
check "token on stdout alone, QR code and warning on stderr, PNG written"
# Agent 2's device will be personal to E000456; E000123 will use it.
ctl 0 sites add CTM-NORD --name "Centre technique nord"
for employee in E000456 E000123; do
  ctl 0 agents add "$employee" --first-name Camille --last-name Martin --department PROPRETE \
    --site CTM-NORD
done

# --- 2 ----------------------------------------------------------------------
step "2. three agents enroll with the token; a fourth is refused"
for i in 1 2 3 4; do make_root "$i"; done
for i in 1 2 3; do
  agent "$i" 0 enroll --server "$PARC_ADDR" --token "$TOKEN" --serial "SN-AGENT-$i" --kind tablet
done
check "agents 1, 2, 3 enrolled"
agent 4 1 enroll --server "$PARC_ADDR" --token "$TOKEN" --serial "SN-AGENT-4" --kind tablet
err_has "used up"
check "fourth enrollment: exit 1, '$(tail -n 1 "$TMP/err")'"
ctl 0 assign SN-AGENT-2 E000456

# --- 3 ----------------------------------------------------------------------
step "3. the agents run and check in"
for i in 1 2 3; do start_agent "$i"; done
for i in 1 2 3; do
  wait_for 40 "agent $i: two reports stored" server_reached "$i" 2
done
ctl 0 devices list
for i in 1 2 3; do
  grep -qE "^SN-AGENT-$i .* yes +20[0-9-]+ " "$TMP/out" || fail "SN-AGENT-$i not enrolled and seen"
done
check "devices list: all three enrolled (yes) with a LAST SEEN time"
ctl 0 devices list --stale 7d
grep -q SN-AGENT "$TMP/out" && fail "a device that just checked in is listed as stale"
check "devices list --stale 7d: none of them"
ctl 0 devices show SN-AGENT-1
out_has "71%"
out_has "12 (bookworm)"
out_has "GB of"
check "devices show: battery 71%, OS version and storage from agent 1's fake tree"

# --- 4 ----------------------------------------------------------------------
step "4. parcd stops for ${OUTAGE_S}s; the agents keep queueing; kill -9 of agent 3 with a backlog"
stop_parcd
STOPPED_AT=$EPOCHREALTIME
agent 2 0 login E000123
check "agent 2: login E000123 while offline"
for i in 1 2 3; do wait_for $((4 * INTERVAL_S)) "agent $i: 2 reports queued" queue_at_least "$i" 2; done
for i in 1 2 3; do log_has "$i" "checkin failed" || fail "agent $i logs no failed check-in"; done
check "every agent queues (2+ reports each) and logs its failed check-ins"
before=$(agent_field 3 "queue length")
kill -KILL "${AGENT_PID[3]}"
wait "${AGENT_PID[3]}" 2>/dev/null || true
AGENT_PID[3]=""
after=$(agent_field 3 "queue length")
((after >= before)) || fail "agent 3 had $before queued before kill -9, $after after"
start_agent 3
check "agent 3: kill -9 with $before queued, $after still queued after; restarted"
wait_for $((2 * INTERVAL_S)) "agent 3: queueing again" queue_at_least 3 $((after + 1))

# --- 5 ----------------------------------------------------------------------
step "5. parcd restarts on the same data and port; every queued report arrives once, soon"
rest=$(awk -v now="$EPOCHREALTIME" -v t0="$STOPPED_AT" -v d="$OUTAGE_S" \
  'BEGIN { r = d - (now - t0); print (r > 0 ? r : 0) }')
sleep "$rest"
start_parcd
BACK_AT=$EPOCHREALTIME
outage=$(awk -v a="$BACK_AT" -v b="$STOPPED_AT" 'BEGIN { printf "%.0f", a - b }')
for i in 1 2 3; do
  wait_for "$DELIVERY_TIMEOUT_S" "agent $i: backlog delivered after a ${outage}s outage" \
    queue_empty "$i"
  took[$i]=$(awk -v now="$EPOCHREALTIME" -v t0="$BACK_AT" 'BEGIN { printf "%.1f", now - t0 }')
done
check "all three queues drained after a ${outage}s outage, ${took[1]}s, ${took[2]}s," \
  "${took[3]}s after parcd was back (limit ${DELIVERY_TIMEOUT_S}s)"
for i in 2 3; do stop_agent "$i"; done
for i in 2 3; do check_delivery "$i"; done
ctl 0 devices status SN-AGENT-2 --recent 100
out_has "login E000123"
ctl 0 devices show SN-AGENT-2
out_has $'\u26a0 used by E000123, assigned to E000456'
check "devices show SN-AGENT-2: the offline session of E000123, flagged (holder E000456)"
# Agent 3 is stopped and its deliveries checked: what these queue is never sent.
agent 3 0 login e000456
out_has "Hello Camille."
agent 3 1 login E999999
grep -q "E999999: no one has this employee number" "$TMP/err" || fail "unknown number not said"
[[ $(agent_field 3 "current user") == E000456 ]] || fail "the unknown number replaced E000456"
check "parc-agent login greets a known number by first name and refuses an unknown one"

# --- 6 ----------------------------------------------------------------------
step "6. revoke agent 1: its next check-in is UNAUTHENTICATED"
ctl 0 devices revoke SN-AGENT-1 --reason "e2e"
out_has "revoked"
wait_for $((3 * INTERVAL_S)) "agent 1: UNAUTHENTICATED logged" \
  log_has 1 "the server refused the credentials"
log_has 1 "credential refused" || fail "agent 1 does not say its credential was refused"
! log_has 1 "code=16" || fail "agent 1 logs a raw gRPC code instead of a sentence"
check "agent 1 logs 'credential refused ... the server refused the credentials' (UNAUTHENTICATED)"
ctl 0 devices list
grep -qE "^SN-AGENT-1 .* revoked " "$TMP/out" || fail "devices list does not show SN-AGENT-1 revoked"
stop_agent 1
check_delivery 1
stop_parcd
for log in "$TMP"/parcd.*.log "$TMP"/agent*.log; do
  grep -qF -- "$TOKEN" "$log" && fail "the enrollment token appears in $(basename "$log")"
done
check "the enrollment token appears in no log"
