#!/usr/bin/env bash
# Stops the local cluster started by up.sh and puts the machine back as it was:
# processes, pod containers (k8s_*), mounts, cgroups, iptables rules, bridges,
# routes, sysctls and all cluster state (etcd, volumes). Certificates and the
# kubeconfig under ~/.cache/wordpress-cdktf/cluster are kept (reused by up.sh).
# Safe to run when nothing is up.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need_root
t_start=$SECONDS

# Processes are found by pidfile, and also by the exact path of their binary
# (in case a pidfile was lost); nothing else is ever signalled.
declare -A BINARY=(
  [kubelet]="$K8S_BIN/kubelet" [kube-proxy]="$K8S_BIN/kube-proxy" [kube-router]="$KUBE_ROUTER_BIN/kube-router"
  [kube-scheduler]="$K8S_BIN/kube-scheduler" [kube-controller-manager]="$K8S_BIN/kube-controller-manager"
  [kube-apiserver]="$K8S_BIN/kube-apiserver" [cri-dockerd]="$CRI_DOCKERD_BIN/cri-dockerd"
  [etcd]=/usr/bin/etcd [traefik]="$TRAEFIK_BIN/traefik"
)
pids_of() {  # pids_of NAME -> pids running BINARY[NAME] that belong to this cluster
  local name=$1 bin=${BINARY[$1]} pid exe exe_path
  if [ -s "$RUN_DIR/$name.pid" ]; then
    pid=$(cat "$RUN_DIR/$name.pid")
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
    # (a rebuilt binary shows as "<path> (deleted)" in running processes)
    [ "${exe% (deleted)}" != "$bin" ] || echo "$pid"
  fi
  for exe in /proc/[0-9]*/exe; do
    exe_path=$(readlink "$exe" 2>/dev/null) || continue
    [ "${exe_path% (deleted)}" = "$bin" ] || continue
    pid=${exe#/proc/}; pid=${pid%/exe}
    # etcd is a shared Debian binary: only take the one serving our data dir.
    if [ "$name" = etcd ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$DATA_DIR/etcd"; then
      continue
    fi
    echo "$pid"
  done | sort -u
}
stop() {  # stop NAME...: SIGTERM, wait up to 10 s, then SIGKILL
  local name pids=""
  for name in "$@"; do
    local p
    p=$(pids_of "$name" | sort -u | tr '\n' ' ')
    if [ -n "${p// /}" ]; then log "stopping $name ($p)"; pids+=" $p"; fi
    rm -f "$RUN_DIR/$name.pid"
  done
  [ -n "${pids// /}" ] || return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 100); do
    pids=$(for p in $pids; do if [ -d "/proc/$p" ]; then echo "$p"; fi; done | tr '\n' ' ')
    [ -n "${pids// /}" ] || return 0
    sleep 0.1
  done
  log "killing $pids"
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
}

# 1. kubelet first so nothing restarts pods, then the pod containers.
stop kubelet
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  ids=$(docker ps -aq --filter name=^k8s_ --filter label=io.kubernetes.docker.type)
  if [ -n "$ids" ]; then
    log "removing $(echo "$ids" | wc -l) pod containers"
    # shellcheck disable=SC2086
    docker rm -f -v $ids >/dev/null || true
  fi
fi
stop traefik cri-dockerd kube-proxy kube-router kube-scheduler kube-controller-manager
stop kube-apiserver
stop etcd

# 2. iptables/ip6tables: every KUBE-* chain (kube-proxy, kubelet, kube-router's KUBE-ROUTER-*,
#    KUBE-POD-FW-*, KUBE-NWPLCY-*) and ours (WPCDK-*).
#    (kube-proxy --cleanup is not used: it fails without ipset/nft and stops early.)
for ipt in iptables ip6tables; do
  command -v "$ipt" >/dev/null || continue
  for table in filter nat mangle; do
    rules=$("$ipt" -w -t "$table" -S 2>/dev/null) || continue
    # jumps from built-in chains into KUBE-*/WPCDK-* chains
    { echo "$rules" | grep -E '^-A (INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) .*-j (KUBE-|WPCDK-)' || true; } \
      | while read -r line; do
          # -S output quotes comments; eval re-reads the quoting
          eval "\"\$ipt\" -w -t \"\$table\" ${line/#-A/-D}" 2>/dev/null || true
        done
    chains=$(echo "$rules" | awk '$1=="-N" && ($2 ~ /^KUBE-/ || $2 ~ /^WPCDK-/) {print $2}')
    for chain in $chains; do "$ipt" -w -t "$table" -F "$chain" 2>/dev/null || true; done
    for chain in $chains; do "$ipt" -w -t "$table" -X "$chain" 2>/dev/null || true; done
  done
done
# kube-router's ipsets (now unreferenced): the ones it names, nothing else.
if command -v ipset >/dev/null; then
  for set in $(ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router-|TMP-)' || true); do
    ipset destroy "$set" 2>/dev/null || log "could not destroy ipset $set"
  done
fi
# Forget NATed flows of the pod and service networks.
if command -v conntrack >/dev/null; then
  for net in "$POD_CIDR" "$SERVICE_CIDR"; do
    conntrack -D -s "$net" >/dev/null 2>&1 || true
    conntrack -D -d "$net" >/dev/null 2>&1 || true
  done
fi

# 3. network devices (routes go with them); left-over veths of removed pods.
for dev in "$CNI_BRIDGE" "$NODE_IF"; do
  if ip link show "$dev" >/dev/null 2>&1; then
    for port in "/sys/class/net/$dev/brif/"*; do [ -e "$port" ] && ip link del "${port##*/}" 2>/dev/null || true; done
    ip link del "$dev" && log "removed interface $dev"
  fi
done

# 4. mounts and state.
if [ -d "$DATA_DIR" ]; then
  # deepest first
  awk -v d="$DATA_DIR" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/self/mounts | sort -r \
    | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
  rm -rf --one-file-system "$DATA_DIR" || rm -rf "$DATA_DIR"
  log "removed $DATA_DIR"
fi
# kubelet's symlinks to our pod logs
find /var/log/containers -maxdepth 1 -type l -lname "$DATA_DIR/*" -delete 2>/dev/null || true
rmdir /var/log/containers 2>/dev/null || true
# the kubelet's device-plugin socket path is fixed, whatever --root-dir says
rm -f /var/lib/kubelet/device-plugins/kubelet.sock
rmdir /var/lib/kubelet/device-plugins /var/lib/kubelet 2>/dev/null || true

# 5. cgroups created by the kubelet (cgroup v1: one tree per controller).
for ctl in /sys/fs/cgroup/*/; do
  [ -d "$ctl/kubepods" ] || [ -d "$ctl/kubepods.slice" ] || continue
  find "$ctl" -depth -mindepth 1 -type d \( -path "${ctl}kubepods" -o -path "${ctl}kubepods/*" \) \
    -exec rmdir {} \; 2>/dev/null || true
done

# 6. sysctls changed by kubelet/kube-proxy/up.sh.
if [ -f "$CLUSTER_HOME/sysctl.saved" ]; then
  while IFS='=' read -r key val; do
    [ -n "$key" ] && sysctl -qw "$key=$val" 2>/dev/null || true
  done <"$CLUSTER_HOME/sysctl.saved"
  rm -f "$CLUSTER_HOME/sysctl.saved"
fi

# Keep the last run's logs for debugging; drop pidfiles.
if [ -d "$RUN_DIR" ]; then
  rm -rf "$CLUSTER_HOME/last-run"
  mv "$RUN_DIR" "$CLUSTER_HOME/last-run"
  rm -f "$CLUSTER_HOME/last-run/"*.pid
fi
log "cluster down ($((SECONDS - t_start))s)"
