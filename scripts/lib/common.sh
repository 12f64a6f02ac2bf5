# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are used by the scripts that source this file
# The one library of scripts/offline and scripts/cluster (sourced, not executed).
# Sourcing it only sets variables and defines functions: no side effects, so
# env.sh files may source it in a subshell to read a setting.
#
# Owns: the cache path, logging, need_root, apt installs, a running Docker engine,
# content hashes and stamps, stamped Go builds, hash-labelled image builds,
# locks and timing. Settings of one folder live in that folder's lib.sh /
# common.sh, which source this file.

# ---- paths -----------------------------------------------------------------------
# Everything built or downloaded is cached here (never in the repository).
WPCDK_CACHE="${WPCDK_CACHE:-$HOME/.cache/wordpress-cdktf}"
LOG_DIR="$WPCDK_CACHE/logs"                  # build logs, apt.log, build-times.txt
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# ---- logging ---------------------------------------------------------------------
# LOG_TAG names the script in every line; LOG_TIME=1 adds the time of day.
log() {
  if [ -n "${LOG_TIME:-}" ]; then
    printf '[%s %s] %s\n' "${LOG_TAG:-wpcdk}" "$(date +%H:%M:%S)" "$*" >&2
  else
    printf '[%s] %s\n' "${LOG_TAG:-wpcdk}" "$*" >&2
  fi
}
die() { printf '[%s] ERROR: %s\n' "${LOG_TAG:-wpcdk}" "$*" >&2; exit 1; }

# ROOT_REASON says what root is needed for.
need_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (${ROOT_REASON:-apt-get / docker})"
}

# ---- timing ------------------------------------------------------------------------
# now_s: seconds since epoch with millisecond precision
now_s() { date +%s.%3N; }
# elapsed START -> "12.3"
elapsed() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- locks -------------------------------------------------------------------------
# take_lock NAME: serialise concurrent runs of the same step (released when the script exits).
take_lock() {
  mkdir -p "$WPCDK_CACHE"
  exec 9>"$WPCDK_CACHE/.$1.lock"
  if ! flock -n 9; then
    log "another $1 run is in progress: waiting for it"
    flock 9
  fi
}

# ---- Debian packages -----------------------------------------------------------------
# apt_install PKG... : install the Debian packages that are missing (one apt-get update per run).
# Runs holding $WPCDK_CACHE/.apt.lock (fd 8): .ci/run builds the cluster in the background while
# other steps may install packages, and dpkg refuses a second apt-get at the same time.
_APT_UPDATED=0
apt_missing() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}
apt_install() {
  local missing=()
  mapfile -t missing < <(apt_missing "$@")
  [ "${#missing[@]}" -eq 0 ] && return 0
  need_root
  mkdir -p "$LOG_DIR" "$WPCDK_CACHE"
  exec 8>"$WPCDK_CACHE/.apt.lock"
  flock 8
  mapfile -t missing < <(apt_missing "$@")   # another run may have installed them meanwhile
  if [ "${#missing[@]}" -gt 0 ]; then
    local logf="$LOG_DIR/apt.log"
    if [ "$_APT_UPDATED" -eq 0 ]; then
      log "apt-get update"
      apt-get update -qq >"$logf" 2>&1 || { tail -n 20 "$logf" >&2; die "apt-get update failed (log: $logf)"; }
      _APT_UPDATED=1
    fi
    log "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$logf" 2>&1 \
      || { tail -n 20 "$logf" >&2; die "apt-get install ${missing[*]} failed (log: $logf)"; }
  fi
  exec 8>&-
}

# ---- Docker engine ---------------------------------------------------------------------
# ensure_docker_engine: docker.io installed (Debian), dockerd running and answering
# `docker info` within DOCKER_WAIT_SECONDS (default 60). Silent when it already answers.
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"
ensure_docker_engine() {
  local wait="${DOCKER_WAIT_SECONDS:-60}" deadline
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    log "dockerd/docker not found: installing Debian's docker.io"
    apt_install docker.io
  fi
  docker info >/dev/null 2>&1 && return 0
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    need_root
    log "starting dockerd in the background (log: $DOCKERD_LOG)"
    # setsid: detach from this shell's session so the daemon outlives the script.
    setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  fi
  deadline=$(( $(date +%s) + wait ))
  until docker info >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 20 "$DOCKERD_LOG" >&2 2>/dev/null || true
      die "docker engine did not answer 'docker info' within ${wait}s (see $DOCKERD_LOG)"
    fi
    sleep 0.5
  done
}

# ---- content hashes and stamps -----------------------------------------------------------
# hash16: first 16 hex digits of the sha256 of stdin (every cache key is one of these).
hash16() { sha256sum | cut -c1-16; }
# hash_files FILE... : hash16 over names+contents of the given files (in the given order).
hash_files() {
  local f
  for f in "$@"; do
    printf '%s\0' "$(basename "$f")"
    cat "$f"
  done | hash16
}
# stamp_fresh STAMP_FILE KEY OUTPUT... : true when every OUTPUT is executable and STAMP_FILE holds KEY.
stamp_fresh() {
  local stamp="$1" key="$2" f; shift 2
  for f in "$@"; do [ -x "$f" ] || return 1; done
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]
}
# stamp_write STAMP_FILE KEY (written last, after the outputs are in place).
stamp_write() { mkdir -p "$(dirname "$1")"; printf '%s\n' "$2" >"$1"; }

