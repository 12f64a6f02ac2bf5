# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are used by the scripts that source this file
# Settings of scripts/offline/*.sh (sourced, not executed). The helpers (cache path,
# logging, apt, Docker engine, hashes, stamped builds, labelled images, locks, timing)
# come from scripts/lib/common.sh.

# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

OFFLINE_DIR="$SCRIPTS_DIR/offline"
LOG_TAG="${LOG_TAG:-offline}"
ROOT_REASON="apt-get / docker"

# Local images (images.sh builds them; env.sh hands the app images to the project).
SUITE=bookworm
BASE_IMAGE="wordpress-cdktf/debian:$SUITE"
MYSQL_IMAGE="wordpress-cdktf/mysql:$SUITE"
WORDPRESS_IMAGE="wordpress-cdktf/wordpress:$SUITE"
HAPROXY_IMAGE="wordpress-cdktf/haproxy:$SUITE"
# Metrics (WPCDK_METRICS=true): Prometheus and the exporters from Debian packages, cAdvisor from its Go module.
PROMETHEUS_IMAGE="wordpress-cdktf/prometheus:$SUITE"
MYSQLD_EXPORTER_IMAGE="wordpress-cdktf/mysqld-exporter:$SUITE"
APACHE_EXPORTER_IMAGE="wordpress-cdktf/apache-exporter:$SUITE"
CADVISOR_IMAGE="wordpress-cdktf/cadvisor:$SUITE"
CADVISOR_VERSION=0.53.0   # github.com/google/cadvisor, see cadvisor-build/go.mod
CADVISOR_BIN="$WPCDK_CACHE/cadvisor-$CADVISOR_VERSION/bin/cadvisor"

# Terraform providers the project pins: name|registry namespace/type|version.
# providers.sh builds them into the mirror, verify-providers.sh requires them from it.
TF_PROVIDERS=(
  "docker|kreuzwerker/docker|3.6.2"
  "kubernetes|hashicorp/kubernetes|2.38.0"
  "random|hashicorp/random|3.7.2"
)
