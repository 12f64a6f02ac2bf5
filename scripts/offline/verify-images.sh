#!/usr/bin/env bash
# Smoke test of the local images under the project's Kubernetes securityContext
# (cap-drop ALL + CHOWN DAC_OVERRIDE FOWNER SETGID SETUID [+ NET_BIND_SERVICE], no-new-privileges):
#   - db + wordpress on a private network, WordPress published on 127.0.0.1:<random port>;
#   - time from `docker run` to the first HTTP 200 of /wp-admin/install.php (with the install form);
#   - healthchecks of both images; no password-less root accounts;
#   - db `docker kill` + restart on the same volume, wordpress recreated on its existing volume.
# Cleans up everything it created (unique names), also on failure.
set -euo pipefail
LOG_TAG=verify-images
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MYSQL_IMAGE="${WPCDK_MYSQL_IMAGE:-$MYSQL_IMAGE}"
WORDPRESS_IMAGE="${WPCDK_WORDPRESS_IMAGE:-$WORDPRESS_IMAGE}"
ID="wpcdk-verify-$$"
NET="$ID-net" DB="$ID-db" WP="$ID-wp" DBVOL="$ID-dbdata" WPVOL="$ID-wpdata"
SEC=(--cap-drop ALL --cap-add CHOWN --cap-add DAC_OVERRIDE --cap-add FOWNER --cap-add SETGID
     --cap-add SETUID --security-opt no-new-privileges)

cleanup() {
  docker rm -f "$WP" "$DB" >/dev/null 2>&1 || true
  docker volume rm "$DBVOL" "$WPVOL" >/dev/null 2>&1 || true
  docker network rm "$NET" >/dev/null 2>&1 || true
}
trap cleanup EXIT

run_db() {
  docker run -d --name "$DB" --network "$NET" --network-alias db "${SEC[@]}" \
    -v "$DBVOL:/var/lib/mysql" \
    -e MYSQL_ROOT_PASSWORD='r00t pw'\''"`$' -e MYSQL_DATABASE=wordpress \
    -e MYSQL_USER=wordpress -e MYSQL_PASSWORD='wp pw'\''"`$' \
    "$MYSQL_IMAGE" >/dev/null
}
run_wp() {
  docker run -d --name "$WP" --network "$NET" "${SEC[@]}" --cap-add NET_BIND_SERVICE \
    -p 127.0.0.1::80 -v "$WPVOL:/var/www/html/wp-content" \
    -e WORDPRESS_DB_HOST=db:3306 -e WORDPRESS_DB_USER=wordpress \
    -e WORDPRESS_DB_PASSWORD='wp pw'\''"`$' -e WORDPRESS_DB_NAME=wordpress \
    -e WORDPRESS_TABLE_PREFIX=wpcdk_ \
    -e WORDPRESS_CONFIG_EXTRA="define('WP_HTTP_BLOCK_EXTERNAL', true);" \
    "$WORDPRESS_IMAGE" >/dev/null
}
# wait_200 URL TIMEOUT_S -> prints seconds until the first 200
wait_200() {
  local url="$1" t0 code deadline; t0=$(now_s); deadline=$(( $(date +%s) + $2 ))
  while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)"
    [ "$code" = 200 ] && { elapsed "$t0"; return 0; }
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.05
  done
}
wait_healthy() { # wait_healthy NAME CMD... (runs CMD inside the container)
  local name="$1"; shift
  for _ in $(seq 120); do docker exec "$name" "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  docker logs --tail 30 "$name" >&2; die "$name: '$*' never succeeded"
}

docker network create "$NET" >/dev/null
docker volume create "$DBVOL" >/dev/null; docker volume create "$WPVOL" >/dev/null

t0=$(now_s)
run_db; run_wp
port="$(docker port "$WP" 80/tcp | head -n1 | sed 's/.*://')"
url="http://127.0.0.1:$port/wp-admin/install.php"
secs="$(wait_200 "$url" 60)" || { docker logs --tail 30 "$DB" >&2; docker logs --tail 30 "$WP" >&2; die "no 200 from $url"; }
log "cold start: first 200 of /wp-admin/install.php after ${secs}s (since docker run: $(elapsed "$t0")s)"
# Where the time went (container log timestamps): db first-init and WordPress copy.
phase() { # phase CONTAINER START_REGEX END_REGEX
  docker logs -t "$1" 2>&1 | awk -v a="$2" -v b="$3" '
    function ts(s) { split(substr(s, 12, 18), t, ":"); return t[1] * 3600 + t[2] * 60 + t[3] }
    $0 ~ a && !s { s = ts($1) } $0 ~ b && !e { e = ts($1) } END { if (s && e) printf "%.2fs", e - s; else printf "?" }'
}
log "  db first init: $(phase "$DB" 'initialising database' 'initialisation complete'); wordpress copy: $(phase "$WP" 'copying now' 'successfully copied')"
body="$(curl -fsS "$url")" || die "GET $url failed"
grep -q 'name="weblog_title"' <<<"$body" || { printf '%s\n' "$body" | head -c 2000 >&2; die "install.php has no install form"; }
log "install.php shows the install form"

wait_healthy "$DB" mysqladmin ping -h 127.0.0.1 --silent
wait_healthy "$WP" curl -fsS -o /dev/null http://127.0.0.1/wp-login.php
log "healthchecks pass (mysqladmin ping over TCP; curl /wp-login.php)"

accounts="$(docker exec -e MYSQL_PWD='r00t pw'\''"`$' "$DB" mariadb -uroot -N -e \
  "SELECT CONCAT(user,'@',host,' ',IF(JSON_VALUE(priv,'$.account_locked')='true','locked',IF(JSON_VALUE(priv,'$.authentication_string')='' AND JSON_VALUE(priv,'$.plugin') IN ('mysql_native_password',''),'NOPASSWORD','password'))) FROM mysql.global_priv")"
# shellcheck disable=SC2001  # indents every line
echo "$accounts" | sed 's/^/    /' >&2
if echo "$accounts" | grep -E '^(root|)@' | grep -q NOPASSWORD; then die "password-less root/anonymous account left"; fi
docker exec -e MYSQL_PWD='wp pw'\''"`$' "$DB" mariadb -h 127.0.0.1 -uwordpress wordpress -e 'SELECT 1' >/dev/null \
  || die "MYSQL_USER cannot log in over TCP"

# Crash + restart on the same volume, then a clean SIGTERM stop.
docker kill "$DB" >/dev/null
docker rm "$DB" >/dev/null
t1=$(now_s); run_db
secs="$(wait_200 "$url" 60)" || die "no 200 after db kill + restart"
log "db killed and recreated on its volume: 200 again after ${secs}s"
docker rm -f "$WP" >/dev/null; t1=$(now_s); run_wp
port="$(docker port "$WP" 80/tcp | head -n1 | sed 's/.*://')"; url="http://127.0.0.1:$port/wp-admin/install.php"
secs="$(wait_200 "$url" 60)" || die "no 200 after recreating wordpress on its volume"
log "wordpress recreated on its existing volume: 200 after ${secs}s"
t1=$(now_s); docker stop -t 20 "$DB" >/dev/null
code="$(docker inspect -f '{{.State.ExitCode}}' "$DB")"
[ "$code" = 0 ] || { docker logs --tail 20 "$DB" >&2; die "db exit code $code after docker stop"; }
log "db stopped cleanly on SIGTERM in $(elapsed "$t1")s (exit 0)"
log "all checks passed"
