#!/usr/bin/env bash
# Build the Terraform providers the project needs from Go modules (Go module proxy only) and lay
# them out as an unpacked filesystem mirror:
#   $WPCDK_CACHE/terraform-mirror/registry.terraform.io/<ns>/<type>/<version>/linux_amd64/terraform-provider-<type>_v<version>
# then write $WPCDK_CACHE/terraformrc (mirror only, no registry fallback).
# A provider whose binary is already in the mirror (same source stamp) is skipped.
#
# IMPORTANT - source versions: the Go module proxy reachable here serves only an allow-listed set of
# module versions, and for these three providers that set holds no commit of the release tags the
# project pins (TF_PROVIDERS in lib.sh): tag and commit queries are refused (403) and the only
# versions served are later snapshots of the default branch (see PROVIDER_SRC below). Each pinned version is therefore built from the closest
# snapshot the proxy serves; the mirror records the mapping in terraform-mirror/SOURCES.txt.
# The newer providers are supersets for what this project uses (kubernetes 3.x only *deprecates*
# the unversioned resources; the *_v1 ones are unchanged), but they are not the pinned releases.
# Override a row's module version with PROVIDER_SRC_<NAME>=<module>@<version> when the exact
# release commit becomes available (e.g. PROVIDER_SRC_RANDOM=github.com/...@v1.3.2-0.2025...-abc).
set -euo pipefail
LOG_TAG=providers
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MIRROR="$WPCDK_CACHE/terraform-mirror"
RC="$WPCDK_CACHE/terraformrc"
PLUGIN_CACHE="$WPCDK_CACHE/terraform-plugin-cache"
OS_ARCH=linux_amd64

# Go module@version each pinned provider (TF_PROVIDERS in lib.sh) is built from, package in module.
declare -A PROVIDER_SRC=(
  [docker]="github.com/kreuzwerker/terraform-provider-docker@v0.0.0-20260916201441-96d331c98ff4|."
  [kubernetes]="github.com/hashicorp/terraform-provider-kubernetes@v1.13.4-0.20260821094251-3a33fb6cc605|."
  [random]="github.com/terraform-providers/terraform-provider-random@v1.3.2-0.20260513075824-f8d869dc98d9|."
)
# What each snapshot is (from its CHANGELOG), for messages and SOURCES.txt.
declare -A UPSTREAM_NOTE=(
  [docker]="default branch after v4.6.0 (2026-09-16)"
  [kubernetes]="default branch after 3.2.1 (2026-08-21)"
  [random]="default branch at 3.9.0 (2026-05-13)"
)

command -v go >/dev/null 2>&1 || die "go not found on PATH (needed to build the providers)"
command -v patch >/dev/null 2>&1 || apt_install patch
take_lock providers
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly

# provider_src NAME -> "module@version|package" (PROVIDER_SRC_<NAME> overrides the module@version)
provider_src() {
  local row="${PROVIDER_SRC[$1]:-}" override_var="PROVIDER_SRC_${1^^}"
  [ -n "$row" ] || die "no Go module source for provider $1"
  if [ -n "${!override_var:-}" ]; then row="${!override_var}|${row#*|}"; fi
  printf '%s\n' "$row"
}

build_provider() {
  local name="$1" addr="$2" version="$3" row src pkg
  row="$(provider_src "$name")"
  IFS='|' read -r src pkg <<<"$row"
  local ns="${addr%/*}" type="${addr#*/}"
  local dir="$MIRROR/registry.terraform.io/$ns/$type/$version/$OS_ARCH"
  local bin="$dir/terraform-provider-${type}_v${version}"
  local stamp="$WPCDK_CACHE/providers/$ns-$type-$version.src"
  # A patch of the project's (provider-patches/<name>.patch, its header says why) joins the key.
  local patch="$OFFLINE_DIR/provider-patches/$name.patch" patch_hash=""
  [ -f "$patch" ] && patch_hash="patch:$(hash16 <"$patch")"
  local key; key="$src $pkg $(go env GOVERSION) -trimpath -s -w $patch_hash"

  if stamp_fresh "$stamp" "$key" "$bin"; then
    log "$ns/$type $version: present in mirror (built from $src)"
    return 0
  fi

  log "$ns/$type $version: building from $src (${UPSTREAM_NOTE[$name]:-})"
  local srcdir
  srcdir="$(go mod download -json "$src" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')" \
    || die "go mod download $src failed"
  [ -n "$srcdir" ] && [ -f "$srcdir/go.mod" ] || die "go mod download $src gave no module directory"
  if [ -n "$patch_hash" ]; then
    # The module cache is read-only: patch a copy (its go.mod/go.sum unchanged).
    local patched="$WPCDK_CACHE/tmp/provider-src-$name"
    rm -rf "$patched" && mkdir -p "$WPCDK_CACHE/tmp" && cp -r "$srcdir" "$patched" && chmod -R u+w "$patched"
    patch -s -p1 -d "$patched" <"$patch" || die "provider patch $patch does not apply to $src"
    log "$ns/$type $version: patched with $(basename "$patch")"
    srcdir="$patched"
  fi
  # Build inside the downloaded module so its own go.mod/go.sum (replace directives included)
  # pin every dependency; -mod=readonly keeps the module cache untouched.
  go_build_stamped "provider-$type" "$stamp" "$key" "$bin" "$srcdir" "-s -w -X main.version=$version" "$pkg"
  log "$ns/$type $version: in the mirror ($(du -m "$bin" | cut -f1) MB)"
}

t_all=$(now_s)
for row in "${TF_PROVIDERS[@]}"; do
  IFS='|' read -r name addr version <<<"$row"
  build_provider "$name" "$addr" "$version"
done

# Which source each mirrored version was built from (outside the provider dirs: no effect on hashes).
{
  echo "# registry address  version-in-mirror  built-from (Go module@version)  note"
  for row in "${TF_PROVIDERS[@]}"; do
    IFS='|' read -r name addr version <<<"$row"
    row="$(provider_src "$name")"; src="${row%%|*}"
    echo "registry.terraform.io/$addr $version $src ${UPSTREAM_NOTE[$name]:-}"
  done
} > "$MIRROR/SOURCES.txt"

mkdir -p "$PLUGIN_CACHE"
rc_tmp="$(mktemp "$RC.XXXXXX")"
cat > "$rc_tmp" <<RC
# Written by scripts/offline/providers.sh: providers come only from the local filesystem mirror.
disable_checkpoint = true
plugin_cache_dir   = "$PLUGIN_CACHE"

provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/*/*"]
  }
}
RC
if cmp -s "$rc_tmp" "$RC"; then rm -f "$rc_tmp"; else mv -f "$rc_tmp" "$RC"; log "wrote $RC"; fi
log "provider mirror ready in $(elapsed "$t_all") s: $MIRROR (TF_CLI_CONFIG_FILE=$RC)"
