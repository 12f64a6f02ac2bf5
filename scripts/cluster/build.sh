#!/usr/bin/env bash
# Installs the cluster's Debian packages and builds (once, then cached) every
# binary and local image the single-node cluster needs:
#   kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy,
#   kubectl (k8s.io/kubernetes), cri-dockerd, CoreDNS, local-path-provisioner, metrics-server,
#   kube-router (NetworkPolicy enforcement only),
#   Traefik (the Ingress controller),
#   a static pause binary; Docker images for pause, CoreDNS, the provisioner and
#   a busybox shell image (helper pods, smoke test).
# Near-instant when everything is cached. Binaries go to
# ~/.cache/wordpress-cdktf/<thing>-<version>/bin, never into the repository.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need_root

start_all=$SECONDS
mkdir -p "$LOG_DIR"

# ---- Debian packages, Docker engine, toolchain -----------------------------------------
apt_install etcd-server containernetworking-plugins conntrack socat iptables ipset openssl \
            busybox-static gcc libc6-dev patch iproute2 util-linux ca-certificates curl
ensure_docker_engine
command -v go >/dev/null || die "go toolchain not found"
for b in bridge host-local loopback portmap; do
  [ -x "$CNI_BIN_DIR/$b" ] || die "CNI plugin $CNI_BIN_DIR/$b missing (containernetworking-plugins)"
done

