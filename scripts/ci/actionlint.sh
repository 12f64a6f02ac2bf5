#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows/*.yml) with actionlint 1.7.12, built from
# the Go module proxy (scripts/ci/actionlint-build) and cached by content hash under
# ~/.cache/wordpress-cdktf/actionlint-<hash>/. Exit status: actionlint's (0 = clean).
set -euo pipefail
LOG_TAG=actionlint
# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
mod="$repo/scripts/ci/actionlint-build"
command -v go >/dev/null || die "go not found: actionlint is built from the Go module proxy (install Go >= 1.25)"
key="$( { hash_files "$mod/go.mod" "$mod/go.sum" "$mod/tools.go"; go version; } | hash16)"
dir="$WPCDK_CACHE/actionlint-$key"
go_build_stamped actionlint "$dir/actionlint.stamp" "$key" "$dir/actionlint" "$mod" "-s -w" github.com/rhysd/actionlint/cmd/actionlint
cd "$repo"
files=(.github/workflows/*.yml)
"$dir/actionlint" -version | head -n 1 >&2
"$dir/actionlint" -no-color "${files[@]}"
log "clean: ${files[*]}"
