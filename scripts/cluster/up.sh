#!/usr/bin/env bash
# Starts the real single-node Kubernetes cluster used by the e2e tests:
# etcd (Debian), kube-apiserver, kube-controller-manager, kube-scheduler,
# cri-dockerd (pods run on the local Docker engine), kubelet, kube-proxy
# (iptables), kube-router (NetworkPolicy enforcement: firewall only), then CoreDNS,
# local-path-provisioner (default StorageClass, plus a ReadWriteMany class), metrics-server and
# Traefik (the Ingress controller, a host process on loopback ports).
# Every run starts from an empty etcd. Idempotent: exits early when the cluster
# is already up and healthy; cleans a half-started cluster first.
#   env: WPCDK_UP_TIMEOUT (seconds per wait, default 120)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need_root
t_start=$SECONDS
TIMEOUT=${WPCDK_UP_TIMEOUT:-120}

"$CLUSTER_DIR/build.sh"

# ---- helpers ---------------------------------------------------------------------------
pid_of() {  # pid_of NAME -> prints the pid if the process of NAME runs
  local f="$RUN_DIR/$1.pid" pid
  [ -s "$f" ] || return 1
  pid=$(cat "$f")
  [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
  echo "$pid"
}

start_proc() {  # start_proc NAME BINARY ARGS...
  local name=$1; shift
  pid_of "$name" >/dev/null && return 0
  log "starting $name"
  # bash records its own pid and execs the binary, so the pidfile is exact.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$RUN_DIR/$name.pid" "$@" \
    >>"$RUN_DIR/$name.log" 2>&1 </dev/null &

  for _ in $(seq 50); do [ -s "$RUN_DIR/$name.pid" ] && break; sleep 0.1; done
}

fail() {  # fail MESSAGE LOGNAME...
  local msg=$1; shift
  local n
  for n in "$@"; do
    if [ -f "$RUN_DIR/$n.log" ]; then
      printf '\n----- last 25 lines of %s -----\n' "$RUN_DIR/$n.log" >&2
      tail -25 "$RUN_DIR/$n.log" >&2
    fi
  done
  if [ "$(kc get --raw=/readyz 2>/dev/null)" = ok ]; then
    printf '\n----- cluster state -----\n' >&2
    kc get nodes -o wide >&2 2>&1 || true
    kc get pods -A -o wide >&2 2>&1 || true
    kc get events -A --field-selector type=Warning 2>/dev/null | tail -15 >&2 || true
  fi
  die "$msg (after $((SECONDS - t_start))s; logs in $RUN_DIR; clean up with scripts/cluster/down.sh)"
}

wait_for() {  # wait_for DESCRIPTION PROCESS_NAME COMMAND...
  local desc=$1 proc=$2; shift 2
  local deadline=$((SECONDS + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    if [ -n "$proc" ] && ! pid_of "$proc" >/dev/null; then
      fail "$proc exited while waiting for $desc" "$proc"
    fi
    [ $SECONDS -lt $deadline ] || fail "timed out after ${TIMEOUT}s waiting for $desc" ${proc:+"$proc"}
    sleep 0.5
  done
}

kc() { "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" --request-timeout=5s "$@"; }

node_ready() {
  [ "$(kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}
deploy_ready() {  # deploy_ready NAMESPACE NAME
  local r
  r=$(kc -n "$1" get deploy "$2" -o jsonpath='{.status.readyReplicas}' 2>/dev/null) || return 1
  [ "${r:-0}" -ge 1 ]
}
healthy() {
  for n in etcd kube-apiserver kube-controller-manager kube-scheduler cri-dockerd kubelet kube-proxy kube-router traefik; do
    pid_of "$n" >/dev/null || return 1
  done
  [ "$(kc get --raw=/readyz 2>/dev/null)" = ok ] && node_ready \
    && deploy_ready kube-system coredns && deploy_ready local-path-storage local-path-provisioner
}

port_free() {  # port_free PORT -> dies if something listens on it
  if ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; then
    die "port $1 is already in use: $(ss -ltnpH "sport = :$1" | head -1)"
  fi
}

# ---- already up? half up? ------------------------------------------------------------------
if healthy; then
  log "cluster already up (kubeconfig: $KUBECONFIG_PATH)"
  exit 0
fi
if [ -d "$RUN_DIR" ] || [ -d "$DATA_DIR" ] || ip link show "$NODE_IF" >/dev/null 2>&1; then
  log "found leftovers of a previous run; cleaning up first"
  "$CLUSTER_DIR/down.sh"
fi
for p in "$APISERVER_PORT" "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT" 10248 10249 10250 10256 10257 10259 10010; do
  port_free "$p"
done

# ---- certificates, kubeconfigs ---------------------------------------------------------------
"$CLUSTER_DIR/pki.sh"
mkdir -p "$RUN_DIR" "$DATA_DIR" "$KUBELET_ROOT" "$LOCAL_PATH_DIR" "$CNI_CONF_DIR" "$CONF_DIR"

# ---- host network: remember sysctls, node address, bridges, firewall ---------------------------
SYSCTLS=(net.ipv4.ip_forward net.ipv4.conf.all.route_localnet net.bridge.bridge-nf-call-iptables
         net.bridge.bridge-nf-call-ip6tables vm.overcommit_memory vm.panic_on_oom kernel.panic
         kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes
         net.netfilter.nf_conntrack_max)
if [ ! -f "$CLUSTER_HOME/sysctl.saved" ]; then
  for s in "${SYSCTLS[@]}"; do
    v=$(sysctl -n "$s" 2>/dev/null) && echo "$s=$v"
  done >"$CLUSTER_HOME/sysctl.saved"
fi
sysctl -qw net.ipv4.ip_forward=1
sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null \
  || die "net.bridge.bridge-nf-call-iptables unavailable (br_netfilter missing)"

# The node IP sits on a port-less bridge: local to this machine, reachable from pods.
ip link show "$NODE_IF" >/dev/null 2>&1 || ip link add "$NODE_IF" type bridge
ip addr replace "$NODE_IP/32" dev "$NODE_IF"
ip link set "$NODE_IF" up
# Pre-create the CNI bridge so the pod subnet is routed locally from the start.
ip link show "$CNI_BRIDGE" >/dev/null 2>&1 || ip link add "$CNI_BRIDGE" type bridge
ip addr replace "$POD_GW/24" dev "$CNI_BRIDGE"
ip link set "$CNI_BRIDGE" up
# Service IPs must never follow the default route off the machine.
ip route replace "$SERVICE_CIDR" dev "$NODE_IF" src "$NODE_IP"

ipt_chain() {  # ipt_chain CHAIN PARENT: (re)create CHAIN and jump to it first from PARENT
  iptables -w -N "$1" 2>/dev/null || iptables -w -F "$1"
  iptables -w -C "$2" -j "$1" 2>/dev/null || iptables -w -I "$2" 1 -j "$1"
}
# Pods talk to each other, to service IPs (DNATed to pods or to the node IP)
# and to the node IP; nothing is forwarded from or to anywhere else.
ipt_chain WPCDK-FORWARD FORWARD
iptables -w -A WPCDK-FORWARD -i "$CNI_BRIDGE" -o "$CNI_BRIDGE" -j ACCEPT
iptables -w -A WPCDK-FORWARD -s "$POD_CIDR" -j DROP
iptables -w -A WPCDK-FORWARD -d "$POD_CIDR" -j DROP
# The API server listens on all addresses; only this machine and its pods may connect.
ipt_chain WPCDK-INPUT INPUT
iptables -w -A WPCDK-INPUT -p tcp -m multiport --dports "$APISERVER_PORT,10250" \
  -m addrtype ! --src-type LOCAL ! -s "$POD_CIDR" -j DROP

cat >"$CNI_CONF_DIR/10-wpcdk.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "wpcdk",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CNI_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$DATA_DIR/cni-ipam",
        "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$POD_GW"}]],
        "routes": [{"dst": "$SERVICE_CIDR"}, {"dst": "$NODE_IP/32"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF

# ---- etcd (Debian etcd-server, data on a tmpfs, fresh every run) --------------------------------
mkdir -p "$DATA_DIR/etcd"
mountpoint -q "$DATA_DIR/etcd" || mount -t tmpfs -o size=1g,mode=700 wpcdk-etcd "$DATA_DIR/etcd"
start_proc etcd /usr/bin/etcd --name wpcdk --data-dir "$DATA_DIR/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "wpcdk=http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster-state new --logger zap --log-outputs stderr \
  --quota-backend-bytes 1073741824 --snapshot-count 10000
etcd_ok() { curl -sf "http://127.0.0.1:$ETCD_CLIENT_PORT/health" | grep -q '"health":"true"'; }
wait_for "etcd health" etcd etcd_ok

# ---- control plane ---------------------------------------------------------------------------
start_proc kube-apiserver "$K8S_BIN/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --bind-address 0.0.0.0 --secure-port "$APISERVER_PORT" --advertise-address "$NODE_IP" \
  --service-cluster-ip-range "$SERVICE_CIDR" \
  --client-ca-file "$PKI_DIR/ca.crt" \
  --tls-cert-file "$PKI_DIR/apiserver.crt" --tls-private-key-file "$PKI_DIR/apiserver.key" \
  --kubelet-client-certificate "$PKI_DIR/apiserver-kubelet-client.crt" \
  --kubelet-client-key "$PKI_DIR/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority "$PKI_DIR/ca.crt" \
  --kubelet-preferred-address-types InternalIP,Hostname \
  --service-account-key-file "$PKI_DIR/sa.pub" \
  --service-account-signing-key-file "$PKI_DIR/sa.key" \
  --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
  --requestheader-client-ca-file "$PKI_DIR/front-proxy-ca.crt" \
  --requestheader-allowed-names front-proxy-client \
  --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
  --requestheader-extra-headers-prefix X-Remote-Extra- \
  --proxy-client-cert-file "$PKI_DIR/front-proxy-client.crt" \
  --proxy-client-key-file "$PKI_DIR/front-proxy-client.key" \
  --authorization-mode Node,RBAC \
  --enable-admission-plugins NodeRestriction \
  --allow-privileged=true --profiling=false --event-ttl 1h
apiserver_ok() { [ "$(kc get --raw=/readyz 2>/dev/null)" = ok ]; }
wait_for "kube-apiserver /readyz" kube-apiserver apiserver_ok

start_proc kube-controller-manager "$K8S_BIN/kube-controller-manager" \
  --kubeconfig "$CONF_DIR/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$CONF_DIR/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$CONF_DIR/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --cluster-name "$CLUSTER_NAME" \
  --service-account-private-key-file "$PKI_DIR/sa.key" --root-ca-file "$PKI_DIR/ca.crt" \
  --cluster-signing-cert-file "$PKI_DIR/ca.crt" --cluster-signing-key-file "$PKI_DIR/ca.key" \
  --use-service-account-credentials=true --service-cluster-ip-range "$SERVICE_CIDR" \
  --allocate-node-cidrs=true --cluster-cidr "$POD_CIDR" --node-cidr-mask-size 24 \
  --profiling=false
start_proc kube-scheduler "$K8S_BIN/kube-scheduler" \
  --kubeconfig "$CONF_DIR/scheduler.kubeconfig" \
  --authentication-kubeconfig "$CONF_DIR/scheduler.kubeconfig" \
  --authorization-kubeconfig "$CONF_DIR/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --profiling=false

# ---- node: cri-dockerd, kubelet, kube-proxy ----------------------------------------------------------
start_proc cri-dockerd "$CRI_DOCKERD_BIN/cri-dockerd" \
  --container-runtime-endpoint "unix://$CRI_SOCK" \
  --cri-dockerd-root-directory "$DATA_DIR/cri-dockerd" \
  --network-plugin cni --cni-bin-dir "$CNI_BIN_DIR" --cni-conf-dir "$CNI_CONF_DIR" \
  --cni-cache-dir "$DATA_DIR/cni-cache" --hairpin-mode hairpin-veth \
  --pod-infra-container-image "$PAUSE_IMAGE" --streaming-bind-addr 127.0.0.1:10010
wait_for "cri-dockerd socket" cri-dockerd test -S "$CRI_SOCK"

cat >"$CONF_DIR/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI_DIR/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI_DIR/kubelet-server.crt
tlsPrivateKeyFile: $PKI_DIR/kubelet-server.key
cgroupDriver: cgroupfs
cgroupsPerQOS: true
failSwapOn: false
clusterDNS: [$CLUSTER_DNS_IP]
clusterDomain: $CLUSTER_DOMAIN
# no host resolver in pods: names outside the cluster are not resolved
resolvConf: ""
podLogsDir: $DATA_DIR/pod-logs
# images are local only and cannot be pulled again: never garbage-collect them
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 100Mi
  nodefs.available: 1%
  nodefs.inodesFree: 1%
  imagefs.available: 1%
serializeImagePulls: false
registerNode: true
nodeStatusReportFrequency: 10s
syncFrequency: 10s
fileCheckFrequency: 10s
runtimeRequestTimeout: 5m
maxPods: 110
# this VM cannot lower oom_score_adj (no CAP_SYS_RESOURCE); 0 avoids errors
oomScoreAdj: 0
EOF
start_proc kubelet "$K8S_BIN/kubelet" \
  --config "$CONF_DIR/kubelet.yaml" --kubeconfig "$CONF_DIR/kubelet.kubeconfig" \
  --container-runtime-endpoint "unix://$CRI_SOCK" \
  --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --root-dir "$KUBELET_ROOT" \
  --pod-infra-container-image "$PAUSE_IMAGE"

cat >"$CONF_DIR/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $CONF_DIR/kube-proxy.kubeconfig
hostnameOverride: $NODE_NAME
mode: iptables
oomScoreAdj: 0
clusterCIDR: $POD_CIDR
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# NodePorts answer on 127.0.0.1 only (kube-proxy sets route_localnet for this)
nodePortAddresses: ["127.0.0.1/32"]
iptables:
  localhostNodePorts: true
  masqueradeAll: false
  minSyncPeriod: 1s
  syncPeriod: 30s
# 0 = leave the host's conntrack settings alone
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
  udpTimeout: 0s
  udpStreamTimeout: 0s
EOF
# --v=2: each rules sync, timed, in the log (what e2e runs read when a request through a NodePort fails).
start_proc kube-proxy "$K8S_BIN/kube-proxy" --config "$CONF_DIR/kube-proxy.yaml" --v=2

node_registered() { kc get node "$NODE_NAME"; }
wait_for "node $NODE_NAME to register" kubelet node_registered

# ---- add-ons ---------------------------------------------------------------------------------------
render() {
  sed -e "s#@CLUSTER_DOMAIN@#$CLUSTER_DOMAIN#g" -e "s#@CLUSTER_DNS_IP@#$CLUSTER_DNS_IP#g" \
      -e "s#@COREDNS_IMAGE@#$COREDNS_IMAGE#g" -e "s#@LOCAL_PATH_IMAGE@#$LOCAL_PATH_IMAGE#g" \
      -e "s#@BUSYBOX_IMAGE@#$BUSYBOX_IMAGE#g" -e "s#@LOCAL_PATH_DIR@#$LOCAL_PATH_DIR#g" \
      -e "s#@LOCAL_PATH_VERSION@#$LOCAL_PATH_VERSION#g" -e "s#@STORAGE_CLASS@#$STORAGE_CLASS#g" \
      -e "s#@SHARED_STORAGE_CLASS@#$SHARED_STORAGE_CLASS#g" -e "s#@METRICS_SERVER_IMAGE@#$METRICS_SERVER_IMAGE#g" \
      -e "s#@METRICS_SERVER_VERSION@#$METRICS_SERVER_VERSION#g" -e "s#@KUBE_ROUTER_VERSION@#$KUBE_ROUTER_VERSION#g" "$1"
}
addons_applied() {
  { render "$CLUSTER_DIR/manifests/coredns.yaml"; echo "---"
    render "$CLUSTER_DIR/manifests/local-path-provisioner.yaml"; echo "---"
    render "$CLUSTER_DIR/manifests/metrics-server.yaml"; echo "---"
    render "$CLUSTER_DIR/manifests/kube-router.yaml"; } \
    | kc apply -f - >"$RUN_DIR/addons.log" 2>&1
}
wait_for "add-on manifests to apply" kube-apiserver addons_applied

# NetworkPolicy enforcement: kube-router's network policy controller only (no BGP routing, no
# service proxy, no CNI config: the bridge CNI and kube-proxy stay as they are). Health and
# metrics servers off (they would listen on every address); it is ready once its chains exist.
# --v=1: each sync's start, its save and its restore of the filter table, timed, in the log.
start_proc kube-router "$KUBE_ROUTER_BIN/kube-router" \
  --run-firewall=true --run-router=false --run-service-proxy=false --run-loadbalancer=false \
  --enable-cni=false --enable-ipv4=true --enable-ipv6=false \
  --kubeconfig "$CONF_DIR/kube-router.kubeconfig" --hostname-override "$NODE_NAME" \
  --service-cluster-ip-range "$SERVICE_CIDR" --health-port 0 --metrics-port 0 \
  --iptables-sync-period 1m --v=1
router_ready() { iptables -w -S KUBE-ROUTER-FORWARD >/dev/null 2>&1 && iptables -w -S FORWARD | grep -q -- '-j KUBE-ROUTER-FORWARD'; }
wait_for "kube-router's network policy chains" kube-router router_ready

wait_for "node $NODE_NAME Ready" kubelet node_ready
coredns_ready() { deploy_ready kube-system coredns; }
lpp_ready() { deploy_ready local-path-storage local-path-provisioner; }
wait_for "CoreDNS Ready" kubelet coredns_ready
wait_for "local-path-provisioner Ready" kubelet lpp_ready
# The HPA reads CPU through the aggregated metrics API: wait until it serves a node's figures.
metrics_ready() { deploy_ready kube-system metrics-server && kc get --raw "/apis/metrics.k8s.io/v1beta1/nodes/$NODE_NAME"; }
wait_for "metrics-server serving node metrics" kubelet metrics_ready

# The Ingress controller: Traefik as a host process with the Kubernetes Ingress provider (it reads
# Ingresses, Services and EndpointSlices through the kubeconfig and connects to the pods directly,
# from the node's pod bridge address). Loopback ports only; plain HTTP redirects to HTTPS; the
# X-Forwarded-* headers of clients are not trusted (Traefik's default), it sets its own.
# `http.tls` on the HTTPS entry point: Traefik serves an Ingress route over TLS only on an entry
# point (or a router annotation) that says so; the Ingress `tls` section only adds the certificate.
for p in "$INGRESS_HTTP_PORT" "$INGRESS_HTTPS_PORT" "$INGRESS_PING_PORT"; do pid_of traefik >/dev/null || port_free "$p"; done
start_proc traefik env KUBECONFIG="$KUBECONFIG_PATH" "$TRAEFIK_BIN/traefik" \
  --global.checkNewVersion=false --global.sendAnonymousUsage=false --log.level=INFO \
  --entryPoints.web.address="127.0.0.1:$INGRESS_HTTP_PORT" \
  --entryPoints.web.http.redirections.entryPoint.to=websecure \
  --entryPoints.web.http.redirections.entryPoint.scheme=https \
  --entryPoints.websecure.address="127.0.0.1:$INGRESS_HTTPS_PORT" --entryPoints.websecure.http.tls=true \
  --entryPoints.ping.address="127.0.0.1:$INGRESS_PING_PORT" --ping=true --ping.entryPoint=ping \
  --providers.kubernetesingress=true --providers.kubernetesingress.ingressEndpoint.ip=127.0.0.1
traefik_ok() { curl -sf "http://127.0.0.1:$INGRESS_PING_PORT/ping" | grep -q OK; }
wait_for "Traefik (Ingress controller) ready" traefik traefik_ok

log "cluster up in $((SECONDS - t_start))s: context $CONTEXT_NAME, kubeconfig $KUBECONFIG_PATH, default StorageClass $STORAGE_CLASS"
log "Ingress controller (Traefik $TRAEFIK_VERSION): http://127.0.0.1:$INGRESS_HTTP_PORT (redirects), https://127.0.0.1:$INGRESS_HTTPS_PORT"
log "use it with: source scripts/cluster/env.sh"
