#!/usr/bin/env bash
# A development CA and a server certificate it signs, for HTTPS on this machine (openssl):
#   scripts/tls/dev-cert.sh HOST [DIR]
# writes DIR/ca.crt (trust this one), DIR/ca.key, DIR/server.crt (for HOST, signed by the CA)
# and DIR/server.key. DIR defaults to ~/.cache/wordpress-cdktf/dev-tls/HOST; keys are mode 600.
# Existing files are kept while the server certificate is valid for 7 more days.
# Never commit these files: they are a private CA's keys.
set -euo pipefail
host="${1:?usage: dev-cert.sh HOST [DIR]}"
dir="${2:-${XDG_CACHE_HOME:-$HOME/.cache}/wordpress-cdktf/dev-tls/$host}"
case "$host" in *[!a-z0-9.-]*|.*|*.|"") echo "dev-cert.sh: '$host' is not a DNS host name" >&2; exit 2;; esac
mkdir -p "$dir"
if [ -s "$dir/server.crt" ] && [ -s "$dir/server.key" ] && [ -s "$dir/ca.crt" ] \
   && openssl x509 -in "$dir/server.crt" -noout -checkend $((7 * 86400)) >/dev/null 2>&1 \
   && openssl x509 -in "$dir/server.crt" -noout -checkhost "$host" 2>/dev/null | grep -q 'does match'; then
  echo "$dir"; exit 0
fi
umask 077
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
  -subj "/CN=wordpress-cdktf development CA $(date -u +%Y%m%d%H%M%S)" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$tmp/ca.key" -out "$tmp/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$host" \
  -keyout "$tmp/server.key" -out "$tmp/server.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:%s\n' "$host" >"$tmp/ext"
openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" -CAcreateserial -days 14 \
  -extfile "$tmp/ext" -out "$tmp/server.crt" 2>/dev/null
chmod 644 "$tmp/ca.crt" "$tmp/server.crt"
mv -f "$tmp/ca.key" "$tmp/ca.crt" "$tmp/server.key" "$tmp/server.crt" "$dir/"
echo "$dir"
