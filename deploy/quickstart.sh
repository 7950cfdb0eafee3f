#!/usr/bin/env bash
# Parc in one command, as root on a fresh Debian 12: installs the build
# dependencies, builds the release preset, creates a data directory with the
# city demo data (only the first time: a second run reuses it), prints how to
# reach the server and the learner app, runs parcd, and once it answers makes
# an enrollment token whose URL joins a tablet (Ctrl-C stops parcd).
#
# Environment:
#   PARC_DATA_DIR  data directory (default ./var); parcd reads it too.
#   PARC_HTTP_LISTEN, PARC_PUBLIC_URL  parcd's keys (deploy/parcd.toml): for
#                  tablets on the network, e.g. 0.0.0.0:8080 and http://<this host>:8080.
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir=${PARC_DATA_DIR:-./var}
# parcd serves the dashboard page on http_listen (default 127.0.0.1:8080).
http_listen=${PARC_HTTP_LISTEN:-127.0.0.1:8080}

./deploy/install-deps.sh
cmake --preset release
cmake --build --preset release

parcd=build/release/daemon/parcd
parcctl=build/release/cli/parcctl
if [ ! -x "$parcd" ]; then
  echo "quickstart: $parcd was not built" >&2
  exit 1
fi

if [ -e "$data_dir/parc.db" ]; then
  echo "quickstart: $data_dir/parc.db existe déjà, réutilisé / already exists, reused"
else
  "$parcd" init --data-dir "$data_dir" --demo city  # the demo city, asked for: a plain init is empty
fi

cat <<MSG

  Parc démarre / Parc is starting  (Ctrl-C pour arrêter / to stop)

  Jeton administrateur / Admin token:  $data_dir/admin.token  (mode 0600)

  Dans un autre terminal / In another terminal:
    export PARC_ADDR=127.0.0.1:7443
    export PARC_TOKEN=\$(cat $data_dir/admin.token)
    $parcctl devices list

MSG
# The admin token signs in to the page (any operator token does; a manager
# sees only their departments).
echo "  Jeton pour se connecter / Sign-in token:  $(cat "$data_dir/admin.token")"
echo "  Tableau de bord / Dashboard:  http://$http_listen/"
# The learner app; enrollment URLs start with public_url (PARC_PUBLIC_URL,
# default http://<http_listen>: set both for tablets on the network).
public_url=${PARC_PUBLIC_URL:-http://$http_listen}
echo "  Application des agents / Learner app:  $public_url/apprendre/"
echo

# parcd in the background until it answers, then a demo enrollment token
# (20 tablets, one week): its URL, opened or scanned on a tablet, joins it.
"$parcd" serve --data-dir "$data_dir" &
parcd_pid=$!
trap 'kill -TERM "$parcd_pid" 2>/dev/null' INT TERM
export PARC_ADDR=${PARC_ADDR:-127.0.0.1:7443}
for _ in $(seq 100); do
  PARC_TOKEN=$(cat "$data_dir/admin.token") "$parcctl" sites list >/dev/null 2>&1 && break
  kill -0 "$parcd_pid" 2>/dev/null || break
  sleep 0.1
done
if enroll_token=$(PARC_TOKEN=$(cat "$data_dir/admin.token") "$parcctl" enroll-token create \
  --uses 20 --expires 7d --no-qr); then
  # (parcctl prints the URL itself once parcd answers it: CreateEnrollmentTokenResponse.url)
  case $enroll_token in
    http*) enroll_url=$enroll_token ;;
    *) enroll_url=$public_url/apprendre/?enroll=$enroll_token ;;
  esac
  echo
  echo "  Relier une tablette / Join a tablet (20, 7 jours / days):"
  echo "    $enroll_url"
  echo "    (parc-agent enroll --token <URL> aussi / too)"
  echo
fi
wait "$parcd_pid"
