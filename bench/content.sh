# Figure 6 of bench/run.sh (sourced by it): content streaming.
#  - one CONTENT_MIB download through FetchContent vs nginx (sendfile, HTTP/1.1)
#    serving the same file on loopback, in the same run (best of 2 each);
#  - CONCURRENT downloads at once of a CONCURRENT_MIB file: aggregate MB/s and
#    parcd's resident memory growth against 2 chunks per stream.
# Uses: PARCD PARCCTL LOADGEN TMP QUICK row log die start_parcd stop_pid rss_kb.
# shellcheck shell=bash

log "6. content streaming: ${CONTENT_MIB} MiB alone, then $CONCURRENT x ${CONCURRENT_MIB} MiB"
if ! command -v nginx >/dev/null && ((!QUICK)) && [[ $(id -u) == 0 ]]; then
  log "   installing nginx from Debian (the ceiling of figure 6)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null 2>&1 ||
    log "   apt-get install nginx failed: no ceiling"
fi

CDIR=$TMP/content
mkdir -p "$CDIR/www"
head -c $((CONTENT_MIB * 1048576)) /dev/urandom >"$CDIR/www/big.mp4"
head -c $((CONCURRENT_MIB * 1048576)) /dev/urandom >"$CDIR/www/small.mp4"
# nginx's workers run as another user: let them read the files (mktemp made $TMP 0700).
chmod 755 "$TMP" "$CDIR" "$CDIR/www"
chmod 644 "$CDIR/www/big.mp4" "$CDIR/www/small.mp4"
BIG_SHA=$(sha256sum "$CDIR/www/big.mp4" | cut -d' ' -f1)
SMALL_SHA=$(sha256sum "$CDIR/www/small.mp4" | cut -d' ' -f1)

# A small demo city; the first device personally allocated gets the module.
init_db "$CDIR/db" 50 50 2
"$LOADGEN" seed --db "$CDIR/db/parc.db" --devices 50 --ids "$CDIR/ids-all" >/dev/null 2>>"$TMP/loadgen.log" ||
  die "loadgen seed (content)"