# ---- Go builds ----------------------------------------------------------------------
# go_build NAME MODULE_DIR OUT_DIR LDFLAGS PKG...
# Skipped when every binary exists and the stamp (hash of the wrapper module's
# files, ldflags and packages) is unchanged.
go_build() {
  local name=$1 moddir=$2 out=$3 ldflags=$4; shift 4
  local stamp
  stamp=$( { cat "$moddir"/go.mod "$moddir"/go.sum "$moddir"/*.go 2>/dev/null; echo "$ldflags $*"; } | hash16)
  go_build_stamped "$name" "$out/.stamp" "$stamp" "$out/" "$moddir" "$ldflags" "$@"
}

# Two lanes side by side, each a subshell (a failed build ends its lane): on a new machine the
# builds take ~30 min of 2 cores, and a single go build leaves a core idle while it links or
# downloads modules. Lane 1: Kubernetes, cri-dockerd, CoreDNS; lane 2: Traefik, metrics-server,
# kube-router, local-path-provisioner (about the same CPU time each).
lane_kubernetes() {
  k8s_ldflags="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    k8s_ldflags+=" -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=${K8S_VERSION%%.*}"
    k8s_ldflags+=" -X $p.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2) -X $p.gitTreeState=clean"
    k8s_ldflags+=" -X $p.buildDate=2026-06-11T16:59:07Z"
  done
  # One invocation so the six commands share compilation of the common packages.
  go_build kubernetes "$CLUSTER_DIR/k8s-build" "$K8S_BIN" "$k8s_ldflags" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet \
    k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubectl

  # cri-dockerd: the version pinned (and checksum-verified) by cri-dockerd-build/go.mod
  # is copied out of the module cache, patched (oom-score-adj.patch: this VM lacks
  # CAP_SYS_RESOURCE, so negative oom_score_adj values make runc fail) and built
  # with the wrapper's dependency versions.
  cri_patch="$CLUSTER_DIR/cri-dockerd-build/oom-score-adj.patch"
  cri_stamp="v$CRI_DOCKERD_VERSION $(hash16 <"$cri_patch")"
  if ! stamp_fresh "$CRI_DOCKERD_BIN/.stamp" "$cri_stamp" "$CRI_DOCKERD_BIN/cri-dockerd"; then
    src="$WPCDK_CACHE/cri-dockerd-$CRI_DOCKERD_VERSION/src"
    bmod="$WPCDK_CACHE/cri-dockerd-$CRI_DOCKERD_VERSION/build"
    logf="$LOG_DIR/prepare-cri-dockerd.log"
    log "preparing the patched cri-dockerd source (log: $logf)"
    (
      set -e
      cd "$CLUSTER_DIR/cri-dockerd-build"
      GOFLAGS=-mod=readonly go mod download github.com/Mirantis/cri-dockerd
      moddir=$(GOFLAGS=-mod=readonly go list -m -f '{{.Dir}}' github.com/Mirantis/cri-dockerd)
      rm -rf "$src" && mkdir -p "$(dirname "$src")" && cp -a "$moddir" "$src" && chmod -R u+w "$src"
      cd "$src" && rm -rf vendor && patch -p1 <"$cri_patch"
      # build module = the wrapper's go.mod/go.sum + a replace pointing at the patched copy
      rm -rf "$bmod" && mkdir -p "$bmod"
      cp "$CLUSTER_DIR/cri-dockerd-build/go.mod" "$CLUSTER_DIR/cri-dockerd-build/go.sum" "$CLUSTER_DIR/cri-dockerd-build/tools.go" "$bmod/"
      echo "replace github.com/Mirantis/cri-dockerd => ../src" >>"$bmod/go.mod"
    ) >"$logf" 2>&1 || { tail -30 "$logf" >&2; die "preparing cri-dockerd failed (log: $logf)"; }
    GO_BUILD_FLAGS="-mod=mod -buildvcs=false" go_build_stamped cri-dockerd "$CRI_DOCKERD_BIN/.stamp" "$cri_stamp" \
      "$CRI_DOCKERD_BIN/" "$bmod" \
      "-s -w -X github.com/Mirantis/cri-dockerd/cmd/version.Version=$CRI_DOCKERD_VERSION -X github.com/Mirantis/cri-dockerd/cmd/version.GitCommit=2104021" \
      github.com/Mirantis/cri-dockerd
  fi

  # The wrapper module's path ends in /coredns, so the binary is named coredns.
  go_build coredns "$CLUSTER_DIR/coredns-build" "$COREDNS_BIN" "-s -w" wordpress-cdktf/cluster/coredns
}

lane_addons() {
  # Traefik, the test cluster's Ingress controller: built inside its own downloaded module (its
  # go.mod has a local-path replace a wrapper module cannot repeat), pinned by its go.sum.
  traefik_mod="github.com/traefik/traefik/v3@v$TRAEFIK_VERSION"
  traefik_key="$traefik_mod $(go env GOVERSION) -s -w"
  if ! stamp_fresh "$TRAEFIK_BIN/.stamp" "$traefik_key" "$TRAEFIK_BIN/traefik"; then
    traefik_src=$(GOFLAGS=-mod=mod go mod download -json "$traefik_mod" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p') \
      || die "go mod download $traefik_mod failed"
    [ -f "$traefik_src/go.mod" ] || die "go mod download $traefik_mod gave no module directory"
    go_build_stamped traefik "$TRAEFIK_BIN/.stamp" "$traefik_key" "$TRAEFIK_BIN/traefik" "$traefik_src" \
      "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" ./cmd/traefik
  fi

  go_build metrics-server "$CLUSTER_DIR/metrics-server-build" "$METRICS_SERVER_BIN" "-s -w" \
    sigs.k8s.io/metrics-server/cmd/metrics-server

  # kube-router's network policy controller: iptables + ipset (the ipset CLI, Debian's ipset).
  go_build kube-router "$CLUSTER_DIR/kube-router-build" "$KUBE_ROUTER_BIN" \
    "-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=v$KUBE_ROUTER_VERSION" \
    github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
  go_build local-path-provisioner "$CLUSTER_DIR/local-path-build" "$LOCAL_PATH_BIN" "-s -w" \
    github.com/rancher/local-path-provisioner
}

lane_kubernetes & lane1=$!
lane_addons & lane2=$!
lanes_ok=1
wait "$lane1" || lanes_ok=0
wait "$lane2" || lanes_ok=0
[ "$lanes_ok" = 1 ] || die "a cluster build failed (see above)"

pause_stamp=$(hash16 <"$CLUSTER_DIR/images/pause/pause.c")
if ! stamp_fresh "$PAUSE_BIN/.stamp" "$pause_stamp" "$PAUSE_BIN/pause"; then
  mkdir -p "$PAUSE_BIN"
  gcc -Os -static -Wall -o "$PAUSE_BIN/pause.tmp" "$CLUSTER_DIR/images/pause/pause.c" \
    || die "compiling pause.c failed"
  strip "$PAUSE_BIN/pause.tmp" && mv "$PAUSE_BIN/pause.tmp" "$PAUSE_BIN/pause"
  stamp_write "$PAUSE_BIN/.stamp" "$pause_stamp"
fi

# ---- local images ---------------------------------------------------------------
# image_build TAG DOCKERFILE_TEXT FILE...   (context = the listed files)
# Rebuilt when the image is missing or its wpcdk.hash label (hash of the
# Dockerfile, the context files and the base image id) differs.
image_build() {
  local tag=$1 dockerfile=$2; shift 2
  local base hash ctx f
  base=$(printf '%s\n' "$dockerfile" | awk '/^FROM /{print $2; exit}')
  hash=$( { printf '%s\n' "$dockerfile"; cat "$@";
            [ "$base" = scratch ] || docker image inspect -f '{{.Id}}' "$base" 2>/dev/null; } | hash16)
  image_fresh "$tag" wpcdk.hash "$hash" && return 0
  ctx=$(mktemp -d)
  for f in "$@"; do cp -a "$f" "$ctx/"; done
  printf '%s\n' "$dockerfile" >"$ctx/Dockerfile"
  build_labelled_image "$tag" wpcdk.hash "$hash" "$LOG_DIR/image-${tag//[\/:]/_}.log" "$ctx"
  rm -rf "$ctx"
}

image_build "$PAUSE_IMAGE" 'FROM scratch
COPY pause /pause
ENTRYPOINT ["/pause"]' "$PAUSE_BIN/pause"

passwd_dir=$(mktemp -d)
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$passwd_dir/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$passwd_dir/group"
image_build "$BUSYBOX_IMAGE" 'FROM scratch
COPY busybox /bin/busybox
COPY passwd group /etc/
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && mkdir -p /tmp /root /var/www && chmod 1777 /tmp"]
CMD ["/bin/sh"]' /bin/busybox "$passwd_dir/passwd" "$passwd_dir/group"
rm -rf "$passwd_dir"

image_build "$COREDNS_IMAGE" 'FROM scratch
COPY coredns /coredns
EXPOSE 53 53/udp
ENTRYPOINT ["/coredns"]' "$COREDNS_BIN/coredns"

image_build "$LOCAL_PATH_IMAGE" "FROM $BUSYBOX_IMAGE
COPY local-path-provisioner /usr/bin/local-path-provisioner
ENTRYPOINT [\"/usr/bin/local-path-provisioner\"]" "$LOCAL_PATH_BIN/local-path-provisioner"

image_build "$METRICS_SERVER_IMAGE" "FROM $BUSYBOX_IMAGE
COPY metrics-server /metrics-server
USER 1000
ENTRYPOINT [\"/metrics-server\"]" "$METRICS_SERVER_BIN/metrics-server"

log "build.sh done in $((SECONDS - start_all))s"
