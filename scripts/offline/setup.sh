#!/usr/bin/env bash
# One-shot, idempotent offline set-up (Debian 12, root):
#   1. Docker engine installed + running          (docker-engine.sh)
#   2. local images built from Debian packages    (images.sh)
#   3. Terraform providers in a filesystem mirror (providers.sh; built in parallel with step 2)
#   4. Debian's chromium, docker-compose and hey for the e2e tests
# Everything is cached under ~/.cache/wordpress-cdktf (and Docker's image store), keyed by
# content hashes: with warm caches a re-run takes a few seconds.
# Afterwards:  . scripts/offline/env.sh
# Env: SETUP_SKIP_IMAGES=1 / SETUP_SKIP_PROVIDERS=1 / SETUP_SKIP_E2E_TOOLS=1 to skip a step;
#      SETUP_VERIFY=1 also runs verify-providers.sh and verify-images.sh (≈10 s).
set -euo pipefail
LOG_TAG=setup
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

declare -a SUMMARY=()
step() { # step NAME CMD...
  local name="$1"; shift
  local t0; t0=$(now_s)
  log "== $name"
  "$@"
  SUMMARY+=("$(printf '%-16s %6ss' "$name" "$(elapsed "$t0")")")
}

e2e_tools() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  command -v hey >/dev/null 2>&1 || missing+=(hey)   # bounded loopback load in the Swarm e2e
  command -v certutil >/dev/null 2>&1 || missing+=(libnss3-tools)   # the HTTPS e2e's browser trust store
  [ "${#missing[@]}" -eq 0 ] || apt_install "${missing[@]}"
  local v
  # (Debian's launcher prints a harmless "[: ...: unexpected operator" from /etc/chromium.d on stderr.)
  v="$(/usr/bin/chromium --version 2>/dev/null)" || die "/usr/bin/chromium --version failed: $(/usr/bin/chromium --version 2>&1 | tail -n 3)"
  log "$v; $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /')"
}

t_total=$(now_s)
step docker-engine "$HERE/docker-engine.sh"

# Providers (CPU-bound Go builds) run in the background while images (mostly downloads) build.
prov_pid=""
if [ -z "${SETUP_SKIP_PROVIDERS:-}" ]; then
  prov_log="$WPCDK_CACHE/tmp/providers.log"; mkdir -p "$WPCDK_CACHE/tmp"
  t_prov=$(now_s)
  "$HERE/providers.sh" >"$prov_log" 2>&1 &
  prov_pid=$!
fi

[ -z "${SETUP_SKIP_IMAGES:-}" ] && step images "$HERE/images.sh"
[ -z "${SETUP_SKIP_E2E_TOOLS:-}" ] && step e2e-tools e2e_tools

if [ -n "$prov_pid" ]; then
  log "== providers (waiting for the background build, log: $prov_log)"
  if ! wait "$prov_pid"; then
    cat "$prov_log" >&2
    die "providers.sh failed"
  fi
  sed 's/^/  /' "$prov_log" | grep -v '^  go: downloading' >&2 || true
  SUMMARY+=("$(printf '%-16s %6ss (parallel)' providers "$(elapsed "$t_prov")")")
fi

if [ -n "${SETUP_VERIFY:-}" ]; then
  step verify-providers "$HERE/verify-providers.sh"
  [ -z "${SETUP_SKIP_IMAGES:-}" ] && step verify-images "$HERE/verify-images.sh"
fi

log "done in $(elapsed "$t_total") s:"
printf '  %s\n' "${SUMMARY[@]}" >&2
log "now run:  . scripts/offline/env.sh"
