#!/bin/bash
# Entrypoint of wordpress-cdktf/mysql: the official mysql image's env contract on Debian's MariaDB.
#   MYSQL_ROOT_PASSWORD | MYSQL_ALLOW_EMPTY_PASSWORD | MYSQL_RANDOM_ROOT_PASSWORD (one is required)
#   MYSQL_ROOT_HOST (default %), MYSQL_DATABASE, MYSQL_USER, MYSQL_PASSWORD
#   every variable also as VAR_FILE (read from a file) and as MARIADB_* (same meaning).
#   /docker-entrypoint-initdb.d/*.sql|*.sql.gz|*.sh run once, on first initialisation.
# First start (empty /var/lib/mysql): mariadb-install-db creates the system tables and runs the
# users/database SQL in one bootstrap run (no network at all); then the real server is exec'd as
# PID 1 (clean SIGTERM shutdown). The temporary server for /docker-entrypoint-initdb.d listens on a
# socket only. A half-done initialisation (marker file) is wiped and redone on the next start.
set -euo pipefail

log() { printf '%s [Entrypoint]: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S')" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# file_env VAR [DEFAULT]: VAR from VAR, VAR_FILE, MARIADB_*, MARIADB_*_FILE (first set wins).
file_env() {
  local var="$1" def="${2:-}" alt="MARIADB_${1#MYSQL_}" val="" v fv
  for v in "$var" "$alt"; do
    fv="${v}_FILE"
    if [ -n "${!v:-}" ] && [ -n "${!fv:-}" ]; then
      die "both $v and $fv are set (but are exclusive)"
    fi
  done
  for v in "$var" "$alt"; do
    fv="${v}_FILE"
    if [ -n "${!v:-}" ]; then val="${!v}"; break; fi
    if [ -n "${!fv:-}" ]; then val="$(< "${!fv}")"; break; fi
  done
  [ -n "$val" ] || val="$def"
  export "$var"="$val"
  unset "${var}_FILE" "$alt" "${alt}_FILE" || true
}

# SQL string literal / identifier escaping.
sql_str() { local s="${1//\\/\\\\}"; s="${s//\'/\\\'}"; printf "'%s'" "$s"; }
sql_id()  { printf '`%s`' "${1//\`/\`\`}"; }

DATADIR=/var/lib/mysql
MARKER="$DATADIR/.wpcdk-init-in-progress"

if [ "${1:0:1}" = '-' ]; then set -- mariadbd "$@"; fi
case "${1:-}" in mariadbd|mysqld) ;; *) exec "$@" ;; esac

USER_ARGS=()
# Fix ownership of a volume created by someone else (needs CAP_CHOWN); skip if already right.
fix_ownership() { find "$DATADIR" /run/mysqld \! -user mysql -exec chown mysql:mysql '{}' + 2>/dev/null || true; }
if [ "$(id -u)" = 0 ]; then
  USER_ARGS=(--user=mysql)
  mkdir -p /run/mysqld
  fix_ownership
fi

