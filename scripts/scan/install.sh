#!/usr/bin/env bash
# Installs checkov (PyPI) into a venv cached by version under
# ~/.cache/wordpress-cdktf/checkov-<version>/ and prints the path of its checkov binary.
# Uses Debian's python3 (+ python3-venv). Near-instant when cached.
#   env: CHECKOV_VERSION (default below)
set -euo pipefail
# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
LOG_TAG=scan
CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"
venv="$WPCDK_CACHE/checkov-$CHECKOV_VERSION"
bin="$venv/bin/checkov"
stamp="$venv/.stamp"

if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$CHECKOV_VERSION" ]; then
  echo "$bin"; exit 0
fi
take_lock "checkov-$CHECKOV_VERSION"
if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$CHECKOV_VERSION" ]; then
  echo "$bin"; exit 0
fi
apt_install python3 python3-venv
mkdir -p "$LOG_DIR"
logf="$LOG_DIR/checkov-$CHECKOV_VERSION.log"
t0=$(now_s)
log "installing checkov $CHECKOV_VERSION into $venv (log: $logf) ..."
# The venv is built in place of its final path (venvs are not relocatable): build, then stamp.
rm -rf "$venv"
if ! { /usr/bin/python3 -m venv "$venv" \
       && "$venv/bin/pip" install --disable-pip-version-check --no-input -q "checkov==$CHECKOV_VERSION"; } >"$logf" 2>&1; then
  tail -n 30 "$logf" >&2
  rm -rf "$venv"
  die "installing checkov $CHECKOV_VERSION failed (log: $logf)"
fi
"$bin" --version >>"$logf" 2>&1 || { tail -n 30 "$logf" >&2; die "$bin --version failed (log: $logf)"; }
stamp_write "$stamp" "$CHECKOV_VERSION"
log "checkov $CHECKOV_VERSION installed in $(elapsed "$t0")s"
echo "$bin"
