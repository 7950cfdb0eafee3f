#!/usr/bin/env bash
# Browser test of the dashboard page: a real parcd on the demo city, its answers
# read through gRPC with `parcctl report ... --json`, then headless Chromium
# (dashboard.test.mjs, playwright-core) signs in on the page and compares.
#
# Usage: dashboard_test.sh PARCD PARCCTL NODE_MODULES OUT_DIR
#   NODE_MODULES: web/'s npm packages (playwright-core), installed by the build
#   OUT_DIR:      screenshots, downloaded CSV and logs are left here
# Needs /usr/bin/chromium (deploy/install-deps.sh --test) and node.
#
# At scale (the issue's figures), outside ctest:
#   PARC_BROWSER_DEMO_ARGS="--demo-staff 1000000 --demo-devices 1000000" dashboard_test.sh ...
# or reuse a data directory made by `parcd init` (a manager operator is added to it):
#   PARC_BROWSER_DATA_DIR=/path/to/var dashboard_test.sh ...
# (PARC_BROWSER_WAIT_MS, default 30000: how long the page may take to show its numbers.)
set -euo pipefail

PARCD=$1
PARCCTL=$2
NODE_MODULES=$3
OUT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
DEPARTMENT=VOIRIE  # departments of the demo city (daemon/demo/demo_data.h)
MANAGER_DEPARTMENT=ESPACES-VERTS
# shellcheck source=lib.sh
source "$HERE/lib.sh"
mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.csv "$OUT"/parcd.log

step "parcd init --demo city, parcd serve with an HTTP listener"
DATA_DIR=${PARC_BROWSER_DATA_DIR:-$TMP/var}
if [[ -z ${PARC_BROWSER_DATA_DIR:-} ]]; then
  # shellcheck disable=SC2086  # the extra arguments are words on purpose
  LAST_CMD="parcd init --data-dir \$TMP/var --demo city ${PARC_BROWSER_DEMO_ARGS:-}"
  LAST_RC=0
  "$PARCD" init --data-dir "$DATA_DIR" --demo city ${PARC_BROWSER_DEMO_ARGS:-} >"$TMP/out" 2>"$TMP/err" || LAST_RC=$?
  [[ $LAST_RC -eq 0 ]] || fail "parcd init failed"
fi
ADMIN_TOKEN=$(head -n 1 "$DATA_DIR/admin.token")
export PARC_TOKEN=$ADMIN_TOKEN
unset LAST_CMD
launch_parcd serve --data-dir "$DATA_DIR" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0
check "the page at $PARC_HTTP/"  # set by launch_parcd

step "the same reports through gRPC (parcctl report --json), whole city and $DEPARTMENT"
mkdir -p "$TMP/grpc"
for report in summary coverage stale health funnel overdue; do
  ctl 0 report "$report" --json
  cp "$TMP/out" "$TMP/grpc/$report.json"
  ctl 0 report "$report" --json --department "$DEPARTMENT"
  cp "$TMP/out" "$TMP/grpc/$report.$DEPARTMENT.json"
done
check "12 answers saved"

step "a manager of $MANAGER_DEPARTMENT and their own gRPC answers"
ctl 0 operators add "parcs-manager-$$" --role manager --department "$MANAGER_DEPARTMENT" --json
# The manager signs in with a token that expires in 10 days: the page must warn.
ctl 0 tokens create --operator "parcs-manager-$$" --expires 10d --label "browser test" --json
MANAGER_TOKEN=$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).token ?? "")' <"$TMP/out")
[[ -n $MANAGER_TOKEN ]] || fail "no token in the answer to tokens create"
for report in summary coverage stale health funnel overdue; do
  PARC_TOKEN=$MANAGER_TOKEN ctl 0 report "$report" --json
  cp "$TMP/out" "$TMP/grpc/$report.manager.json"
done
check "6 answers with the manager's token saved"

step "headless Chromium on the page"
LAST_CMD=""
status=0
node "$HERE/dashboard.test.mjs" \
  --url "$PARC_HTTP/" \
  --token "$ADMIN_TOKEN" \
  --grpc "$TMP/grpc" \
  --department "$DEPARTMENT" \
  --manager-token "$MANAGER_TOKEN" \
  --manager-department "$MANAGER_DEPARTMENT" \
  --node-modules "$NODE_MODULES" \
  --chromium "$CHROMIUM" \
  --out "$OUT" || status=$?
cp "$PARCD_LOG" "$OUT/parcd.log"
[[ $status -eq 0 ]] || fail "the browser checks failed (exit $status); parcd's log: $OUT/parcd.log"
if grep -qF -e "$ADMIN_TOKEN" -e "$MANAGER_TOKEN" "$PARCD_LOG"; then fail "parcd logged a token"; fi
check "parcd's log does not contain the token"
echo
echo "browser test passed; screenshots in $OUT"