# ---- stamped Go builds -------------------------------------------------------------------
# go_build_stamped NAME STAMP_FILE KEY OUT MODDIR LDFLAGS PKG...
#   `go build -trimpath` of PKG... inside the module MODDIR (CGO off, local toolchain,
#   GOFLAGS from GO_BUILD_FLAGS, default "-mod=readonly -buildvcs=false").
#   OUT ending in "/": a directory receiving one binary per PKG (named after the package's
#   last path element), replaced as a whole; otherwise the path of the one binary.
#   Skipped when the binaries exist and STAMP_FILE holds KEY. Log: $LOG_DIR/build-NAME.log;
#   durations are appended to $LOG_DIR/build-times.txt.
go_build_stamped() {
  local name="$1" stamp="$2" key="$3" out="$4" moddir="$5" ldflags="$6"; shift 6
  local outs=() pkg tmp target dir_mode=0
  if [ "${out%/}" != "$out" ]; then
    dir_mode=1 out="${out%/}"
    for pkg in "$@"; do outs+=("$out/$(basename "$pkg")"); done
  else
    outs=("$out")
  fi
  stamp_fresh "$stamp" "$key" "${outs[@]}" && return 0

  local logf="$LOG_DIR/build-$name.log" t0; t0=$(now_s)
  mkdir -p "$LOG_DIR"
  log "building $name (log: $logf) ..."
  if [ "$dir_mode" = 1 ]; then
    tmp="$out.tmp" target="$out.tmp/"
    rm -rf "$tmp" && mkdir -p "$tmp"
  else
    tmp="$(dirname "$out")/.$(basename "$out").tmp" target="$tmp"
    mkdir -p "$(dirname "$out")" && rm -f "$tmp"
  fi
  if ! (cd "$moddir" && GOFLAGS="${GO_BUILD_FLAGS:--mod=readonly -buildvcs=false}" CGO_ENABLED=0 GOTOOLCHAIN=local \
          go build -trimpath -ldflags "$ldflags" -o "$target" "$@") >"$logf" 2>&1; then
    tail -n 30 "$logf" >&2
    rm -rf "$tmp"
    die "build of $name failed (log: $logf)"
  fi
  if [ "$dir_mode" = 1 ]; then
    rm -rf "$out" && mv "$tmp" "$out"
  else
    chmod 755 "$tmp" && mv -f "$tmp" "$out"
  fi
  stamp_write "$stamp" "$key"
  local took; took=$(elapsed "$t0")
  log "built $name in ${took}s"
  echo "$(date -u +%FT%TZ) $name build ${took}s" >>"$LOG_DIR/build-times.txt"
}

# ---- hash-labelled Docker images ----------------------------------------------------------
# An image carries a label whose value is the hash of its recipe; it is rebuilt only when
# that hash changes (IMAGES_FORCE=1 rebuilds anyway).
image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }
# image_label TAG LABEL -> the label's value ("" when the image or label is missing)
image_label() { docker image inspect -f "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }
# image_fresh TAG LABEL HASH : true when TAG carries LABEL=HASH (and IMAGES_FORCE is unset)
image_fresh() { [ -z "${IMAGES_FORCE:-}" ] && [ "$(image_label "$1" "$2")" = "$3" ]; }
# image_size TAG -> "123.4 MB"
image_size() { docker image inspect -f '{{.Size}}' "$1" | awk '{printf "%.1f MB", $1/1e6}'; }
# build_labelled_image TAG LABEL HASH LOGFILE CONTEXT [DOCKER_BUILD_ARG...]
#   Nothing to do when image_fresh; otherwise `docker build --label LABEL=HASH` (classic
#   builder) of CONTEXT. Sets IMAGE_REPLACED to the id TAG had before a rebuild ("" if none).
IMAGE_REPLACED=""
build_labelled_image() {
  local tag="$1" label="$2" hash="$3" logf="$4" ctx="$5"; shift 5
  IMAGE_REPLACED=""
  if image_fresh "$tag" "$label" "$hash"; then
    log "$tag up to date ($hash)"
    return 0
  fi
  IMAGE_REPLACED="$(image_id "$tag")"
  log "building $tag (log: $logf)"
  local t0; t0=$(now_s)
  mkdir -p "$(dirname "$logf")"
  if ! DOCKER_BUILDKIT=0 docker build --force-rm --label "$label=$hash" "$@" -t "$tag" "$ctx" >"$logf" 2>&1; then
    tail -n 40 "$logf" >&2
    die "docker build of $tag failed (full log: $logf)"
  fi
  log "built $tag in $(elapsed "$t0") s ($(image_size "$tag"))"
}
