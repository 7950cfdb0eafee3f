#!/usr/bin/env bash
# Browser test of the logistics desk (issue 15): a real parcd on the demo city,
# a logistics operator made with parcctl, then headless Chromium (desk.test.mjs,
# playwright-core) works a morning at the counter: imports (dry run first, the
# bad line refused with its number), search, hand-over with its signed
# receipt (bon de remise, PDF downloaded), take-back to repair,
# a loan, overdue loans, an enrollment sheet; by keyboard, and by touch on a
# tablet. Afterwards `parcctl history` and `parcctl audit` must show exactly
# these actions, and a manager must not see the desk.
#
# Usage: desk_test.sh PARCD PARCCTL NODE_MODULES OUT_DIR
set -euo pipefail

PARCD=$1
PARCCTL=$2
NODE_MODULES=$3
OUT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
CALL_TIMEOUT_S=30
READY_TIMEOUT_S=30
CHROMIUM=${PARC_CHROMIUM:-/usr/bin/chromium}

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
[[ -d $NODE_MODULES/playwright-core ]] || fail "no playwright-core in $NODE_MODULES"
mkdir -p "$OUT/desk"
rm -f "$OUT"/desk/*.png "$OUT"/desk/*.csv

step "parcd init --demo city, parcd serve with an HTTP listener"
"$PARCD" init --data-dir "$TMP/var" --demo city >"$TMP/out" 2>"$TMP/err" || fail "parcd init failed"
export PARC_TOKEN
PARC_TOKEN=$(head -n 1 "$TMP/var/admin.token")
launch_parcd serve --data-dir "$TMP/var" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0

step "a logistics operator and a manager"
token_of() { node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).token ?? "")' <"$TMP/out"; }
ctl 0 operators add "magasin-$$" --role logistics --json
LOGISTICS=$(token_of)
ctl 0 operators add "chef-$$" --role manager --department VOIRIE --json
MANAGER=$(token_of)
[[ -n $LOGISTICS && -n $MANAGER ]] || fail "no token in the answers to operators add"
check "tokens made"

step "the files of the morning: one new person without email, ten tablets (and a copy with a bad line)"
printf 'Matricule;Prénom;Nom;Service;Site;Adresse électronique\nE990001;Zoé;Lefèvre-Ðặng;VOIRIE;CTM-NORD;\n' >"$OUT/desk/personnel.csv"
{
  echo "serial;asset_tag;kind;model;site"
  for i in $(seq -w 1 10); do echo "LIV-TAB-$i;RM-LIV-$i;tablet;Samsung Galaxy Tab A9;CTM-NORD"; done
} >"$OUT/desk/livraison.csv"
{
  head -n 4 "$OUT/desk/livraison.csv"
  echo ";RM-LIV-99;tablet;Samsung Galaxy Tab A9;CTM-NORD"  # line 5: no serial
  tail -n +5 "$OUT/desk/livraison.csv"
} >"$OUT/desk/livraison-erreur.csv"
check "CSV files in $OUT/desk"

step "headless Chromium at the desk"
status=0
node "$HERE/desk.test.mjs" --url "$PARC_HTTP/" --token "$LOGISTICS" --manager-token "$MANAGER" \
  --files "$OUT/desk" --node-modules "$NODE_MODULES" --chromium "$CHROMIUM" --out "$OUT/desk" || status=$?
cp "$PARCD_LOG" "$OUT/desk/parcd.log"
[[ $status -eq 0 ]] || fail "the browser checks failed (exit $status); parcd's log: $OUT/desk/parcd.log"

step "parcctl history and audit show what was done at the desk"
ctl 0 history LIV-TAB-01
out_has "E990001"
out_has "écran fissuré"
ctl 0 devices show LIV-TAB-01
out_has "bon-de-remise-LIV-TAB-01-"
ctl 0 history LIV-TAB-02
out_has "E990001"
ctl 0 audit --actor "magasin-$$"
cp "$TMP/out" "$OUT/desk/audit.txt"
for action in allocation.assign allocation.return receipt.store; do out_has "$action"; done
check "history and audit"
if grep -qF -e "$LOGISTICS" -e "$MANAGER" "$PARCD_LOG"; then fail "parcd logged a token"; fi
check "parcd's log does not contain the tokens"
echo
echo "desk browser test passed; screenshots in $OUT/desk"