read -r CDEV CHOLDER < <(sqlite3 -separator ' ' "$CDIR/db/parc.db" \
  "SELECT a.device_id, ag.employee_number FROM allocations a JOIN agents ag ON ag.id = a.agent_id
   WHERE a.ended_at IS NULL AND a.kind = 1 ORDER BY a.device_id LIMIT 1")
[[ -n ${CHOLDER:-} ]] || die "no personally allocated device in the content database"
echo "$CDEV" >"$CDIR/ids"
start_parcd content "$CDIR/db"
CONTENT_PID=$PARCD_PID
ctl6() {
  PARC_ADDR=$PARCD_ADDR PARC_TOKEN=$(head -n 1 "$CDIR/db/admin.token") "$PARCCTL" "$@" \
    >>"$TMP/content-ctl.log" 2>&1 || die "parcctl $* (content)"
}
if ! PARC_ADDR=$PARCD_ADDR PARC_TOKEN=$(head -n 1 "$CDIR/db/admin.token") "$PARCCTL" modules add \
  BENCH-CONTENU --title "Banc d'essai du contenu" >>"$TMP/content-ctl.log" 2>&1; then
  log "6. not measured: $(tail -n 1 "$TMP/content-ctl.log")"
  stop_pid "$CONTENT_PID"
  return 0
fi
ctl6 modules add-item BENCH-CONTENU "$CDIR/www/big.mp4" "$CDIR/www/small.mp4"
ctl6 modules publish BENCH-CONTENU
ctl6 modules assign BENCH-CONTENU --agent "$CHOLDER"

fetch() {  # fetch SHA STREAMS EXPECTED_BYTES
  "$LOADGEN" fetch --target "$PARCD_ADDR" --ids "$CDIR/ids" --sha256 "$1" --streams "$2" \
    --expect-bytes "$3" 2>>"$TMP/loadgen.log" || die "loadgen fetch failed"
}

best_grpc=0 best_nginx=""
NGINX_PORT=""
if command -v nginx >/dev/null; then
  NGINX_PORT=$((20000 + RANDOM % 20000))
  mkdir -p "$CDIR/nginx/logs"
  cat >"$CDIR/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
error_log $CDIR/nginx/logs/error.log;
pid $CDIR/nginx/nginx.pid;
events {}
http {
  access_log off;
  sendfile on;
  client_body_temp_path $CDIR/nginx/body;
  proxy_temp_path $CDIR/nginx/proxy;
  fastcgi_temp_path $CDIR/nginx/fastcgi;
  uwsgi_temp_path $CDIR/nginx/uwsgi;
  scgi_temp_path $CDIR/nginx/scgi;
  server { listen 127.0.0.1:$NGINX_PORT; root $CDIR/www; }
}
EOF
  nginx -p "$CDIR/nginx" -c "$CDIR/nginx/nginx.conf" >"$TMP/nginx.log" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  sleep 0.5
fi
for round in 1 2; do
  f=$(fetch "$BIG_SHA" 1 $((CONTENT_MIB * 1048576)))
  echo "$f" >>"$TMP/runs.jsonl"
  best_grpc=$(awk "BEGIN {v = $(field "$f" mb_per_s); print (v > $best_grpc) ? v : $best_grpc}")
  if [[ -n $NGINX_PORT ]]; then
    read -r code size bps < <(curl -s -o /dev/null -w '%{http_code} %{size_download} %{speed_download}\n' \
      "http://127.0.0.1:$NGINX_PORT/big.mp4") || die "curl from nginx failed"
    [[ $code == 200 && $size == $((CONTENT_MIB * 1048576)) ]] ||
      die "nginx answered $code with $size bytes (see $CDIR/nginx/logs/error.log)"
    mbs=$(awk "BEGIN {print $bps / 1e6}")
    best_nginx=$(awk "BEGIN {b = \"$best_nginx\" + 0; print ($mbs > b) ? $mbs : b}")
  fi
done
[[ -n $NGINX_PORT ]] && stop_pid "$NGINX_PID"
row 6 "FetchContent, one ${CONTENT_MIB} MiB download (MB/s) vs nginx sendfile" "$best_grpc" "MB/s" \
  "${best_nginx}" "ratio>=" 0.8

# 100 at once: sample parcd's RSS while they run.
before=$(rss_kb "$CONTENT_PID")
(
  peak=0
  while kill -0 "$CONTENT_PID" 2>/dev/null && [[ ! -e $CDIR/done ]]; do
    r=$(rss_kb "$CONTENT_PID" 2>/dev/null || echo 0)
    ((r > peak)) && peak=$r
    echo "$peak" >"$CDIR/peak"
    sleep 0.02
  done
) &
sampler=$!
f=$(fetch "$SMALL_SHA" "$CONCURRENT" $((CONCURRENT_MIB * 1048576)))
touch "$CDIR/done"
wait "$sampler" || true
echo "$f" >>"$TMP/runs.jsonl"
chunk=$(awk "BEGIN {print $(field "$f" bytes) / $(field "$f" chunks)}")
growth_mib=$(awk "BEGIN {print ($(cat "$CDIR/peak") - $before) / 1024}")
limit_mib=$(awk "BEGIN {print 2 * $chunk * $CONCURRENT / 1048576}")
row 6 "$CONCURRENT concurrent ${CONCURRENT_MIB} MiB downloads, aggregate" "$(field "$f" mb_per_s)" "MB/s" "" "" ""
row 6 "parcd RSS growth during them (limit: 2 chunks of $(awk "BEGIN {print $chunk / 1024}") KiB per stream)" \
  "$growth_mib" MiB "" "<=" "$limit_mib"
stop_pid "$CONTENT_PID"
