#!/usr/bin/env bash
# Parc in one command, as root on a fresh Debian 12: installs the build
# dependencies, builds the release preset, creates a data directory with the
# city demo data (only the first time: a second run reuses it), prints how to
# reach the server, then runs parcd in the foreground (Ctrl-C stops it).
#
# Environment:
#   PARC_DATA_DIR  data directory (default ./var); parcd reads it too.
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
echo

exec "$parcd" serve --data-dir "$data_dir"
