# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are used by the scripts that source this file
# Settings of scripts/cluster/*.sh (sourced, not executed). The helpers (cache path,
# logging, apt, Docker engine, hashes, stamped builds, labelled images, locks, timing)
# come from scripts/lib/common.sh. Everything built or generated lives under
# $WPCDK_CACHE; nothing is written into the repository.

# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
CLUSTER_DIR="$SCRIPTS_DIR/cluster"
LOG_TAG=cluster LOG_TIME=1
ROOT_REASON="needs iptables, mounts, Docker"

# ---- versions ---------------------------------------------------------------
K8S_VERSION=1.33.13            # k8s.io/kubernetes (cgroup v1 still supported)
CRI_DOCKERD_VERSION=0.3.17     # github.com/Mirantis/cri-dockerd
COREDNS_VERSION=1.15.0         # github.com/coredns/coredns (reduced plugin set)
LOCAL_PATH_VERSION=0.0.30      # github.com/rancher/local-path-provisioner
METRICS_SERVER_VERSION=0.8.0   # sigs.k8s.io/metrics-server (the HPA's resource metrics)
KUBE_ROUTER_VERSION=2.1.0      # github.com/cloudnativelabs/kube-router/v2, firewall only (NetworkPolicy)
PAUSE_VERSION=1.0              # scripts/cluster/images/pause/pause.c
TRAEFIK_VERSION=3.6.12         # github.com/traefik/traefik/v3 (the Ingress controller, a host process; 3.7.x needs modules the proxy refuses)

# ---- paths ------------------------------------------------------------------
K8S_BIN="$WPCDK_CACHE/kubernetes-$K8S_VERSION/bin"
CRI_DOCKERD_BIN="$WPCDK_CACHE/cri-dockerd-$CRI_DOCKERD_VERSION/bin"
COREDNS_BIN="$WPCDK_CACHE/coredns-$COREDNS_VERSION/bin"
LOCAL_PATH_BIN="$WPCDK_CACHE/local-path-provisioner-$LOCAL_PATH_VERSION/bin"
METRICS_SERVER_BIN="$WPCDK_CACHE/metrics-server-$METRICS_SERVER_VERSION/bin"
KUBE_ROUTER_BIN="$WPCDK_CACHE/kube-router-$KUBE_ROUTER_VERSION/bin"
PAUSE_BIN="$WPCDK_CACHE/pause-$PAUSE_VERSION/bin"
TRAEFIK_BIN="$WPCDK_CACHE/traefik-$TRAEFIK_VERSION/bin"

CLUSTER_HOME="$WPCDK_CACHE/cluster"      # stable: kubeconfig, pki, configs
PKI_DIR="$CLUSTER_HOME/pki"
CONF_DIR="$CLUSTER_HOME/conf"
KUBECONFIG_PATH="$CLUSTER_HOME/kubeconfig"
RUN_DIR="$CLUSTER_HOME/run"              # pidfiles + logs of the current run
DATA_DIR="/var/lib/wordpress-cdktf-cluster"  # etcd, kubelet, cri-dockerd, volumes (wiped by down.sh)
KUBELET_ROOT="$DATA_DIR/kubelet"
LOCAL_PATH_DIR="$DATA_DIR/local-path"
CRI_SOCK="$DATA_DIR/cri-dockerd.sock"

# ---- local images (never pulled) ---------------------------------------------
PAUSE_IMAGE="wordpress-cdktf/pause:$PAUSE_VERSION"
COREDNS_IMAGE="wordpress-cdktf/coredns:$COREDNS_VERSION"
LOCAL_PATH_IMAGE="wordpress-cdktf/local-path-provisioner:v$LOCAL_PATH_VERSION"
METRICS_SERVER_IMAGE="wordpress-cdktf/metrics-server:v$METRICS_SERVER_VERSION"
BUSYBOX_IMAGE="wordpress-cdktf/busybox:1.35"   # Debian busybox-static; helper pods + smoke test

# ---- network ------------------------------------------------------------------
CONTEXT_NAME=wordpress-cdktf
CLUSTER_NAME=wordpress-cdktf
NODE_NAME=wpcdk-node
# The node's address lives on a port-less bridge of its own so that pods reach
# the API server without any address outside this machine being involved.
NODE_IF=wpcdk0
NODE_IP=10.201.0.1
POD_CIDR=10.244.0.0/24
POD_GW=10.244.0.1
CNI_BRIDGE=wpcdk-cni0
SERVICE_CIDR=10.96.0.0/16
KUBERNETES_SVC_IP=10.96.0.1
CLUSTER_DNS_IP=10.96.0.10
CLUSTER_DOMAIN=cluster.local
APISERVER_PORT="${WPCDK_APISERVER_PORT:-6443}"
ETCD_CLIENT_PORT=23790
ETCD_PEER_PORT=23800
STORAGE_CLASS=local-path
SHARED_STORAGE_CLASS=local-path-shared   # ReadWriteMany (one path shared by every pod)
# The Ingress controller (Traefik, a host process) serves on the loopback address only:
# HTTP (redirects to HTTPS), HTTPS, and its ping endpoint (readiness).
INGRESS_HTTP_PORT="${WPCDK_CLUSTER_HTTP_PORT:-18680}"
INGRESS_HTTPS_PORT="${WPCDK_CLUSTER_HTTPS_PORT:-18681}"
INGRESS_PING_PORT="${WPCDK_CLUSTER_INGRESS_PING_PORT:-18689}"
CNI_BIN_DIR=/usr/lib/cni
CNI_CONF_DIR="$CLUSTER_HOME/cni/net.d"

export PATH="$K8S_BIN:$CRI_DOCKERD_BIN:$PATH"

kubectl_admin() { "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"; }
