#!/usr/bin/env bash
# Check the offline provider mirror: in a temp dir, a main.tf requiring the providers at the
# project's exact versions (TF_PROVIDERS in lib.sh) must `terraform init` with the mirror only
# (no network), and `terraform providers schema -json` must list them.
set -euo pipefail
LOG_TAG=verify-providers
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export TF_CLI_CONFIG_FILE="$WPCDK_CACHE/terraformrc" CHECKPOINT_DISABLE=1
[ -f "$TF_CLI_CONFIG_FILE" ] || die "$TF_CLI_CONFIG_FILE missing: run scripts/offline/providers.sh"
command -v terraform >/dev/null 2>&1 || die "terraform not found on PATH"

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
addrs=()
{
  printf 'terraform {\n  required_providers {\n'
  for row in "${TF_PROVIDERS[@]}"; do
    IFS='|' read -r name addr version <<<"$row"
    printf '    %-10s = { source = "%s", version = "%s" }\n' "$name" "$addr" "$version"
    addrs+=("$addr")
  done
  printf '  }\n}\n'
} > "$tmp/main.tf"
t0=$(now_s)
( cd "$tmp" && terraform init -input=false -no-color >init.log 2>&1 ) || { cat "$tmp/init.log" >&2; die "terraform init failed"; }
log "terraform init (mirror only) ok in $(elapsed "$t0") s"
t0=$(now_s)
( cd "$tmp" && terraform providers schema -json >schema.json 2>schema.err ) || { cat "$tmp/schema.err" >&2; die "terraform providers schema failed"; }
for p in "${addrs[@]}"; do
  grep -q "\"registry.terraform.io/$p\"" "$tmp/schema.json" || die "schema does not list $p"
done
listed="$(printf '%s, ' "${addrs[@]}")"
log "providers schema lists ${listed%, } ($(elapsed "$t0") s)"
grep -E 'Installed|Installing' "$tmp/init.log" | sed 's/^/    /' >&2 || true
