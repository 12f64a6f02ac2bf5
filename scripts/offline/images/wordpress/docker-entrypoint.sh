#!/bin/bash
# Entrypoint of wordpress-cdktf/wordpress (the official wordpress image's contract):
# - the image owns WordPress core: when /var/www/html has no WordPress (a new container), copy
#   core from /usr/src/wordpress, so a new image is a new WordPress; only wp-content is data
#   (a volume mounted at /var/www/html/wp-content);
# - seed wp-content with what the image ships (index.php, default themes and plugins) where the
#   volume does not have it yet: a theme or plugin the volume holds is never overwritten;
# - if wp-config.php is missing and WORDPRESS_* variables are set, write wp-config.php that reads
#   WORDPRESS_DB_HOST/_USER/_PASSWORD/_NAME, WORDPRESS_TABLE_PREFIX, WORDPRESS_DEBUG,
#   WORDPRESS_CONFIG_EXTRA, WORDPRESS_AUTH_KEY... from the environment at run time (keys not
#   given are generated, per container);
# - exec Apache in the foreground as PID 1.
# A volume mounted on all of /var/www/html (the layout before wp-content volumes) is used as it
# is: its core files are then the volume's, and a new image does not change them (see README).
# Containers sharing the wp-content volume take turns (flock) for the seeding.
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
  tar_extract=(tar --extract --file - --no-overwrite-dir)
  if [ "$(id -u)" = 0 ]; then
    tar_extract+=(--same-owner)
  else
    tar_extract+=(--no-same-owner --no-same-permissions)
  fi

  if [ ! -e index.php ] && [ ! -e wp-includes/version.php ]; then
    log "WordPress not found in $PWD - copying core now..."
    # Core's top-level entries, not `.`: a non-root user cannot restore the mode of a directory it
    # does not own (an emptyDir or tmpfs made by root), and tar fails trying to.
    core=()
    shopt -s dotglob nullglob
    for path in /usr/src/wordpress/*; do [ "${path##*/}" = wp-content ] || core+=("./${path##*/}"); done
    shopt -u dotglob nullglob
    tar --create --file - --directory /usr/src/wordpress --owner "$user" --group "$group" -- "${core[@]}" \
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
    log "Complete! WordPress $(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" wp-includes/version.php) has been copied to $PWD"
  elif mountpoint -q /var/www/html 2>/dev/null; then
    log "WARNING: a volume holds all of /var/www/html: WordPress core stays the volume's, not this image's (mount it at /var/www/html/wp-content instead)"
  fi

  # Replicas sharing a fresh wp-content volume start together: one seeds it, the others wait
  # (without the lock their copies interleave and leave files half-written).
  mkdir -p wp-content
  [ "$(id -u)" = 0 ] && [ "$(stat -c %U wp-content)" != "$user" ] && chown "$user:$group" wp-content
  exec 9>>wp-content/.wpcdk-seed.lock
  flock 9
  seed=()
  shopt -s nullglob
  for path in /usr/src/wordpress/wp-content/* /usr/src/wordpress/wp-content/*/*; do
    rel="${path#/usr/src/wordpress/}"
    case "$rel" in wp-content/themes|wp-content/plugins|wp-content/languages) ;; *)
      [ -e "$rel" ] || seed+=("./$rel") ;;
    esac
  done
  shopt -u nullglob
  if [ "${#seed[@]}" -gt 0 ]; then
    log "seeding wp-content with what the volume lacks: ${seed[*]}"
    tar --create --file - --directory /usr/src/wordpress --owner "$user" --group "$group" -- "${seed[@]}" | "${tar_extract[@]}"
  fi
  mkdir -p wp-content/uploads
  [ "$(id -u)" = 0 ] && chown "$user:$group" wp-content/uploads wp-content/themes wp-content/plugins wp-content/languages 2>/dev/null || true
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
