# Shared helpers of the end-to-end scripts, sourced by them. They expect TMP,
# PARCD, PARCCTL, CALL_TIMEOUT_S and READY_TIMEOUT_S to be set.
# shellcheck shell=bash

# The scripts read what the binaries print in English; a French locale on the
# machine running them would make parcctl and parc-agent speak French
# (common/i18n.h). A check that wants French sets LANG on its own command.
unset LC_ALL LC_MESSAGES
export LANG=C.UTF-8

step() { printf '\n== %s\n' "$*"; }
check() { printf '   - %s\n' "$*"; }

# fail MESSAGE: stops the test, showing the last parcctl call and its output.
fail() {
  {
    echo "FAILED: $*"
    if [[ -n ${LAST_CMD:-} ]]; then
      echo "  last command: $LAST_CMD (exit $LAST_RC)"
      echo "  --- stdout ---"
      cat "$TMP/out" 2>/dev/null || true
      echo "  --- stderr ---"
      cat "$TMP/err" 2>/dev/null || true
    fi
  } >&2
  exit 1
}

# ctl EXPECTED_EXIT ARGS...: runs parcctl (stdout in $TMP/out, stderr in
# $TMP/err) and fails unless it exits with EXPECTED_EXIT.
ctl() {
  local expected=$1
  shift
  LAST_CMD="parcctl $*"
  LAST_RC=0
  timeout "$CALL_TIMEOUT_S" "$PARCCTL" "$@" >"$TMP/out" 2>"$TMP/err" || LAST_RC=$?
  [[ $LAST_RC -eq $expected ]] || fail "expected exit $expected from: $LAST_CMD"
}

# out_has / err_has / out_lacks TEXT: what the last call printed (fixed strings).
out_has() { grep -qF -- "$1" "$TMP/out" || fail "stdout does not contain '$1'"; }
err_has() { grep -qF -- "$1" "$TMP/err" || fail "stderr does not contain '$1'"; }
out_lacks() { ! grep -qF -- "$1" "$TMP/out" || fail "stdout contains '$1'"; }

# finish STATUS TAIL_LINES PID... -- LOG...: the end of a test, from its EXIT
# trap: kills the processes still running, shows the last TAIL_LINES of each
# log when the test failed, removes $TMP and prints PASS or FAIL.
finish() {
  local status=$1 lines=$2 pid log
  shift 2
  while [[ $# -gt 0 && $1 != -- ]]; do
    pid=$1
    shift
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  [[ $# -gt 0 ]] && shift
  if [[ $status -ne 0 ]]; then
    for log in "$@"; do
      [[ -n $log && -f $log ]] || continue
      echo "--- last lines of $(basename "$log") ---" >&2
      tail -n "$lines" "$log" >&2 || true
    done
  fi
  rm -rf "$TMP"
  if [[ $status -eq 0 ]]; then echo "PASS"; else echo "FAIL (status $status)" >&2; fi
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every half second.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local tries=$((seconds * 2))
  while ((tries-- > 0)); do
    if "$@"; then return 0; fi
    sleep 0.5
  done
  fail "$what: not within ${seconds}s"
}

# launch_parcd ARGS...: runs `parcd ARGS...` in the background, logging to a new
# $TMP/parcd.N.log; sets RUN, PARCD_LOG, PARCD_PID and PORT once parcd logged
# "serving ... port=N", and exports PARC_ADDR. Waits READY_TIMEOUT_S at most.
# Also sets HTTP_PORT and exports PARC_HTTP (http://127.0.0.1:N, the dashboard,
# /api/v1, /metrics) from "serving http=... http_port=N" (pass --http-listen
# 127.0.0.1:0 so that runs never fight over 8080).
launch_parcd() {
  RUN=$((${RUN:-0} + 1))
  PARCD_LOG=$TMP/parcd.$RUN.log
  : >"$PARCD_LOG"  # created now: the background shell opens it only later
  "$PARCD" "$@" >>"$PARCD_LOG" 2>&1 &
  PARCD_PID=$!
  local port="" tries=$((READY_TIMEOUT_S * 10))
  while ((tries-- > 0)); do
    port=$(sed -n 's/.* serving .* port=\([0-9][0-9]*\).*/\1/p' "$PARCD_LOG" | head -n 1)
    [[ -n $port ]] && break
    kill -0 "$PARCD_PID" 2>/dev/null || fail "parcd exited during start-up: $(tail -n 20 "$PARCD_LOG")"
    sleep 0.1
  done
  [[ -n $port ]] || fail "parcd did not log 'serving ... port=N' within ${READY_TIMEOUT_S}s"
  PORT=$port
  export PARC_ADDR=127.0.0.1:$PORT
  HTTP_PORT=""
  while ((tries-- > 0)); do
    HTTP_PORT=$(sed -n 's/.* serving http=.* http_port=\([0-9][0-9]*\).*/\1/p' "$PARCD_LOG" | head -n 1)
    [[ -n $HTTP_PORT ]] && break
    kill -0 "$PARCD_PID" 2>/dev/null || fail "parcd exited during start-up: $(tail -n 20 "$PARCD_LOG")"
    sleep 0.1
  done
  [[ -n $HTTP_PORT ]] || fail "parcd did not log 'serving http=... http_port=N' within ${READY_TIMEOUT_S}s"
  export PARC_HTTP=http://127.0.0.1:$HTTP_PORT
  check "parcd pid $PARCD_PID serving on $PARC_ADDR (log: parcd.$RUN.log)"
}
