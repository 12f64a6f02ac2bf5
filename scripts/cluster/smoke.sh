#!/usr/bin/env bash
# Smoke test of the local cluster (start it first with scripts/cluster/up.sh):
#   a pod from a local image writing to a PVC of the default StorageClass,
#   a NodePort Service answering on 127.0.0.1:<nodePort>, cluster DNS from a pod,
#   pod-to-service traffic by name, a NetworkPolicy probe, then PVC deletion
#   removing the PV and its directory. Everything it creates is deleted.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
. "$CLUSTER_DIR/env.sh"
t_start=$SECONDS
NS="wpcdk-smoke-$$"
kc() { kubectl --context "$WPCDK_KUBE_CONTEXT" --request-timeout=20s "$@"; }
pass() { printf '[smoke] ok: %s\n' "$*"; }
failed() { printf '[smoke] FAILED: %s\n' "$*" >&2; kc -n "$NS" get all,pvc,events 2>/dev/null | tail -30 >&2 || true; exit 1; }
cleanup() { kc delete namespace "$NS" --wait=false >/dev/null 2>&1 || true; }
trap cleanup EXIT

kc get --raw=/readyz >/dev/null 2>&1 || failed "cluster not reachable; run scripts/cluster/up.sh"
kc create namespace "$NS" >/dev/null
kc -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 64Mi}}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: web
      image: $BUSYBOX_IMAGE
      imagePullPolicy: Never
      command: [sh, -c, 'echo "hello from \$(hostname) via pvc" > /data/index.html && exec httpd -f -p 8080 -h /data']
      ports: [{containerPort: 8080}]
      readinessProbe:
        tcpSocket: {port: 8080}
        periodSeconds: 1
      volumeMounts: [{name: data, mountPath: /data}]
  volumes:
    - name: data
      persistentVolumeClaim: {claimName: data}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: client
      image: $BUSYBOX_IMAGE
      imagePullPolicy: Never
      command: [sleep, "3600"]
EOF

kc -n "$NS" wait --for=condition=Ready pod/web pod/client --timeout=120s >/dev/null \
  || failed "pods did not become Ready"
pass "pods Running from local image $BUSYBOX_IMAGE"

phase=$(kc -n "$NS" get pvc data -o jsonpath='{.status.phase}')
pv=$(kc -n "$NS" get pvc data -o jsonpath='{.spec.volumeName}')
[ "$phase" = Bound ] && [ -n "$pv" ] || failed "PVC not Bound (phase=$phase)"
sc=$(kc -n "$NS" get pvc data -o jsonpath='{.spec.storageClassName}')
reclaim=$(kc get pv "$pv" -o jsonpath='{.spec.persistentVolumeReclaimPolicy}')
pvpath=$(kc get pv "$pv" -o jsonpath='{.spec.hostPath.path}{.spec.local.path}')
pass "PVC Bound to $pv (class $sc, reclaim $reclaim, host path $pvpath)"

port=$(kc -n "$NS" get svc web -o jsonpath='{.spec.ports[0].nodePort}')
body=""
for _ in $(seq 30); do
  body=$(curl -sS --max-time 2 "http://127.0.0.1:$port/" 2>/dev/null) && [ -n "$body" ] && break
  sleep 1
done
echo "$body" | grep -q "hello from web via pvc" || failed "NodePort 127.0.0.1:$port answered '$body'"
pass "NodePort: curl http://127.0.0.1:$port/ -> $body"

svc_ip=$(kc -n "$NS" get svc web -o jsonpath='{.spec.clusterIP}')
fqdn="web.$NS.svc.cluster.local"
out=$(kc -n "$NS" exec client -- nslookup "$fqdn" 2>&1) || failed "nslookup $fqdn: $out"
echo "$out" | grep -q "$svc_ip" || failed "nslookup $fqdn did not return $svc_ip: $out"
pass "DNS: $fqdn -> $svc_ip"
# shellcheck disable=SC2015  # fails when either the lookup or the check fails
out=$(kc -n "$NS" exec client -- nslookup kubernetes.default.svc.cluster.local 2>&1) \
  && echo "$out" | grep -q "$KUBERNETES_SVC_IP" || failed "nslookup kubernetes.default: $out"
pass "DNS: kubernetes.default.svc.cluster.local -> $KUBERNETES_SVC_IP"
# (busybox-static: wget cannot use glibc NSS, so names are resolved with nslookup;
#  its wget -T segfaults, so timeouts come from `timeout`)
# (busybox nslookup exits 1 when any search-path candidate is NXDOMAIN: judge the output)
out=$(kc -n "$NS" exec client -- nslookup web 2>&1 || true); echo "$out" | grep -q "$svc_ip" \
  || failed "short name 'web' via the search path: $out"
# shellcheck disable=SC2015  # fails when either the request or the check fails
out=$(kc -n "$NS" exec client -- timeout 5 wget -qO- "http://$svc_ip/" 2>&1) \
  && echo "$out" | grep -q "hello from web" || failed "pod -> http://$svc_ip/: $out"
pass "pod -> Service: 'web' resolves via the search path, http://$svc_ip/ answers"
if kc -n "$NS" exec client -- nslookup -timeout=2 example.com >/dev/null 2>&1; then
  failed "an external name resolved; cluster DNS must not forward"
fi
pass "external names are not resolved (no upstream DNS)"

# NetworkPolicy: the bridge CNI has no policy engine, so policies are accepted but not enforced.
kc -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
EOF
sleep 1
if kc -n "$NS" exec client -- timeout 3 wget -qO- "http://$svc_ip/" >/dev/null 2>&1; then
  echo "[smoke] note: NetworkPolicies are NOT enforced (bridge CNI); a deny-all policy did not block traffic"
else
  echo "[smoke] note: NetworkPolicies appear to be enforced"
fi

# Deleting the claim must delete the PV (reclaim policy Delete) and its directory.
kc -n "$NS" delete pod web client --wait=true --timeout=60s >/dev/null
kc -n "$NS" delete pvc data --wait=true --timeout=60s >/dev/null
for _ in $(seq 60); do
  kc get pv "$pv" >/dev/null 2>&1 || break
  sleep 1
done
kc get pv "$pv" >/dev/null 2>&1 && failed "PV $pv still exists after deleting its PVC"
for _ in $(seq 20); do [ -e "$pvpath" ] || break; sleep 0.5; done
[ ! -e "$pvpath" ] || failed "volume directory $pvpath still exists"
pass "PVC deleted -> PV $pv and $pvpath removed"

kc delete namespace "$NS" --timeout=60s >/dev/null || failed "namespace deletion"
trap - EXIT
echo "[smoke] all checks passed in $((SECONDS - t_start))s"