# A data directory written by an older MariaDB (its version in mariadb_upgrade_info, before 11.x
# mysql_upgrade_info) is upgraded before the server serves it, as the official mariadb image does
# with MARIADB_AUTO_UPGRADE: a dump of the system schema is kept in the data directory first,
# then mariadb-upgrade runs against a socket-only temporary server (no network, no grants needed).
server_version() { mariadbd --version | sed -nE 's/.*Ver ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p'; }
data_version() {
  local f
  for f in "$DATADIR/mariadb_upgrade_info" "$DATADIR/mysql_upgrade_info"; do
    [ -f "$f" ] && { sed -nE 's/^([0-9]+\.[0-9]+\.[0-9]+).*/\1/p' "$f" | head -n1; return; }
  done
}
# A release line as one number, for comparing: 10.11.19 -> 10011, 11.8.9 -> 11008.
release_line() { local major="${1%%.*}" rest="${1#*.}"; echo $(( major * 1000 + ${rest%%.*} )); }
# Stops a temporary server running as mysql through its socket: the container has no CAP_KILL,
# so root cannot signal it.
stop_server() { # stop_server PID SOCKET [mariadb-admin options...]
  local pid="$1" sock="$2"; shift 2
  mariadb-admin --protocol=socket --socket="$sock" "$@" shutdown || true
  wait "$pid" || true
}
upgrade_if_needed() {
  local have want
  have="$(data_version)"; want="$(server_version)"
  if [ -n "$have" ]; then
    # Same release line: nothing to upgrade.
    [ "$(release_line "$have")" -eq "$(release_line "$want")" ] && return 0
    if [ "$(release_line "$have")" -gt "$(release_line "$want")" ]; then
      die "the data directory was written by MariaDB $have and this server is $want: MariaDB does not support downgrades (the data would be damaged). Run an image at least as new, or restore a backup into a fresh volume (npm run restore)"
    fi
  fi
  # (No info file at all: a data directory of another origin: let mariadb-upgrade check it.)
  log "data directory from MariaDB ${have:-unknown}, server $want: upgrading it"
  # The temporary server runs as this entrypoint's own user, so that it can be stopped with a
  # signal: mariadb-upgrade ends with FLUSH PRIVILEGES, after which no password-less shutdown is
  # allowed (and the root password may not be known: MYSQL_RANDOM_ROOT_PASSWORD).
  local sock=/run/mysqld/upgrade.sock pid self=()
  [ "$(id -u)" = 0 ] && self=(--user=root)
  mariadbd "${self[@]}" --skip-networking --socket="$sock" --skip-grant-tables --skip-log-bin \
    --loose-innodb_buffer_pool_dump_at_shutdown=0 &
  pid=$!
  local client=(mariadb --protocol=socket --socket="$sock")
  for _ in $(seq 120); do "${client[@]}" -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.5; done
  "${client[@]}" -e 'SELECT 1' >/dev/null || { kill -TERM "$pid"; wait "$pid" || true; die "temporary server for the upgrade did not start"; }
  local backup="$DATADIR/system_mysql_backup_${have:-unknown}.sql.gz"
  mariadb-dump --protocol=socket --socket="$sock" --skip-lock-tables --databases mysql | gzip > "$backup"
  log "system schema saved to $backup"
  local upgraded=0
  mariadb-upgrade --protocol=socket --socket="$sock" --upgrade-system-tables >&2 || upgraded=$?
  kill -TERM "$pid"; wait "$pid" || true
  # What the server wrote as root belongs to mysql again.
  if [ "$(id -u)" = 0 ]; then fix_ownership; fi
  [ "$upgraded" = 0 ] || die "mariadb-upgrade failed (exit $upgraded); the system schema is saved in $backup"
  log "upgrade to $want done"
}

if [ -f "$MARKER" ]; then
  log "previous initialisation did not finish: wiping $DATADIR and starting over"
  find "$DATADIR" -mindepth 1 -delete
fi

