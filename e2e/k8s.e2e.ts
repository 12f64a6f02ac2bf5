/**
 * End-to-end on a real Kubernetes cluster (scripts/cluster/up.sh), through
 * the user's path (`cdktf deploy wordpress-k8s`). Writes e2e-results/k8s.json.
 * Run: npm run e2e:k8s
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { join } from 'node:path';
import { DEFAULT_IMAGES, LABEL, MYSQL, WORDPRESS } from '../constructs/app-model';
import { loadConfig } from '../stacks/config';
import { KUBERNETES_STACK, POD_SECURITY_LEVEL } from '../stacks/kubernetes-stack';
import { claimNameOf } from '../constructs/kubernetes-workload';
import { installAndPublishInBrowser, redeployAndCountChanges } from './lib/steps';
import { RESULTS_DIR, cdktf, log, need, run, sleep } from './lib/run';
import { proveNetworkPolicies } from './lib/network-policy';
import { check, writeResults } from './lib/results';
import { assertStateHoldsOnly } from './lib/state';
import { firstInstallPage, seconds } from './lib/timing';
import { postServedSteadily, waitForPost } from './lib/wordpress';

const LOG = 'k8s';
const NODE_PORT = 30080;
// Local images are never pulled; WordPress must not call out to the internet.
const E2E_NAME = 'wpcdk-e2e';
// Own namespace, so a deployment of the user's is never touched.
const stackEnv = {
  WPCDK_NAMESPACE: E2E_NAME,
  WPCDK_APP_NAME: E2E_NAME,
  // The run ends with a destroy of everything it made, data included.
  WPCDK_PROTECT_DATA: 'false',
  WPCDK_WORDPRESS_CONFIG_EXTRA: "define('WP_HTTP_BLOCK_EXTERNAL', true);",
  WPCDK_NODE_PORT: String(NODE_PORT),
  WPCDK_IMAGE_PULL_POLICY: 'Never',
};
const config = loadConfig({ ...process.env, ...stackEnv });
const ns = config.namespace;
const baseUrl = `http://127.0.0.1:${NODE_PORT}`;
const outputsFile = join(RESULTS_DIR, 'k8s-outputs.json');
const mysqlClaim = claimNameOf(MYSQL.host, MYSQL.dataVolume);

const kubectl = (...args: string[]) => run(LOG, 'kubectl', ['--kubeconfig', config.kubeconfig, ...(config.kubeContext ? ['--context', config.kubeContext] : []), ...args]);
const kubectlMaybe = (...args: string[]) => run(LOG, 'kubectl', ['--kubeconfig', config.kubeconfig, ...(config.kubeContext ? ['--context', config.kubeContext] : []), ...args], { allowFailure: true });

interface Pod { metadata: { name: string; labels: Record<string, string> }; spec: { volumes?: { persistentVolumeClaim?: { claimName: string } }[] }; status: { conditions?: { type: string; status: string }[] } }
const isReady = (pod: Pod) => pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

async function pods(selector?: string): Promise<Pod[]> {
  const result = await kubectlMaybe('get', 'pods', '-n', ns, '-o', 'json', ...(selector ? ['-l', selector] : []));
  return result.code === 0 ? (JSON.parse(result.stdout).items as Pod[]) : [];
}

/** Resolves with the time when both components have all pods Ready. */
async function allPodsReady(timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const list = await pods();
    const components = new Set(list.map((p) => p.metadata.labels[LABEL.component]));
    if (components.has('mysql') && components.has('wordpress') && list.every(isReady)) return Date.now();
    await sleep(250);
  }
  throw new Error(`pods in ${ns} not all Ready within ${timeoutMs} ms`);
}

