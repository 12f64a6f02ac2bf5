# shellcheck shell=bash
# Source me: `source scripts/cluster/env.sh`. Points kubectl and the e2e tests
# at the local cluster started by scripts/cluster/up.sh.
_wpcdk_cluster_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
_wpcdk_cache="${WPCDK_CACHE:-$HOME/.cache/wordpress-cdktf}"
_wpcdk_k8s_version="$(sed -n 's/^K8S_VERSION=\([0-9.]*\).*/\1/p' "$_wpcdk_cluster_dir/common.sh")"
export WPCDK_KUBECONFIG="$_wpcdk_cache/cluster/kubeconfig"
export KUBECONFIG="$WPCDK_KUBECONFIG"
export WPCDK_KUBE_CONTEXT=wordpress-cdktf
export WPCDK_STORAGE_CLASS=local-path
case ":$PATH:" in
  *":$_wpcdk_cache/kubernetes-$_wpcdk_k8s_version/bin:"*) ;;
  *) export PATH="$_wpcdk_cache/kubernetes-$_wpcdk_k8s_version/bin:$PATH" ;;
esac
unset _wpcdk_cluster_dir _wpcdk_cache _wpcdk_k8s_version