if [ ! -d "$DATADIR/mysql" ]; then
  file_env MYSQL_ROOT_PASSWORD
  file_env MYSQL_ALLOW_EMPTY_PASSWORD
  file_env MYSQL_RANDOM_ROOT_PASSWORD
  file_env MYSQL_ROOT_HOST '%'
  file_env MYSQL_DATABASE
  file_env MYSQL_USER
  file_env MYSQL_PASSWORD
  if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "$MYSQL_ALLOW_EMPTY_PASSWORD" ] && [ -z "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
    die "database is uninitialized and password option is not specified
    You need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD"
  fi
  if [ -n "$MYSQL_RANDOM_ROOT_PASSWORD" ] && [ -z "$MYSQL_ROOT_PASSWORD" ]; then
    MYSQL_ROOT_PASSWORD="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
    log "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
  fi
  if [ "$MYSQL_USER" = root ]; then
    die "MYSQL_USER=root is not supported: use MYSQL_ROOT_PASSWORD for the root user"
  fi
  if [ -n "$MYSQL_USER" ] && [ -z "$MYSQL_PASSWORD" ]; then
    die "MYSQL_USER is set but MYSQL_PASSWORD is empty"
  fi

  log "initialising database files in $DATADIR"
  : > "$MARKER"
  [ "$(id -u)" = 0 ] && chown mysql:mysql "$MARKER"
  # Accounts/database SQL, appended to mariadb-install-db's own bootstrap run (one bootstrap, no
  # network at all). FLUSH PRIVILEGES loads the grant tables so account statements work there.
  # The file holds passwords: private, on tmpfs when there is one, removed right after.
  sqldir=/dev/shm; [ -d "$sqldir" ] && [ -w "$sqldir" ] || sqldir=/run/mysqld
  initsql="$(umask 077; mktemp -p "$sqldir" init.XXXXXX.sql)"
  trap 'rm -f "$initsql"' EXIT
  {
    echo "FLUSH PRIVILEGES;"
    # mariadb-install-db leaves password-less root@127.0.0.1/::1/<hostname> and anonymous users.
    echo "DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost');"
    echo "FLUSH PRIVILEGES;"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_str "$MYSQL_ROOT_PASSWORD");"
    if [ "$MYSQL_ROOT_HOST" != localhost ]; then
      echo "CREATE USER 'root'@$(sql_str "$MYSQL_ROOT_HOST") IDENTIFIED BY $(sql_str "$MYSQL_ROOT_PASSWORD");"
      echo "GRANT ALL ON *.* TO 'root'@$(sql_str "$MYSQL_ROOT_HOST") WITH GRANT OPTION;"
    fi
    if [ -n "$MYSQL_DATABASE" ]; then
      echo "CREATE DATABASE IF NOT EXISTS $(sql_id "$MYSQL_DATABASE");"
    fi
    if [ -n "$MYSQL_USER" ]; then
      echo "CREATE USER $(sql_str "$MYSQL_USER")@'%' IDENTIFIED BY $(sql_str "$MYSQL_PASSWORD");"
      if [ -n "$MYSQL_DATABASE" ]; then
        echo "GRANT ALL ON $(sql_id "${MYSQL_DATABASE//_/\\_}").* TO $(sql_str "$MYSQL_USER")@'%';"
      fi
    fi
    echo "FLUSH PRIVILEGES;"
  } > "$initsql"

  mariadb-install-db "${USER_ARGS[@]}" --datadir="$DATADIR" --rpm \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
    --skip-log-bin --expire-logs-days=0 --extra-file="$initsql" \
    --loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0 \
    >/dev/null || die "mariadb-install-db failed"
  rm -f "$initsql"; trap - EXIT

  # Optional init scripts, run against a socket-only temporary server (never on TCP).
  shopt -s nullglob
  initfiles=(/docker-entrypoint-initdb.d/*)
  shopt -u nullglob
  if [ "${#initfiles[@]}" -gt 0 ]; then
    log "running /docker-entrypoint-initdb.d on a socket-only temporary server"
    sock=/run/mysqld/init.sock
    mariadbd "${USER_ARGS[@]}" --skip-networking --socket="$sock" --skip-log-bin &
    pid=$!
    client=(mariadb --protocol=socket --socket="$sock" -uroot)
    export MYSQL_PWD="$MYSQL_ROOT_PASSWORD"
    for _ in $(seq 60); do "${client[@]}" -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.5; done
    [ -n "$MYSQL_DATABASE" ] && client+=("$MYSQL_DATABASE")
    for f in "${initfiles[@]}"; do
      case "$f" in
        *.sh)     log "running $f"; . "$f" ;;
        *.sql)    log "running $f"; "${client[@]}" < "$f" ;;
        *.sql.gz) log "running $f"; gunzip -c "$f" | "${client[@]}" ;;
        *)        log "ignoring $f" ;;
      esac
    done
    stop_server "$pid" "$sock" -uroot
    unset MYSQL_PWD
  fi

  # Record which server wrote the data (as mariadb-upgrade does), for the upgrade check above.
  want="$(server_version)"
  info="$DATADIR/mysql_upgrade_info"; [ "${want%%.*}" -ge 11 ] && info="$DATADIR/mariadb_upgrade_info"
  echo "$want-MariaDB" > "$info"
  [ "$(id -u)" = 0 ] && chown mysql:mysql "$info"
  rm -f "$MARKER"
  log "initialisation complete; starting the server"
else
  upgrade_if_needed
fi

unset MYSQL_ROOT_PASSWORD MYSQL_PASSWORD MARIADB_ROOT_PASSWORD MARIADB_PASSWORD || true
exec "$@" "${USER_ARGS[@]}"
