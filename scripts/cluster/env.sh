# shellcheck shell=bash
# Source me: `source scripts/cluster/env.sh`. Points kubectl and the e2e tests
# at the local cluster started by scripts/cluster/up.sh (WPCDK_CLUSTER_LOGS: its components' logs).
# (The settings are read from common.sh in a subshell: no helper leaks into the shell.)
{
  IFS= read -r WPCDK_KUBECONFIG; IFS= read -r WPCDK_KUBE_CONTEXT; IFS= read -r WPCDK_STORAGE_CLASS
  IFS= read -r _wpcdk_k8s_bin; IFS= read -r WPCDK_CLUSTER_LOGS
} < <(
  # shellcheck source=common.sh
  . "$(dirname "${BASH_SOURCE[0]}")/common.sh" \
    && printf '%s\n' "$KUBECONFIG_PATH" "$CONTEXT_NAME" "$STORAGE_CLASS" "$K8S_BIN" "$RUN_DIR")
export WPCDK_KUBECONFIG WPCDK_KUBE_CONTEXT WPCDK_STORAGE_CLASS WPCDK_CLUSTER_LOGS
export KUBECONFIG="$WPCDK_KUBECONFIG"
case ":$PATH:" in
  *":$_wpcdk_k8s_bin:"*) ;;
  *) export PATH="$_wpcdk_k8s_bin:$PATH" ;;
esac
unset _wpcdk_k8s_bin
