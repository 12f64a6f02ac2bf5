#!/bin/sh
# The official image's flags on Debian's 0.14 exporter: --mysqld.address=HOST:PORT (default
# localhost:3306) and --mysqld.username=USER are taken out of the arguments and, with
# MYSQLD_EXPORTER_PASSWORD, become DATA_SOURCE_NAME; every other argument passes through.
set -eu
address=localhost:3306 user=
for arg do
  shift
  case "$arg" in
    --mysqld.address=*) address="${arg#*=}" ;;
    --mysqld.username=*) user="${arg#*=}" ;;
    *) set -- "$@" "$arg" ;;
  esac
done
if [ -z "${DATA_SOURCE_NAME:-}" ]; then
  [ -n "$user" ] || { echo "docker-entrypoint: --mysqld.username is required" >&2; exit 1; }
  DATA_SOURCE_NAME="$user:${MYSQLD_EXPORTER_PASSWORD:-}@tcp($address)/"
  export DATA_SOURCE_NAME
fi
unset MYSQLD_EXPORTER_PASSWORD
exec /usr/bin/prometheus-mysqld-exporter "$@"
