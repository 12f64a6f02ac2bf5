# shellcheck shell=bash
# Source me:  . scripts/offline/env.sh
# Points Terraform/cdktf at the offline provider mirror and the project at its local images.
export WPCDK_CACHE="${WPCDK_CACHE:-$HOME/.cache/wordpress-cdktf}"
export TF_CLI_CONFIG_FILE="$WPCDK_CACHE/terraformrc"
export CHECKPOINT_DISABLE=1
export WPCDK_WORDPRESS_IMAGE="wordpress-cdktf/wordpress:bookworm"
export WPCDK_MYSQL_IMAGE="wordpress-cdktf/mysql:bookworm"
if [ ! -f "$TF_CLI_CONFIG_FILE" ]; then
  echo "env.sh: warning: $TF_CLI_CONFIG_FILE does not exist yet: run scripts/offline/setup.sh" >&2
fi
