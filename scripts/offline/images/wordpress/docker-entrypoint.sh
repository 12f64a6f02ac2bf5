#!/bin/bash
# Entrypoint of wordpress-cdktf/wordpress (the official wordpress image's contract):
# - on first start (no WordPress in /var/www/html) copy WordPress into the volume;
# - if wp-config.php is missing and WORDPRESS_* variables are set, write wp-config.php that reads
#   WORDPRESS_DB_HOST/_USER/_PASSWORD/_NAME, WORDPRESS_TABLE_PREFIX, WORDPRESS_DEBUG,
#   WORDPRESS_CONFIG_EXTRA ... from the environment at run time (unique salts generated once);
# - exec Apache in the foreground as PID 1.
# A volume that already holds WordPress (from an earlier container) is used as it is. Containers
# sharing the volume take turns (flock) for the first copy.
set -euo pipefail

log() { printf '%s [Entrypoint]: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S')" "$*" >&2; }

if [ "${1:-}" = apache2-foreground ] || [ "${1:-}" = apache2 ]; then
  shift
  if [ "$(id -u)" = 0 ]; then
    user=www-data; group=www-data
  else
    user="$(id -u)"; group="$(id -g)"
  fi
  cd /var/www/html

  # Replicas sharing a fresh content volume start together: one copies, the others wait for it
  # (without the lock their copies interleave and leave files half-written or unreadable).
  exec 9>>.wpcdk-copy.lock
  flock 9
  if [ ! -e index.php ] && [ ! -e wp-includes/version.php ]; then
    log "WordPress not found in $PWD - copying now..."
    if [ -n "$(find . -mindepth 1 -maxdepth 1 ! -name .wpcdk-copy.lock -print -quit)" ]; then
      log "WARNING: $PWD is not empty! (copying anyhow)"
    fi
    tar_extract=(tar --extract --file - --no-overwrite-dir)
    if [ "$(id -u)" = 0 ]; then
      tar_extract+=(--same-owner)
    else
      tar_extract+=(--no-same-owner --no-same-permissions)
    fi
    tar --create --file - --directory /usr/src/wordpress --owner "$user" --group "$group" . \
      | "${tar_extract[@]}"
    if [ ! -e .htaccess ]; then
      cat > .htaccess <<'HTACCESS'
# BEGIN WordPress
<IfModule mod_rewrite.c>
RewriteEngine On
RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]
RewriteBase /
RewriteRule ^index\.php$ - [L]
RewriteCond %{REQUEST_FILENAME} !-f
RewriteCond %{REQUEST_FILENAME} !-d
RewriteRule . /index.php [L]
</IfModule>
# END WordPress
HTACCESS
      [ "$(id -u)" = 0 ] && chown "$user:$group" .htaccess
    fi
    log "Complete! WordPress has been successfully copied to $PWD"
  fi
  flock -u 9
  exec 9>&-

  wp_envs=()
  while IFS= read -r v; do wp_envs+=("$v"); done < <(compgen -v | grep -E '^WORDPRESS_' || true)
  if [ ! -s wp-config.php ] && [ "${#wp_envs[@]}" -gt 0 ]; then
    log "no wp-config.php: writing one that reads WORDPRESS_* from the environment"
    awk '
      /put your unique phrase here/ {
        cmd = "head -c 64 /dev/urandom | sha1sum"; cmd | getline h; close(cmd); split(h, a, " ")
        sub(/put your unique phrase here/, a[1])
      }
      { print }' wp-config-docker.php > wp-config.php
    [ "$(id -u)" = 0 ] && chown "$user:$group" wp-config.php
  fi

  # Debian's envvars (APACHE_RUN_USER, dirs, ...) does not survive `set -u`.
  set +u
  # shellcheck disable=SC1091
  . /etc/apache2/envvars
  set -u
  mkdir -p "$APACHE_RUN_DIR" "$APACHE_LOCK_DIR" "$APACHE_LOG_DIR"
  rm -f "$APACHE_PID_FILE"
  exec apache2 -DFOREGROUND "$@"
fi

exec "$@"
