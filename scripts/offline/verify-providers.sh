#!/usr/bin/env bash
# Check the offline provider mirror: in a temp dir, a main.tf requiring the three providers at the
# project's exact versions must `terraform init` with the mirror only (no network), and
# `terraform providers schema -json` must list them.
set -euo pipefail
LOG_TAG=verify-providers
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export TF_CLI_CONFIG_FILE="$WPCDK_CACHE/terraformrc" CHECKPOINT_DISABLE=1
[ -f "$TF_CLI_CONFIG_FILE" ] || die "$TF_CLI_CONFIG_FILE missing: run scripts/offline/providers.sh"
command -v terraform >/dev/null 2>&1 || die "terraform not found on PATH"

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/main.tf" <<'TF'
terraform {
  required_providers {
    docker     = { source = "kreuzwerker/docker", version = "3.6.2" }
    kubernetes = { source = "hashicorp/kubernetes", version = "2.38.0" }
    random     = { source = "hashicorp/random", version = "3.7.2" }
  }
}
TF
t0=$(now_s)
( cd "$tmp" && terraform init -input=false -no-color >init.log 2>&1 ) || { cat "$tmp/init.log" >&2; die "terraform init failed"; }
log "terraform init (mirror only) ok in $(elapsed "$t0") s"
t0=$(now_s)
( cd "$tmp" && terraform providers schema -json >schema.json 2>schema.err ) || { cat "$tmp/schema.err" >&2; die "terraform providers schema failed"; }
for p in kreuzwerker/docker hashicorp/kubernetes hashicorp/random; do
  grep -q "\"registry.terraform.io/$p\"" "$tmp/schema.json" || die "schema does not list $p"
done
log "providers schema lists kreuzwerker/docker, hashicorp/kubernetes, hashicorp/random ($(elapsed "$t0") s)"
grep -E 'Installed|Installing' "$tmp/init.log" | sed 's/^/    /' >&2 || true
