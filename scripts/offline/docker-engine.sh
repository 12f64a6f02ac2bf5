#!/usr/bin/env bash
# Make sure a Docker engine is installed, running and answering `docker info`.
# Idempotent: does nothing (≈0.1 s) when dockerd already answers.
# Env: DOCKER_WAIT_SECONDS (default 60), DOCKERD_LOG (default /var/log/dockerd.log).
set -euo pipefail
LOG_TAG=docker-engine
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_docker_engine
log "docker engine is up ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