/** Evidence that the node is a real kubelet on this machine, not a simulated node. */
async function realKubelet(): Promise<{ real: boolean; evidence: string }> {
  const nodes = JSON.parse((await kubectl('get', 'nodes', '-o', 'json')).stdout).items as {
    metadata: { name: string; annotations?: Record<string, string> };
    status: { nodeInfo: { kubeletVersion: string; containerRuntimeVersion: string }; conditions: { type: string; status: string }[] };
  }[];
  const process = await run(LOG, 'pgrep', ['-a', '-x', 'kubelet'], { allowFailure: true });
  const node = nodes[0];
  const simulated = Object.keys(node?.metadata.annotations ?? {}).some((a) => a.includes('kwok'));
  const ready = node?.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
  const evidence = `node ${node?.metadata.name}: kubelet ${node?.status.nodeInfo.kubeletVersion}, runtime ${node?.status.nodeInfo.containerRuntimeVersion}, Ready=${ready}, kubelet process: ${process.stdout.trim().slice(0, 120) || 'none'}`;
  return { real: nodes.length === 1 && !!ready && !simulated && process.code === 0 && node.status.nodeInfo.containerRuntimeVersion.startsWith('docker://'), evidence };
}

/** The cluster's busybox image (scripts/cluster/build.sh): the stranger of the NetworkPolicy probes. */
const BUSYBOX_IMAGE = process.env.WPCDK_BUSYBOX_IMAGE ?? 'wordpress-cdktf/busybox:1.35';
const PROBE_NAMESPACE = 'wpcdk-s2-probe';
/** Kinds of the deployment's live objects that checkov scans (`npm run scan`); Secrets stay out of the results. */
const LIVE_KINDS = 'namespaces,deployments,services,networkpolicies,persistentvolumeclaims,configmaps,serviceaccounts,roles,rolebindings,horizontalpodautoscalers,poddisruptionbudgets';

/** The live objects of the deployment as multi-document YAML (status and server bookkeeping removed), for checkov. */
async function saveLiveObjects(): Promise<{ file: string; kinds: Record<string, number> }> {
  const list = JSON.parse((await kubectl('get', LIVE_KINDS, '-n', ns, '-o', 'json')).stdout) as { items: Record<string, unknown>[] };
  // namespaces are cluster-scoped: `-n` does not narrow them.
  const items = list.items.filter((o) => o.kind !== 'Namespace' || (o.metadata as { name: string }).name === ns);
  const kinds: Record<string, number> = {};
  const docs = items.map((o) => {
    const { status: _status, ...rest } = o;
    const metadata = { ...(rest.metadata as Record<string, unknown>) };
    delete metadata.managedFields;
    kinds[String(o.kind)] = (kinds[String(o.kind)] ?? 0) + 1;
    return stringify({ ...rest, metadata });
  });
  const file = join(RESULTS_DIR, 'k8s-live-objects.yaml');
  writeFileSync(file, `# live objects of namespace ${ns} (the deployed ${KUBERNETES_STACK} stack), read by npm run scan\n${docs.join('---\n')}`);
  return { file, kinds };
}

/**
 * The Pod Security level read from the live namespace; whether every pod of the app runs (was
 * admitted) and is Ready there; and whether the API server rejects a privileged pod (dry run).
 */
async function podSecurity(): Promise<Record<string, unknown>> {
  const labels = JSON.parse((await kubectl('get', 'namespace', ns, '-o', 'json')).stdout).metadata.labels as Record<string, string>;
  const level = labels['pod-security.kubernetes.io/enforce'] ?? 'privileged (no label)';
  const list = await pods();
  const admitted = list.length > 0 && list.every(isReady);
  const privileged = await kubectlMaybe('run', `psa-probe-${randomBytes(3).toString('hex')}`, '-n', ns, '--dry-run=server', '--restart=Never',
    `--image=${config.mysqlImage ?? DEFAULT_IMAGES.mysql}`, '--image-pull-policy=Never',
    `--overrides=${JSON.stringify({ apiVersion: 'v1', spec: { containers: [{ name: 'probe', image: config.mysqlImage ?? DEFAULT_IMAGES.mysql, securityContext: { privileged: true } }] } })}`);
  const rejected = privileged.code !== 0 && /violates PodSecurity/.test(privileged.stderr);
  log(LOG, `Pod Security: enforce=${level}, ${list.length} pods Ready=${admitted}, privileged pod: ${privileged.stderr.trim().split('\n')[0] || privileged.stdout.trim()}`);
  return {
    pod_security_level: level,
    pod_security_pods: list.map((p) => p.metadata.name),
    pod_security_all_pods_admitted_and_ready: admitted,
    pod_security_privileged_pod_rejected: rejected,
  };
}

