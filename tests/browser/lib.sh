# What the browser tests' scripts share, sourced after they set PARCD, PARCCTL,
# NODE_MODULES and OUT: a private TMP removed at exit with the parcd started in
# it, the end-to-end helpers (tests/e2e/lib.sh: step, check, fail, ctl,
# launch_parcd), and the checks that Chromium and playwright-core are there.
# shellcheck shell=bash

BROWSER_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CALL_TIMEOUT_S=${CALL_TIMEOUT_S:-30}
READY_TIMEOUT_S=${READY_TIMEOUT_S:-30}
CHROMIUM=${PARC_CHROMIUM:-/usr/bin/chromium}

# The caller's PARC_* (a token, an address) must not reach the parcctl calls;
# PARC_CHROMIUM and PARC_BROWSER_* are this test's own settings.
while read -r name; do
  [[ $name == PARC_CHROMIUM || $name == PARC_BROWSER_* ]] || unset "$name"
done < <(compgen -e | grep '^PARC_' || true)
TMP=$(mktemp -d)
PARCD_PID=""
cleanup() {
  if [[ -n $PARCD_PID ]]; then
    kill -TERM "$PARCD_PID" 2>/dev/null || true
    wait "$PARCD_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
# shellcheck source=../e2e/lib.sh
source "$BROWSER_LIB_DIR/../e2e/lib.sh"

[[ -x $CHROMIUM ]] || fail "$CHROMIUM not found: install it with deploy/install-deps.sh --test"
[[ -d $NODE_MODULES/playwright-core ]] ||
  fail "no playwright-core in $NODE_MODULES (built by the parc_web_npm target)"
