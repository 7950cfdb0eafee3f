#!/usr/bin/env bash
# Browser test of the learner app (/apprendre/): a real parcd, then headless
# Chromium (learner.test.mjs, playwright-core) as a phone and as a tablet with
# touch, parcctl on the other side (learner_journey.mjs). The training files
# are made here: a 20 MiB WebM video (vpxenc, cached in OUT_DIR) and a PDF.
# Screenshots of every screen stay in OUT_DIR.
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
# shellcheck source=lib.sh
source "$HERE/lib.sh"
command -v vpxenc >/dev/null || fail "vpxenc not found: install it with deploy/install-deps.sh --test"
mkdir -p "$OUT"
rm -f "$OUT"/phone-*.png "$OUT"/tablet-*.png "$OUT"/learner-parcd.log

step "the training files: a 20 MiB video (30 s, VP8) and a two-page PDF"
VIDEO=$OUT/learner-video.webm
if [[ ! -s $VIDEO ]] || (($(stat -c %s "$VIDEO") < 20 << 20)); then
  node "$HERE/learner_fixtures.mjs" y4m 640 360 750 25 |
    vpxenc --codec=vp8 --webm --end-usage=cbr --target-bitrate=5800 --min-q=0 --max-q=50 \
      --cpu-used=16 --rt --kf-max-dist=25 -q -o "$VIDEO.tmp" - && mv "$VIDEO.tmp" "$VIDEO"
fi
(($(stat -c %s "$VIDEO") >= 20 << 20)) || fail "the video is under 20 MiB: $(stat -c %s "$VIDEO") bytes"
node "$HERE/learner_fixtures.mjs" pdf "$TMP/fiche.pdf"
check "$(stat -c %s "$VIDEO") bytes of video, $(stat -c %s "$TMP/fiche.pdf") bytes of PDF"

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
  --video "$VIDEO" \
  --pdf "$TMP/fiche.pdf" \
  --node-modules "$NODE_MODULES" \
  --chromium "$CHROMIUM" \
  --out "$OUT" || status=$?
cp "$PARCD_LOG" "$OUT/learner-parcd.log"
[[ $status -eq 0 ]] || fail "the browser checks failed (exit $status); parcd's log: $OUT/learner-parcd.log"
if grep -qF -e "$PARC_TOKEN" "$PARCD_LOG"; then fail "parcd logged a token"; fi
check "parcd's log does not contain the admin token"
echo
echo "browser test passed; screenshots in $OUT"
