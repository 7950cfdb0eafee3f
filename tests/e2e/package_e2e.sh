#!/usr/bin/env bash
# The Debian packages, installed for real on this machine (as root: the CI
# machine; elsewhere the test is skipped): no chroot fits the time budget, so
# the packages go where apt would put them, and are purged at the end.
#  1. cpack builds parcd, parc-agent and parcctl packages from this build tree
#     (version V) and again as V+1 (the upgrade).
#  2. dpkg -i: the parc user, /var/lib/parc (parc, 0700) with an empty city
#     and the admin token's path printed, /etc/parc/parcd.toml a conffile,
#     the units pass `systemd-analyze verify`.
#  3. parcd from the installed files, as the parc user; an installed agent
#     enrolls and checks in.
#  4. Upgrade to V+1 with parcd stopped: the edited conffile, the database,
#     the admin token and the agent's enrollment survive; parcd serves again
#     and the agent checks in again.
#  5. dpkg --remove keeps the city; dpkg --purge deletes it.
#
# Usage: package_e2e.sh BUILD_DIR   (exit 77: skipped)
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(realpath "$1")
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: installs packages on this machine; run as root (CI does)"
  exit 77
fi
for p in parcd parc-agent parcctl; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    echo "SKIP: package $p is already installed here; the test would replace it"
    exit 77
  fi
done

CALL_TIMEOUT_S=40
READY_TIMEOUT_S=60
TMP=$(mktemp -d "${TMPDIR:-/tmp}/parc-package-e2e.XXXXXX")
chmod 0755 "$TMP"  # parcd runs as parc and writes its log here
PARCD=/usr/bin/parcd
PARCCTL=/usr/bin/parcctl
AGENT=/usr/bin/parc-agent
PARCD_PID=""
PARCD_LOG=""
AGENT_PID=""

