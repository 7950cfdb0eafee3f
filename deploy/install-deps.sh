#!/usr/bin/env bash
# Installs the Debian 12 packages Parc needs to build and test. Idempotent: quiet
# and quick when everything is already there. Must run as root (or via sudo).
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libboost-dev libboost-system-dev
  libsqlite3-dev sqlite3
  libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev
  libcli11-dev libtomlplusplus-dev libssl-dev openssl
  libqrencode-dev libpng-dev  # parcctl enroll-token: QR code in the terminal and as PNG
  libsystemd-dev  # parcd tells systemd when it is ready (Type=notify) and pings its watchdog
  libsimdjson-dev  # parcd's HTTP side: protobuf's JSON mapping without protobuf 3.21's cost
  libnghttp2-dev  # bench/loadgen's lean HTTP/2 check-in generator
  espeak-ng opus-tools  # the learner app's sentences, spoken at build time (web/build_learner.mjs)
)
# node and npm build the dashboard page (web/); Debian's are enough, but a newer
# node already on the machine is kept.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
# Extra package groups, asked for by the scripts that need them.
for group in "$@"; do
  case "$group" in
    # zbarimg reads back parcctl's QR PNG (cli_test skips that check without it);
    # browser and database servers join here with their issues.
    # chromium: the dashboard page's browser test (tests/browser/), headless.
    # prometheus: its promtool checks parcd's /metrics (tests/integration/http_test).
    # vpx-tools: vpxenc makes the learner app's test video (tests/browser/learner_test.sh).
    # clang-14, libclang-rt-14-dev: the libFuzzer targets (tests/fuzz/run.sh).
    --test) packages+=(zbar-tools chromium jq prometheus vpx-tools clang-14 libclang-rt-14-dev) ;;  # jq: bench/run.sh --quick
    *) echo "install-deps: unknown option $group" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
