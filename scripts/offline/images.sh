#!/usr/bin/env bash
# Build the project's local Docker images from Debian packages only (no registry):
#   wordpress-cdktf/debian:<suite>      minbase rootfs made by mmdebstrap, `docker import`ed
#   wordpress-cdktf/mysql:<suite>       MariaDB with the official mysql image's env contract
#   wordpress-cdktf/wordpress:<suite>   WordPress + Apache/mod_php with the official wordpress image's contract
#   wordpress-cdktf/haproxy:bookworm    HAProxy with the official haproxy image's contract (the load balancer)
# for <suite> = bookworm (WordPress 6.1, MariaDB 10.11: what the stacks get) and trixie
# (WordPress 6.8, MariaDB 11.8: the upgrade). The two suites build side by side.
#   wordpress-cdktf/{mysqld-exporter,apache-exporter}:bookworm  metrics exporters, Debian packages
#   wordpress-cdktf/{prometheus,cadvisor}:bookworm  Prometheus and cAdvisor built from their Go modules
# Each image carries a label `org.wordpress-cdktf.hash` = hash of its recipe (and of its parent
# image id); an image is rebuilt only when that hash changes. Re-runs with warm images take < 1 s.
# Env: IMAGES_SUITES="bookworm" builds only those suites (default: both); IMAGES_FORCE=1 rebuilds everything; DEBIAN_MIRROR / DEBIAN_SECURITY_MIRROR override the
# mirrors taken from the machine's apt sources.
set -euo pipefail
LOG_TAG=images
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# (SUITE and the image names come from lib.sh)
LABEL=org.wordpress-cdktf.hash
# Bump to force a rebuild of the base when the recipe below changes in a way the hash misses.
BASE_RECIPE_VERSION=1

docker info >/dev/null 2>&1 || die "docker engine not reachable: run scripts/offline/docker-engine.sh first"
take_lock images

REPLACED=()

# --- Debian mirrors from the machine's apt sources ---------------------------------------
# Prints "URI" of the first source serving SUITE (exact suite name), from deb822 *.sources,
# one-line *.list files and /etc/apt/sources.list.
apt_uri_for_suite() {
  local want="$1" f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v want="$want" '
      function flush() { if (uris != "" && enabled) { n = split(suites, s, " "); for (i = 1; i <= n; i++) if (s[i] == want) { split(uris, u, " "); print u[1]; found = 1; exit } } uris = ""; suites = ""; enabled = 1 }
      BEGIN { enabled = 1 }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      tolower($1) == "uris:"    { $1 = ""; uris = $0 }
      tolower($1) == "suites:"  { $1 = ""; suites = $0 }
      tolower($1) == "enabled:" { enabled = (tolower($2) != "no") }
      END { if (!found) flush() }' "$f" | head -n1
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [opts] URI SUITE COMPONENTS...
    sed -E -e 's/\[[^]]*\]//' "$f" | awk -v want="$want" '$1 == "deb" && $3 == want { print $2; exit }'
  done
}

# The machine's own suite is in its sources; another suite comes from the same archive.
MIRROR="${DEBIAN_MIRROR:-$(apt_uri_for_suite "$SUITE" | head -n1)}"
SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-$(apt_uri_for_suite "${SUITE}-security" | head -n1)}"
[ -n "$MIRROR" ] || die "no apt source for suite '$SUITE' found in /etc/apt/sources.list{,.d/*}; set DEBIAN_MIRROR"
MIRROR="${MIRROR%/}"; SECURITY_MIRROR="${SECURITY_MIRROR%/}"

