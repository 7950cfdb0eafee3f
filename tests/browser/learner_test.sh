#!/usr/bin/env bash
# Browser test of the learner app (/apprendre/): a real parcd, then headless
# Chromium (learner.test.mjs, playwright-core) as a phone and as a tablet with
# touch. Screenshots of every screen stay in OUT_DIR.
#
# Usage: learner_test.sh PARCD PARCCTL NODE_MODULES OUT_DIR
#   NODE_MODULES: web/'s npm packages (playwright-core, axe-core), installed by the build
# Needs /usr/bin/chromium (deploy/install-deps.sh --test) and node.
set -euo pipefail

PARCD=$1
PARCCTL=$2
NODE_MODULES=$3
OUT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
CALL_TIMEOUT_S=30
READY_TIMEOUT_S=30
CHROMIUM=${PARC_CHROMIUM:-/usr/bin/chromium}

while read -r name; do unset "$name"; done < <(compgen -e | grep '^PARC_' || true)
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
source "$HERE/../e2e/lib.sh"

[[ -x $CHROMIUM ]] || fail "$CHROMIUM not found: install it with deploy/install-deps.sh --test"
[[ -d $NODE_MODULES/playwright-core ]] || fail "no playwright-core in $NODE_MODULES (built by the parc_web_npm target)"
mkdir -p "$OUT"
rm -f "$OUT"/phone-*.png "$OUT"/tablet-*.png "$OUT"/learner-parcd.log

step "parcd init, parcd serve with an HTTP listener"
LAST_CMD="parcd init --data-dir \$TMP/var --demo none" LAST_RC=0
"$PARCD" init --data-dir "$TMP/var" --demo none >"$TMP/out" 2>"$TMP/err" || LAST_RC=$?
[[ $LAST_RC -eq 0 ]] || fail "parcd init failed"
PARC_TOKEN=$(head -n 1 "$TMP/var/admin.token")
export PARC_TOKEN
unset LAST_CMD
launch_parcd serve --data-dir "$TMP/var" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
  --checkin-interval-seconds 10

step "headless Chromium on $PARC_HTTP/apprendre/"
status=0
PARC_TOKEN=$PARC_TOKEN node "$HERE/learner.test.mjs" \
  --url "$PARC_HTTP" \
  --parcctl "$PARCCTL" \
  --node-modules "$NODE_MODULES" \
  --chromium "$CHROMIUM" \
  --out "$OUT" || status=$?
cp "$PARCD_LOG" "$OUT/learner-parcd.log"
[[ $status -eq 0 ]] || fail "the browser checks failed (exit $status); parcd's log: $OUT/learner-parcd.log"
if grep -qF -e "$PARC_TOKEN" "$PARCD_LOG"; then fail "parcd logged a token"; fi
check "parcd's log does not contain the admin token"
echo
echo "browser test passed; screenshots in $OUT"
