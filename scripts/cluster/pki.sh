#!/usr/bin/env bash
# Generates (once) the cluster CA, component certificates, the service-account
# key pair and the kubeconfigs under ~/.cache/wordpress-cdktf/cluster.
# Called by up.sh; safe to re-run (existing, still-valid material is kept).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mkdir -p "$PKI_DIR" "$CONF_DIR"
chmod 700 "$PKI_DIR"
cd "$PKI_DIR"

# Regenerate everything when the parameters that go into certificates change.
params="v2 $NODE_NAME $NODE_IP $KUBERNETES_SVC_IP $CLUSTER_DOMAIN $APISERVER_PORT"
if [ "$(cat params 2>/dev/null || true)" != "$params" ] \
   || ! openssl x509 -checkend 86400 -noout -in ca.crt >/dev/null 2>&1; then
  log "pki: generating a new CA and certificates in $PKI_DIR"
  rm -f ./*.crt ./*.key ./*.pub ./*.csr ./*.srl ./*.ext params
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -keyout ca.key -out ca.crt -subj "/CN=wordpress-cdktf-ca" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  # separate CA for the aggregation layer's request-header authentication
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -keyout front-proxy-ca.key -out front-proxy-ca.crt -subj "/CN=wordpress-cdktf-front-proxy-ca" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  echo "$params" >params.pending
fi

# cert NAME SUBJECT EXT_KEY_USAGE [SAN] [CA_NAME]
cert() {
  local name=$1 subj=$2 eku=$3 san=${4:-} ca=${5:-ca}
  if [ -s "$name.crt" ] && [ -s "$name.key" ]; then return 0; fi
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [ -z "$san" ] || echo "subjectAltName=$san"
  } >"$name.ext"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subj" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" -CAcreateserial -sha256 -days 3650 \
    -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

cert apiserver "/CN=kube-apiserver" serverAuth \
  "IP:127.0.0.1,IP:$KUBERNETES_SVC_IP,IP:$NODE_IP,DNS:localhost,DNS:$NODE_NAME,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN"
cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
cert admin "/O=system:masters/CN=wordpress-cdktf-admin" clientAuth
cert controller-manager "/CN=system:kube-controller-manager" clientAuth
cert scheduler "/CN=system:kube-scheduler" clientAuth
cert kube-proxy "/CN=system:kube-proxy" clientAuth
cert kube-router "/CN=system:kube-router" clientAuth
cert kubelet-client "/O=system:nodes/CN=system:node:$NODE_NAME" clientAuth
cert kubelet-server "/CN=$NODE_NAME" serverAuth "IP:$NODE_IP,IP:127.0.0.1,DNS:$NODE_NAME,DNS:localhost"
cert front-proxy-client "/CN=front-proxy-client" clientAuth "" front-proxy-ca
chmod 600 ./*.key
[ ! -f params.pending ] || mv params.pending params

# kubeconfig FILE USER CERT_NAME
kubeconfig() {
  local file=$1 user=$2 name=$3 ca crt key
  ca=$(base64 -w0 <ca.crt); crt=$(base64 -w0 <"$name.crt"); key=$(base64 -w0 <"$name.key")
  umask 077
  cat >"$file.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $CLUSTER_NAME
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $ca
users:
- name: $user
  user:
    client-certificate-data: $crt
    client-key-data: $key
contexts:
- name: $CONTEXT_NAME
  context:
    cluster: $CLUSTER_NAME
    user: $user
current-context: $CONTEXT_NAME
EOF
  mv "$file.tmp" "$file"
}
kubeconfig "$KUBECONFIG_PATH" wordpress-cdktf-admin admin
kubeconfig "$CONF_DIR/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
kubeconfig "$CONF_DIR/scheduler.kubeconfig" system:kube-scheduler scheduler
kubeconfig "$CONF_DIR/kube-proxy.kubeconfig" system:kube-proxy kube-proxy
kubeconfig "$CONF_DIR/kube-router.kubeconfig" system:kube-router kube-router
kubeconfig "$CONF_DIR/kubelet.kubeconfig" "system:node:$NODE_NAME" kubelet-client
