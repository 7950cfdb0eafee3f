#!/usr/bin/env bash
# Browser test of the logistics desk (issue 15): a real parcd on the demo city,
# a logistics operator made with parcctl, then headless Chromium (desk.test.mjs,
# playwright-core) works a morning at the counter: imports (dry run first, the
# bad line refused with its number), search, hand-over with its signed
# receipt (bon de remise, PDF downloaded), take-back to repair,
# a loan that becomes overdue once the server's clock is moved past its date
# (test_clock_file), listed with whom to call, refusals in plain French, an
# enrollment sheet; by keyboard, and by touch on a tablet. Afterwards `parcctl
# history` and `parcctl audit` must show exactly these actions, and a manager
# must not see the desk.
#
# Usage: desk_test.sh PARCD PARCCTL NODE_MODULES OUT_DIR
set -euo pipefail

PARCD=$1
PARCCTL=$2
NODE_MODULES=$3
OUT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
mkdir -p "$OUT/desk"
rm -f "$OUT"/desk/*.png "$OUT"/desk/*.csv

step "parcd init --demo city, parcd serve with an HTTP listener"
"$PARCD" init --data-dir "$TMP/var" --demo city >"$TMP/out" 2>"$TMP/err" || fail "parcd init failed"
export PARC_TOKEN
PARC_TOKEN=$(head -n 1 "$TMP/var/admin.token")
# The server's clock is the system's plus the seconds in $TMP/clock (test_clock_file):
# the browser test moves it to see a loan become overdue.
echo 0 >"$TMP/clock"
launch_parcd serve --data-dir "$TMP/var" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
  --test-clock-file "$TMP/clock"

step "a logistics operator and a manager"
token_of() { node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).token ?? "")' <"$TMP/out"; }
ctl 0 operators add "magasin-$$" --role logistics --json
LOGISTICS=$(token_of)
ctl 0 operators add "chef-$$" --role manager --department VOIRIE --json
MANAGER=$(token_of)
[[ -n $LOGISTICS && -n $MANAGER ]] || fail "no token in the answers to operators add"
check "tokens made"

step "the files of the morning: a new person without email and her manager, ten tablets (and a copy with a bad line)"
{
  echo "Matricule;Prénom;Nom;Service;Site;Adresse électronique;Responsable;Téléphone"
  echo "E990001;Zoé;Lefèvre-Ðặng;VOIRIE;CTM-NORD;;E990002;06 12 34 56 78"
  echo "E990002;Marc;Durand;VOIRIE;CTM-NORD;marc.durand@ville.fr;;02 99 28 55 55"
} >"$OUT/desk/personnel.csv"
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
  --files "$OUT/desk" --node-modules "$NODE_MODULES" --chromium "$CHROMIUM" --out "$OUT/desk" \
  --clock-file "$TMP/clock" || status=$?
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
grep -q "test clock moved offset_s=864000" "$PARCD_LOG" || fail "parcd did not log the moved clock"
check "parcd logged that its clock was moved (test_clock_file)"
if grep -qF -e "$LOGISTICS" -e "$MANAGER" "$PARCD_LOG"; then fail "parcd logged a token"; fi
check "parcd's log does not contain the tokens"
echo
echo "desk browser test passed; screenshots in $OUT/desk"