async function main() {
  need(existsSync(config.kubeconfig), `a kubeconfig at ${config.kubeconfig}`, 'Start the local cluster (scripts/cluster/up.sh) and source scripts/cluster/env.sh.');
  await kubectl('get', '--raw', '/readyz').catch((e) => need(false, `a reachable cluster (${e.message})`, 'Start it with scripts/cluster/up.sh.'));
  const results: Record<string, unknown> = { stack: KUBERNETES_STACK, url: baseUrl, namespace: ns };

  assertStateHoldsOnly(KUBERNETES_STACK, ['kubernetes_namespace_v1'], (name) => name === E2E_NAME);
  const kubelet = await realKubelet();
  results.real_kubelet = kubelet.real;
  results.node = kubelet.evidence;

  log(LOG, `1. cdktf deploy ${KUBERNETES_STACK}`);
  await cdktf(LOG, ['destroy', KUBERNETES_STACK, '--auto-approve'], stackEnv); // a clean start if an earlier run died
  const start = Date.now();
  const ready = allPodsReady(900_000);
  const first200 = firstInstallPage(baseUrl);
  await cdktf(LOG, ['deploy', KUBERNETES_STACK, '--auto-approve', '--outputs-file', outputsFile, '--outputs-file-include-sensitive-outputs=false'], stackEnv);
  results.deploy_seconds = seconds(Date.now() - start);
  results.pods_ready_seconds = seconds((await ready) - start);
  results.first_200_seconds = seconds((await first200) - start);
  const outputs = JSON.parse(readFileSync(outputsFile, 'utf8'))[KUBERNETES_STACK] as Record<string, unknown>;
  results.output_url = outputs.url;
  need(outputs.url === baseUrl, `the stack output url ${baseUrl}`, `got ${JSON.stringify(outputs)}`);

  log(LOG, '1b. Pod Security: the level the namespace enforces, every app pod admitted and Ready under it');
  Object.assign(results, await podSecurity());

  log(LOG, '2. browser: install, log in, publish a post');
  const { postId, postTitle, browserInstallOk } = await installAndPublishInBrowser(baseUrl, 'Kubernetes');
  results.browser_install_ok = browserInstallOk;

  log(LOG, '3. deploy again with no changes');
  Object.assign(results, await redeployAndCountChanges(LOG, KUBERNETES_STACK, stackEnv));

  log(LOG, '4. delete the MySQL pod; a new one starts on the same volume');
  const claim = (pod: Pod) => pod.spec.volumes?.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName;
  const volumeOf = async () => (await kubectl('get', 'pvc', mysqlClaim, '-n', ns, '-o', 'jsonpath={.spec.volumeName}')).stdout.trim();
  const [oldPod] = await pods(`${LABEL.component}=mysql`);
  const volumeBefore = await volumeOf();
  const deletedAt = Date.now();
  await kubectl('delete', 'pod', oldPod.metadata.name, '-n', ns, '--wait=true');
  let newPod: Pod | undefined;
  while (!newPod && Date.now() - deletedAt < 300_000) {
    newPod = (await pods(`${LABEL.component}=mysql`)).find((p) => p.metadata.name !== oldPod.metadata.name && isReady(p));
    if (!newPod) await sleep(250);
  }
  need(newPod !== undefined, 'a new Ready MySQL pod after the delete', 'see e2e-results/k8s.log');
  await waitForPost(baseUrl, postId, postTitle);
  results.mysql_pod_replaced_seconds = seconds(Date.now() - deletedAt);
  results.same_volume_after_pod_delete = claim(newPod) === mysqlClaim && (await volumeOf()) === volumeBefore;
  results.post_survived_pod_delete = results.same_volume_after_pod_delete === true && (await postServedSteadily(baseUrl, postId, postTitle));

  log(LOG, '5. NetworkPolicy: enforced (kube-router), probed from a stranger pod and from WordPress');
  Object.assign(results, await proveNetworkPolicies({
    kubectlOptions: ['--kubeconfig', config.kubeconfig, ...(config.kubeContext ? ['--context', config.kubeContext] : [])],
    logName: LOG, namespace: ns, mysql: { host: MYSQL.host, port: MYSQL.port },
    wordpress: { selector: `${LABEL.component}=wordpress`, container: 'wordpress', service: 'wordpress', port: WORDPRESS.port },
    probeNamespace: PROBE_NAMESPACE, busyboxImage: BUSYBOX_IMAGE,
  }));

  log(LOG, '5b. save the live objects for the scanner (npm run scan)');
  const live = await saveLiveObjects();
  results.live_objects_file = 'e2e-results/k8s-live-objects.yaml';
  results.live_objects = live.kinds;

  log(LOG, '6. destroy');
  const pvsBefore = (await kubectl('get', 'pv', '-o', 'json')).stdout;
  const stackPvs = (JSON.parse(pvsBefore).items as { metadata: { name: string }; spec: { claimRef?: { namespace: string }; persistentVolumeReclaimPolicy: string } }[])
    .filter((pv) => pv.spec.claimRef?.namespace === ns);
  results.reclaim_policies = [...new Set(stackPvs.map((pv) => pv.spec.persistentVolumeReclaimPolicy))];
  await cdktf(LOG, ['destroy', KUBERNETES_STACK, '--auto-approve'], stackEnv);
  const leftovers: string[] = [];
  const nsLeft = await kubectlMaybe('get', 'namespace', ns, '-o', 'name');
  if (nsLeft.code === 0) leftovers.push(`namespace ${ns}`);
  // PVs with reclaim policy Delete are removed by the provisioner shortly after their claims.
  const pvDeadline = Date.now() + 120_000;
  let remaining = stackPvs.map((pv) => pv.metadata.name);
  while (remaining.length && Date.now() < pvDeadline) {
    const names = JSON.parse((await kubectl('get', 'pv', '-o', 'json')).stdout).items.map((pv: { metadata: { name: string } }) => pv.metadata.name);
    remaining = remaining.filter((name) => names.includes(name));
    if (remaining.length) await sleep(1000);
  }
  leftovers.push(...remaining.map((name) => `pv ${name}`));
  results.leftovers_after_destroy = leftovers.length;
  if (leftovers.length) results.leftover_list = leftovers;

  writeResults('k8s', results);
  check(results, {
    real_kubelet: (v) => v === true,
    pod_security_level: (v) => v === POD_SECURITY_LEVEL,
    pod_security_all_pods_admitted_and_ready: (v) => v === true,
    pod_security_privileged_pod_rejected: (v) => v === true,
    noop_changes: (v) => v === 0,
    post_survived_pod_delete: (v) => v === true,
    browser_install_ok: (v) => v === true,
    leftovers_after_destroy: (v) => v === 0,
    stranger_blocked_from_mysql: (v) => v === true,
    wordpress_reaches_mysql: (v) => v === true,
    wordpress_egress_limited: (v) => v === true,
    network_policy_enforced: (v) => v === true,
  });
  log(LOG, 'e2e k8s: all checks passed');
}

main().catch((error) => {
  console.error(`e2e k8s FAILED: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