# --- base image ---------------------------------------------------------------------------
# build_base SUITE: wordpress-cdktf/debian:SUITE
build_base() {
  local SUITE="$1" BASE_IMAGE; BASE_IMAGE="$(local_image debian "$1")"
  local hooks=/usr/share/mmdebstrap/hooks/merged-usr
  command -v mmdebstrap >/dev/null 2>&1 || apt_install mmdebstrap
  [ -d "$hooks" ] || die "mmdebstrap merged-usr hooks not found at $hooks"

  local sources=("deb $MIRROR $SUITE main" "deb $MIRROR ${SUITE}-updates main")
  [ -n "$SECURITY_MIRROR" ] && sources+=("deb $SECURITY_MIRROR ${SUITE}-security main")

  # Customize hooks: what the official Debian images also ship for container use:
  # - policy-rc.d: packages never start services during `apt-get install` in a build;
  # - dpkg force-unsafe-io (≈25% faster package installs), no man pages/docs/translations;
  # - apt: no recommends/suggests, no caches or lists left in layers.
  # Never remove the rootfs /tmp in a hook: mmdebstrap keeps its apt config there, and its
  # cleanup would then run against the host (wiping the host's apt lists).
  # (the hooks are shell code run by mmdebstrap: $1 is its rootfs, expanded there, not here)
  # shellcheck disable=SC2016
  local args=(
    --variant=minbase --mode=root --format=tar
    --hook-dir="$hooks" --skip=chroot/policy-rc.d
    --dpkgopt='force-unsafe-io'
    --dpkgopt='path-exclude=/usr/share/man/*'
    --dpkgopt='path-exclude=/usr/share/doc/*'
    --dpkgopt='path-include=/usr/share/doc/*/copyright'
    --dpkgopt='path-exclude=/usr/share/locale/*'
    --dpkgopt='path-include=/usr/share/locale/locale.alias'
    --aptopt='APT::Install-Recommends "false"'
    --aptopt='APT::Install-Suggests "false"'
    --aptopt='Acquire::Languages "none"'
    --customize-hook='printf "#!/bin/sh\nexit 101\n" > "$1/usr/sbin/policy-rc.d"; chmod 755 "$1/usr/sbin/policy-rc.d"'
    --customize-hook='printf "%s\n" "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };" "APT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };" "Dir::Cache::pkgcache \"\";" "Dir::Cache::srcpkgcache \"\";" > "$1/etc/apt/apt.conf.d/docker-clean"'
    --customize-hook='rm -f "$1"/etc/hostname "$1"/etc/machine-id; : > "$1/etc/machine-id"'
    --customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb "$1"/var/cache/apt/*.bin; rm -rf "$1"/var/lib/apt/lists/*; mkdir -p "$1"/var/lib/apt/lists/partial'
  )
  local import_changes=(
    "LABEL $LABEL=@HASH@"
    'ENV LANG=C.UTF-8'
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    'CMD ["bash"]'
  )
  local want
  want="$( { printf '%s\n' "v$BASE_RECIPE_VERSION" "$SUITE" "${args[@]}" "${sources[@]}" "${import_changes[@]}"; cat "$hooks"/*; } \
           | hash16)"
  if image_fresh "$BASE_IMAGE" "$LABEL" "$want"; then
    log "$BASE_IMAGE up to date ($want)"
    return 0
  fi

  REPLACED+=("$(image_id "$BASE_IMAGE")")
  log "building $BASE_IMAGE with mmdebstrap (minbase, merged /usr) from $MIRROR"
  local t0 tar logf="$WPCDK_CACHE/tmp/build-base-$SUITE.log"; t0=$(now_s)
  mkdir -p "$WPCDK_CACHE/tmp"
  tar="$(mktemp -p "$WPCDK_CACHE/tmp" base.XXXXXX.tar)"
  if ! mmdebstrap "${args[@]}" "$SUITE" "$tar" "${sources[@]}" >"$logf" 2>&1; then
    tail -n 40 "$logf" >&2
    rm -f "$tar"; die "mmdebstrap failed (full log: $logf)"
  fi
  local changes=() c
  for c in "${import_changes[@]}"; do changes+=(-c "${c//@HASH@/$want}"); done
  docker import "${changes[@]}" \
    "$tar" "$BASE_IMAGE" >/dev/null || { rm -f "$tar"; die "docker import failed"; }
  rm -f "$tar"
  log "built $BASE_IMAGE in $(elapsed "$t0") s ($(image_size "$BASE_IMAGE"))"
}

# --- images from a Dockerfile in scripts/offline/images/<name>/ ---------------------------
# build_dockerfile_image NAME SUITE [EXTRA_PACKAGES]: wordpress-cdktf/NAME:SUITE from the base
# of that suite; EXTRA_PACKAGES (a build arg) names what differs between suites.
build_dockerfile_image() {
  local name="$1" suite="$2" extra="${3:-}" ctx="$OFFLINE_DIR/images/$1" base tag
  base="$(local_image debian "$suite")"; tag="$(local_image "$name" "$suite")"
  [ -f "$ctx/Dockerfile" ] || die "missing $ctx/Dockerfile"
  local files want
  mapfile -t files < <(find "$ctx" -type f | LC_ALL=C sort)
  want="$( { hash_files "${files[@]}"; image_id "$base"; echo "$extra"; } | hash16)"
  build_labelled_image "$tag" "$LABEL" "$want" "$WPCDK_CACHE/tmp/build-$name-$suite.log" "$ctx" \
    --build-arg "BASE_IMAGE=$base" --build-arg "EXTRA_PACKAGES=$extra"
  REPLACED+=("$IMAGE_REPLACED")
}

# --- Go programs without a fitting Debian package: a Go build (cached by content hash), then an
# image around the binary (images/<name>/Dockerfile plus the binary, in a temporary context).
# build_go_image NAME SUITE BIN LDFLAGS PKG
build_go_image() {
  local name="$1" suite="$2" bin="$3" ldflags="$4" pkg="$5"
  local mod="$OFFLINE_DIR/$name-build" ctx="$OFFLINE_DIR/images/$name" base key tmp want
  base="$(local_image debian "$suite")"
  key="$( { hash_files "$mod"/go.mod "$mod"/go.sum "$mod"/*.go; go version; echo "$ldflags $pkg"; } | hash16)"
  go_build_stamped "$name" "$bin.stamp" "$key" "$bin" "$mod" "$ldflags" "$pkg"
  want="$( { hash_files "$ctx/Dockerfile" "$bin"; image_id "$base"; } | hash16)"
  tmp="$(mktemp -d -p "$WPCDK_CACHE/tmp" "$name-context.XXXXXX")"
  cp "$ctx/Dockerfile" "$bin" "$tmp/"
  build_labelled_image "$(local_image "$name" "$suite")" "$LABEL" "$want" "$WPCDK_CACHE/tmp/build-$name-$suite.log" "$tmp" \
    --build-arg "BASE_IMAGE=$base"
  rm -rf "$tmp"
  REPLACED+=("$IMAGE_REPLACED")
}

# Per suite: the base, then MySQL and WordPress. The package that differs: the default theme
# of that WordPress release; trixie's MariaDB client keeps the mysql* names (mysqladmin for the
# healthcheck, mysqldump) only in mariadb-client-compat.
build_suite() {
  local suite="$1"
  REPLACED=()
  build_base "$suite"
  case "$suite" in
    bookworm) build_dockerfile_image mysql "$suite"
              build_dockerfile_image wordpress "$suite" wordpress-theme-twentytwentythree
              build_dockerfile_image haproxy "$suite"
              build_dockerfile_image mysqld-exporter "$suite"
              build_dockerfile_image apache-exporter "$suite"
              build_go_image prometheus "$suite" "$PROMETHEUS_BIN" \
                "-s -w -X github.com/prometheus/common/version.Version=$PROMETHEUS_VERSION" github.com/prometheus/prometheus/cmd/prometheus
              build_go_image cadvisor "$suite" "$CADVISOR_BIN" "-s -w" . ;;
    trixie)   build_dockerfile_image mysql "$suite" mariadb-client-compat
              build_dockerfile_image wordpress "$suite" wordpress-theme-twentytwentyfive ;;
    *)        die "no image recipe for suite $suite" ;;
  esac
  printf '%s\n' "${REPLACED[@]}" > "$WPCDK_CACHE/tmp/replaced-$suite"
}

mkdir -p "$WPCDK_CACHE/tmp"
command -v mmdebstrap >/dev/null 2>&1 || apt_install mmdebstrap  # once, before the builds run side by side
pids=()
read -r -a suites <<< "${IMAGES_SUITES:-$SUITE $NEXT_SUITE}"
for suite in "${suites[@]}"; do
  ( LOG_TAG="images $suite"; build_suite "$suite" ) &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ "$failed" = 0 ] || die "an image build failed (see above)"
mapfile -t REPLACED < <(for suite in "${suites[@]}"; do cat "$WPCDK_CACHE/tmp/replaced-$suite"; done)
# Remove the images that rebuilds replaced, if nothing else uses them (never touches other tags).
for (( i = ${#REPLACED[@]} - 1; i >= 0; i-- )); do  # children before their parent
  old="${REPLACED[$i]}"
  [ -n "$old" ] && [ -z "$(docker image inspect -f '{{join .RepoTags ","}}' "$old" 2>/dev/null)" ] \
    && docker rmi "$old" >/dev/null 2>&1 || true
done