cleanup() {
  local status=$?
  [[ -n $AGENT_PID ]] && kill -KILL "$AGENT_PID" 2>/dev/null
  dpkg --purge parcd parc-agent parcctl >/dev/null 2>&1 || true
  finish $status 20 "$PARCD_PID" -- "$PARCD_LOG" "$TMP/agent.log" "$TMP/dpkg.log"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$BUILD/CPackConfig.cmake")
[[ -n $VERSION ]] || fail "no CPACK_PACKAGE_VERSION in $BUILD/CPackConfig.cmake"
NEXT=${VERSION%.*}.$((${VERSION##*.} + 1))

step "1. packages $VERSION and $NEXT from $BUILD"
for v in "$VERSION" "$NEXT"; do
  # Uncompressed: the test's binaries are large debug builds; release
  # packages keep CPack's default compression.
  cpack --config "$BUILD/CPackConfig.cmake" -B "$TMP/deb-$v" -R "$v" \
    -D CPACK_DEBIAN_COMPRESSION_TYPE=none >"$TMP/cpack.log" 2>&1 ||
    fail "cpack $v: $(tail -n 20 "$TMP/cpack.log")"
  for p in parcd parc-agent parcctl; do
    ls "$TMP/deb-$v/${p}_${v}-1_"*.deb >/dev/null 2>&1 || fail "no ${p}_${v}-1_*.deb"
  done
done
dpkg-deb -f "$TMP/deb-$VERSION"/parcd_*.deb Depends | grep -q 'libgrpc++' ||
  fail "parcd's Depends lacks gRPC: $(dpkg-deb -f "$TMP/deb-$VERSION"/parcd_*.deb Depends)"
dpkg-deb -e "$TMP/deb-$VERSION"/parcd_*.deb "$TMP/control"
grep -qx /etc/parc/parcd.toml "$TMP/control/conffiles" || fail "parcd.toml is not a conffile"
check "three packages each; parcd depends on Debian's libraries; parcd.toml is a conffile"

step "2. install"
dpkg -i "$TMP/deb-$VERSION"/*.deb >"$TMP/dpkg.log" 2>&1 || fail "dpkg -i: $(tail -n 20 "$TMP/dpkg.log")"
grep -qF "/var/lib/parc/admin.token" "$TMP/dpkg.log" || fail "the admin token's path was not printed"
getent passwd parc >/dev/null || fail "no parc user"
[[ $(stat -c "%U %a" /var/lib/parc) == "parc 700" ]] || fail "/var/lib/parc: $(stat -c "%U %a" /var/lib/parc)"
[[ $(stat -c '%U %a' /var/lib/parc/admin.token) == "parc 600" ]] || fail "admin.token not parc's, 0600"
[[ -f /etc/parc/parcd.toml && -f /lib/systemd/system/parcd.service ]] || fail "config or unit missing"
for unit in parcd parc-agent; do
  if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify "/lib/systemd/system/$unit.service" >"$TMP/verify.log" 2>&1 ||
      fail "systemd-analyze verify $unit: $(cat "$TMP/verify.log")"
  fi
done
check "parc user, /var/lib/parc (parc, 0700), admin token (0600, path printed), units verified"
echo "# edited by the package test" >>/etc/parc/parcd.toml

start_parcd() {
  RUN=$((${RUN:-0} + 1))
  PARCD_LOG=$TMP/parcd.$RUN.log
  : >"$PARCD_LOG"
  chown parc "$PARCD_LOG"
  # The installed binary, config and data, as the unit runs them (but on
  # free ports and without systemd, which this machine may not run).
  runuser -u parc -- "$PARCD" serve --config /etc/parc/parcd.toml --listen "127.0.0.1:${PORT:-0}" \
    --http-listen 127.0.0.1:0 --checkin-interval-seconds 10 >>"$PARCD_LOG" 2>&1 &
  PARCD_PID=$!
  local tries=$((READY_TIMEOUT_S * 10))
  PORT=""
  while ((tries-- > 0)) && [[ -z $PORT ]]; do
    PORT=$(sed -n 's/.* serving grpc=.* port=\([0-9][0-9]*\).*/\1/p' "$PARCD_LOG" | head -n 1)
    kill -0 "$PARCD_PID" 2>/dev/null || fail "parcd exited: $(tail -n 20 "$PARCD_LOG")"
    sleep 0.1
  done
  [[ -n $PORT ]] || fail "parcd did not serve within ${READY_TIMEOUT_S}s"
  export PARC_ADDR=127.0.0.1:$PORT
  PARC_TOKEN=$(head -n 1 /var/lib/parc/admin.token)
  export PARC_TOKEN
}
# runuser passes SIGTERM on to parcd, then ends by the same signal (143).
stop_parcd() {
  kill -TERM "$PARCD_PID"
  wait "$PARCD_PID" || true
  PARCD_PID=""
  grep -q '\[main\] stopped' "$PARCD_LOG" || fail "parcd did not stop cleanly: $(tail -n 5 "$PARCD_LOG")"
}
# last_sequence: the highest report sequence parcd stored for PKG-PC-1.
last_sequence() {
  ctl 0 --json devices status PKG-PC-1
  local seq
  seq=$(grep -o '"lastSequence": *"[0-9]*"' "$TMP/out" | grep -o '[0-9][0-9]*' | head -n 1)
  echo "${seq:-0}"
}
checked_in_after() { (($(last_sequence) > $1)); }

step "3. parcd from the installed files as parc; an installed agent checks in"
start_parcd
ctl 0 devices list
out_lacks "PKG-PC-1"
[[ $(grep -c . "$TMP/out") -le 1 ]] || fail "a fresh install holds devices: $(cat "$TMP/out")"
ctl 0 enroll-token create --kind shared_pc --uses 1 --expires 1d
TOKEN=$(grep -o 'enroll=[^ ]*' "$TMP/out" | head -n 1 | cut -d= -f2)
[[ -n $TOKEN ]] || fail "no token in: $(cat "$TMP/out")"
timeout "$CALL_TIMEOUT_S" "$AGENT" enroll --server "$PARC_ADDR" --token "$TOKEN" --serial PKG-PC-1 \
  >"$TMP/out" 2>&1 || fail "parc-agent enroll: $(cat "$TMP/out")"
[[ -f /var/lib/parc-agent/credential ]] || fail "the agent's credential is not in /var/lib/parc-agent"
"$AGENT" run >>"$TMP/agent.log" 2>&1 &
AGENT_PID=$!
wait_for 40 "the installed agent's first check-in" checked_in_after 0
kill -TERM "$AGENT_PID" && wait "$AGENT_PID" || true
AGENT_PID=""
FIRST_SEQ=$(last_sequence)
check "enrolled and checked in (sequence $FIRST_SEQ)"
TOKEN_BEFORE=$(sha256sum /var/lib/parc/admin.token)

step "4. upgrade to $NEXT"
stop_parcd
dpkg -i "$TMP/deb-$NEXT"/*.deb >"$TMP/dpkg.log" 2>&1 || fail "upgrade: $(tail -n 20 "$TMP/dpkg.log")"
[[ $(dpkg-query -W -f='${Version}' parcd) == "$NEXT-1" ]] || fail "parcd is not $NEXT-1"
grep -qF "# edited by the package test" /etc/parc/parcd.toml || fail "the edited conffile was replaced"
[[ $(sha256sum /var/lib/parc/admin.token) == "$TOKEN_BEFORE" ]] || fail "the admin token changed"
start_parcd
"$AGENT" run >>"$TMP/agent.log" 2>&1 &
AGENT_PID=$!
wait_for 40 "a check-in after the upgrade" checked_in_after "$FIRST_SEQ"
kill -TERM "$AGENT_PID" && wait "$AGENT_PID" || true
AGENT_PID=""
stop_parcd
check "conffile, database, admin token and enrollment kept; serving and checking in again"

step "5. remove keeps the city, purge deletes it"
dpkg --remove parcd parc-agent parcctl >"$TMP/dpkg.log" 2>&1 || fail "dpkg --remove"
[[ -f /var/lib/parc/parc.db && ! -e /usr/bin/parcd ]] || fail "remove: binary left or data gone"
dpkg --purge parcd parc-agent parcctl >"$TMP/dpkg.log" 2>&1 || fail "dpkg --purge"
[[ ! -e /var/lib/parc && ! -e /etc/parc/parcd.toml && ! -e /var/lib/parc-agent ]] ||
  fail "purge left data or configuration"
check "removed: data kept; purged: /var/lib/parc, /etc/parc and /var/lib/parc-agent gone"
