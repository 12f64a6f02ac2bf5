#!/usr/bin/env bash
# Leaves the swarm that up.sh created (a swarm that was there before is left alone), and removes
# what swarm mode leaves behind (the docker_gwbridge network), so the machine is as it was.
set -euo pipefail
LOG_TAG=swarm
# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
MARKER="$WPCDK_CACHE/swarm/created-by-wordpress-cdktf"

if [ ! -f "$MARKER" ]; then
  log "no swarm created by up.sh: nothing to do"
  exit 0
fi
if [ "$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)" = active ]; then
  log "docker swarm leave --force"
  docker swarm leave --force >/dev/null
fi
for _ in $(seq 20); do
  docker network inspect docker_gwbridge >/dev/null 2>&1 || break
  docker network rm docker_gwbridge >/dev/null 2>&1 && break
  sleep 0.5
done
docker network inspect docker_gwbridge >/dev/null 2>&1 && die "docker_gwbridge is still there"
rm -f "$MARKER"
log "left the swarm"
