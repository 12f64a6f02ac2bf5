#!/usr/bin/env bash
# Makes the local Docker engine a single-node swarm manager, on the loopback address only
# (never an outside address), for `cdktf deploy wordpress-swarm` and the e2e. If the engine is
# already in a swarm it is used as it is; if this script created the swarm it writes a marker
# so that down.sh leaves it again (and removes what swarm mode leaves behind).
set -euo pipefail
LOG_TAG=swarm
# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
MARKER="$WPCDK_CACHE/swarm/created-by-wordpress-cdktf"

ensure_docker_engine
state="$(docker info --format '{{.Swarm.LocalNodeState}}')"
case "$state" in
  active)
    [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ] || die "this engine is a swarm worker: run against a manager"
    log "the engine is already a swarm manager: using it" ;;
  inactive)
    log "docker swarm init on 127.0.0.1"
    # The data path (VXLAN) stays on loopback too; the default address pool does not overlap
    # the test cluster's 10.96/16 and 10.244/24 ranges.
    docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 --data-path-addr 127.0.0.1 \
      --default-addr-pool 10.20.0.0/16 --default-addr-pool-mask-length 24 >/dev/null
    mkdir -p "$(dirname "$MARKER")" && : >"$MARKER" ;;
  *) die "unexpected swarm state of the engine: $state" ;;
esac
log "swarm ready: node $(docker info --format '{{.Swarm.NodeID}}')"
