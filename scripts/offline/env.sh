# shellcheck shell=bash
# Source me:  . scripts/offline/env.sh
# Points Terraform/cdktf at the offline provider mirror and the project at its local images.
# (Cache path and image names are read from lib.sh in a subshell: no helper leaks into the shell.)
{ IFS= read -r WPCDK_CACHE; IFS= read -r WPCDK_WORDPRESS_IMAGE; IFS= read -r WPCDK_MYSQL_IMAGE; IFS= read -r WPCDK_LOAD_BALANCER_IMAGE
  IFS= read -r WPCDK_NEXT_WORDPRESS_IMAGE; IFS= read -r WPCDK_NEXT_MYSQL_IMAGE
  IFS= read -r WPCDK_PROMETHEUS_IMAGE; IFS= read -r WPCDK_MYSQLD_EXPORTER_IMAGE; IFS= read -r WPCDK_APACHE_EXPORTER_IMAGE; IFS= read -r WPCDK_CADVISOR_IMAGE; } < <(
  # shellcheck source=lib.sh
  . "$(dirname "${BASH_SOURCE[0]}")/lib.sh" && printf '%s\n' "$WPCDK_CACHE" "$WORDPRESS_IMAGE" "$MYSQL_IMAGE" "$HAPROXY_IMAGE" \
    "$NEXT_WORDPRESS_IMAGE" "$NEXT_MYSQL_IMAGE" "$PROMETHEUS_IMAGE" "$MYSQLD_EXPORTER_IMAGE" "$APACHE_EXPORTER_IMAGE" "$CADVISOR_IMAGE")
# WPCDK_NEXT_*: the newer local images (Debian trixie: WordPress 6.8, MariaDB 11.8), to upgrade to.
export WPCDK_CACHE WPCDK_WORDPRESS_IMAGE WPCDK_MYSQL_IMAGE WPCDK_LOAD_BALANCER_IMAGE WPCDK_NEXT_WORDPRESS_IMAGE WPCDK_NEXT_MYSQL_IMAGE
# Metrics (WPCDK_METRICS=true): Prometheus, the exporters and cAdvisor.
export WPCDK_PROMETHEUS_IMAGE WPCDK_MYSQLD_EXPORTER_IMAGE WPCDK_APACHE_EXPORTER_IMAGE WPCDK_CADVISOR_IMAGE
export TF_CLI_CONFIG_FILE="$WPCDK_CACHE/terraformrc"
# The mirror's docker provider is a later build than the pinned 3.6.2 (see README.md): its Swarm
# services name networks by `id` (`name` would replace every service on each apply).
export WPCDK_SWARM_NETWORK_KEY=id
export CHECKPOINT_DISABLE=1
if [ ! -f "$TF_CLI_CONFIG_FILE" ]; then
  echo "env.sh: warning: $TF_CLI_CONFIG_FILE does not exist yet: run scripts/offline/setup.sh" >&2
fi
