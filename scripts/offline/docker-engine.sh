#!/usr/bin/env bash
# Make sure a Docker engine is installed, running and answering `docker info`.
# Idempotent: does nothing (≈0.1 s) when dockerd already answers.
set -euo pipefail
LOG_TAG=docker-engine
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOCKER_WAIT_SECONDS="${DOCKER_WAIT_SECONDS:-60}"
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  log "dockerd/docker not found: installing Debian's docker.io"
  apt_install docker.io
fi

if docker info >/dev/null 2>&1; then
  log "docker engine is up ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  need_root
  log "starting dockerd in the background (log: $DOCKERD_LOG)"
  # setsid: detach from this shell's session so the daemon outlives the script.
  setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
fi

deadline=$(( $(date +%s) + DOCKER_WAIT_SECONDS ))
until docker info >/dev/null 2>&1; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    tail -n 20 "$DOCKERD_LOG" >&2 2>/dev/null || true
    die "docker engine did not answer 'docker info' within ${DOCKER_WAIT_SECONDS}s (see $DOCKERD_LOG)"
  fi
  sleep 0.5
done
log "docker engine is up ($(docker version --format '{{.Server.Version}}'))"
