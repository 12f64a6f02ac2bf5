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

# Local images (images.sh builds them; env.sh hands the app images to the project), tagged by
# the Debian suite they come from: SUITE (bookworm: WordPress 6.1, MariaDB 10.11) is what the
# stacks get; NEXT_SUITE (trixie: WordPress 6.8, MariaDB 11.8) is the upgrade the lifecycle e2e
# moves a live site to.
SUITE=bookworm
NEXT_SUITE=trixie
# WPCDK_IMAGE_NS: another repository prefix, so a work tree that changes an image recipe does not
# rebuild the images other work trees on this machine use (default: wordpress-cdktf).
local_image() { printf '%s/%s:%s' "${WPCDK_IMAGE_NS:-wordpress-cdktf}" "$1" "${2:-$SUITE}"; }
BASE_IMAGE="$(local_image debian)"
MYSQL_IMAGE="$(local_image mysql)"
WORDPRESS_IMAGE="$(local_image wordpress)"
HAPROXY_IMAGE="$(local_image haproxy)"
NEXT_MYSQL_IMAGE="$(local_image mysql "$NEXT_SUITE")"
NEXT_WORDPRESS_IMAGE="$(local_image wordpress "$NEXT_SUITE")"
# Metrics (WPCDK_METRICS=true): the exporters from Debian packages; Prometheus (Debian's has no
# Kubernetes service discovery) and cAdvisor (not packaged) from their Go modules.
PROMETHEUS_IMAGE="$(local_image prometheus)"
MYSQLD_EXPORTER_IMAGE="$(local_image mysqld-exporter)"
APACHE_EXPORTER_IMAGE="$(local_image apache-exporter)"
CADVISOR_IMAGE="$(local_image cadvisor)"
CADVISOR_VERSION=0.53.0   # github.com/google/cadvisor, see cadvisor-build/go.mod
CADVISOR_BIN="$WPCDK_CACHE/cadvisor-$CADVISOR_VERSION/bin/cadvisor"
PROMETHEUS_VERSION=3.5.1  # github.com/prometheus/prometheus v0.305.1, see prometheus-build/go.mod
PROMETHEUS_BIN="$WPCDK_CACHE/prometheus-$PROMETHEUS_VERSION/bin/prometheus"

# Terraform providers the project pins: name|registry namespace/type|version.
# providers.sh builds them into the mirror, verify-providers.sh requires them from it.
TF_PROVIDERS=(
  "docker|kreuzwerker/docker|3.6.2"
  "kubernetes|hashicorp/kubernetes|2.38.0"
  "random|hashicorp/random|3.7.2"
)
