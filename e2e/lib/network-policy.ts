/**
 * Proves that the cluster enforces the stack's NetworkPolicies, by opening TCP connections
 * from pods (all addresses are inside this machine: pod IPs, service IPs):
 *   - a stranger (busybox pod without WordPress labels, in a namespace of its own with no
 *     policy, so only MySQL's ingress policy can stop it) cannot open mysql:3306;
 *   - WordPress can;
 *   - WordPress cannot reach anything but DNS and MySQL: the API server's service IP and a
 *     port of another pod (CoreDNS's health port), which the stranger does reach (the control:
 *     the targets answer, only WordPress's egress policy stops it).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR, log, run } from './run';

export interface PolicyProbe { from: string; to: string; expected: 'reached' | 'blocked'; reached: boolean; ok: boolean }

export interface NetworkPolicyFacts {
  stranger_blocked_from_mysql: boolean;
  wordpress_reaches_mysql: boolean;
  wordpress_egress_limited: boolean;
  network_policy_enforced: boolean;
  network_policy_probes: PolicyProbe[];
}

export interface NetworkPolicyTarget {
  /** kubectl's options for the cluster (kubeconfig, context). */
  kubectlOptions: string[];
  logName: string;
  /** The app's namespace, and its MySQL Service name and port. */
  namespace: string;
  mysql: { host: string; port: number };
  /** Label selector of the WordPress pods, its container, its Service name and port. */
  wordpress: { selector: string; container: string; service: string; port: number };
  /** Namespace for the stranger pod (created and deleted here). */
  probeNamespace: string;
  /** Shell image with busybox nc. */
  busyboxImage: string;
}

const CONNECT_SECONDS = 2;

/** A pod that Pod Security "restricted" admits: non-root, nothing added, read-only root, limits. */
function strangerPod(name: string, namespace: string, image: string) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': 'np-stranger' } },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'probe', image, imagePullPolicy: 'Never', command: ['sleep', '600'],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        resources: { requests: { cpu: '10m', memory: '8Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
      }],
      terminationGracePeriodSeconds: 0,
    },
  };
}

export async function proveNetworkPolicies(t: NetworkPolicyTarget): Promise<NetworkPolicyFacts> {
  const kc = (args: string[], allowFailure = false) => run(t.logName, 'kubectl', [...t.kubectlOptions, ...args], { allowFailure });
  const stranger = 'np-stranger';
  const probes: PolicyProbe[] = [];
  await kc(['delete', 'namespace', t.probeNamespace, '--ignore-not-found', '--wait=true']);
  await kc(['create', 'namespace', t.probeNamespace]);
  try {
    const manifest = join(RESULTS_DIR, 'np-stranger-pod.json');
    writeFileSync(manifest, JSON.stringify(strangerPod(stranger, t.probeNamespace, t.busyboxImage), null, 2));
    await kc(['apply', '-f', manifest]);
    await kc(['wait', '-n', t.probeNamespace, '--for=condition=Ready', `pod/${stranger}`, '--timeout=90s']);
    const wordpressPod = (await kc(['get', 'pods', '-n', t.namespace, '-l', t.wordpress.selector, '-o', 'jsonpath={.items[0].metadata.name}'])).stdout.trim();
    const apiServerIp = (await kc(['get', 'service', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}'])).stdout.trim();
    const dnsPodIp = (await kc(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'jsonpath={.items[0].status.podIP}'])).stdout.trim();
    if (!wordpressPod || !dnsPodIp || !apiServerIp) throw new Error(`NetworkPolicy probes: no WordPress pod (${wordpressPod}), CoreDNS pod IP (${dnsPodIp}) or API server service IP (${apiServerIp})`);
    const mysql = `${t.mysql.host}.${t.namespace}.svc.cluster.local`;
    const wordpressSvc = `${t.wordpress.service}.${t.namespace}.svc.cluster.local`;

    const fromStranger = async (host: string, port: number) => {
      const r = await kc(['exec', '-n', t.probeNamespace, stranger, '--', 'nc', '-w', String(CONNECT_SECONDS), host, String(port)], true);
      return r.code === 0;
    };
    // PHP is what WordPress itself connects with; the image need not have nc.
    const php = `$s = @fsockopen($argv[1], (int)$argv[2], $no, $err, ${CONNECT_SECONDS}); if (!$s) { fwrite(STDERR, "$no $err\\n"); exit(1); }`;
    const fromWordpress = async (host: string, port: number) => {
      const r = await kc(['exec', '-n', t.namespace, wordpressPod, '-c', t.wordpress.container, '--', 'php', '-r', php, host, String(port)], true);
      return r.code === 0;
    };
    const probe = async (from: string, to: string, expected: PolicyProbe['expected'], connect: () => Promise<boolean>) => {
      const reached = await connect();
      const ok = reached === (expected === 'reached');
      probes.push({ from, to, expected, reached, ok });
      log(t.logName, `NetworkPolicy probe ${from} -> ${to}: ${reached ? 'reached' : 'blocked'} (expected ${expected})${ok ? '' : '  <-- UNEXPECTED'}`);
      return ok;
    };

    // Controls first: the stranger's network works and the targets answer.
    const controls = [
      await probe('stranger', `${wordpressSvc}:${t.wordpress.port}`, 'reached', () => fromStranger(wordpressSvc, t.wordpress.port)),
      await probe('stranger', `${apiServerIp}:443 (API server)`, 'reached', () => fromStranger(apiServerIp, 443)),
      await probe('stranger', `${dnsPodIp}:8080 (CoreDNS pod, health port)`, 'reached', () => fromStranger(dnsPodIp, 8080)),
    ].every(Boolean);
    const strangerBlocked = await probe('stranger', `${mysql}:${t.mysql.port}`, 'blocked', () => fromStranger(mysql, t.mysql.port));
    const wordpressReaches = await probe('wordpress', `${mysql}:${t.mysql.port}`, 'reached', () => fromWordpress(mysql, t.mysql.port));
    const egressLimited = [
      await probe('wordpress', `${apiServerIp}:443 (API server)`, 'blocked', () => fromWordpress(apiServerIp, 443)),
      await probe('wordpress', `${dnsPodIp}:8080 (CoreDNS pod, health port)`, 'blocked', () => fromWordpress(dnsPodIp, 8080)),
    ].every(Boolean);
    // Without working controls a "blocked" proves nothing.
    const facts = {
      stranger_blocked_from_mysql: controls && strangerBlocked,
      wordpress_reaches_mysql: wordpressReaches,
      wordpress_egress_limited: controls && egressLimited,
    };
    return { ...facts, network_policy_enforced: Object.values(facts).every(Boolean), network_policy_probes: probes };
  } finally {
    await kc(['delete', 'namespace', t.probeNamespace, '--ignore-not-found', '--wait=false'], true);
  }
}
