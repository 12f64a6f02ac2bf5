# shellcheck shell=bash
# Common helpers for scripts/offline/*.sh (sourced, not executed).

WPCDK_CACHE="${WPCDK_CACHE:-${HOME}/.cache/wordpress-cdktf}"
OFFLINE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { printf '[%s] %s\n' "${LOG_TAG:-offline}" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "${LOG_TAG:-offline}" "$*" >&2; exit 1; }

# now_s: seconds since epoch with millisecond precision
now_s() { date +%s.%3N; }
# elapsed START -> "12.3"
elapsed() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (apt-get / docker)"
}

# apt_install PKG... : install Debian packages that are missing (one apt-get update per run).
_APT_UPDATED=0
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  need_root
  if [ "$_APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    apt-get update -qq || die "apt-get update failed"
    _APT_UPDATED=1
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# hash_files FILE... : sha256 over names+contents of the given files (stable order).
hash_files() {
  local f
  for f in "$@"; do
    printf '%s\0' "$(basename "$f")"
    cat "$f"
  done | sha256sum | cut -c1-16
}

# take_lock NAME: serialise concurrent runs of the same step (released when the script exits).
take_lock() {
  mkdir -p "$WPCDK_CACHE"
  exec 9>"$WPCDK_CACHE/.$1.lock"
  if ! flock -n 9; then
    log "another $1 run is in progress: waiting for it"
    flock 9
  fi
}
