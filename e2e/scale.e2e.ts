/**
 * Scale out and balance on Docker and Kubernetes, autoscale on Kubernetes,
 * measured under a bounded loopback load (hey), through the user's path
 * (`cdktf deploy`). Writes e2e-results/scale.json. Run: npm run e2e:scale
 * (Docker running, the test cluster up: scripts/cluster/up.sh).
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '../stacks/config';
import { DOCKER_STACK } from '../stacks/docker-stack';
import { KUBERNETES_STACK } from '../stacks/kubernetes-stack';
import { LABEL } from '../constructs/app-model';
import { LoadResult, distinctHeader, startLoad, underLoad } from './lib/load';
import { check, writeResults } from './lib/results';
import { cdktf, log, need, run, sleep } from './lib/run';
import { installAndPublishInBrowser } from './lib/steps';
import { assertStateHoldsOnly } from './lib/state';
import { seconds } from './lib/timing';
import { waitForPost } from './lib/wordpress';
import { removeDockerLeftovers, runE2e } from './lib/leftovers';

const LOG = 'scale';
const E2E_NAME = 'wpcdk-scale';
const BLOCK_EXTERNAL = "define('WP_HTTP_BLOCK_EXTERNAL', true);";
const DOCKER_PORT = 18100;
const NODE_PORT = 30100;
const REPLICAS = 3;
/** The fixed load of the throughput table: workers x rate cap, for a fixed time. */
const TABLE_LOAD = { concurrency: 8, ratePerWorker: 50, seconds: 10 } as const;

// Both runs end with a destroy of everything they made, data included.
const dockerEnv = { WPCDK_APP_NAME: E2E_NAME, WPCDK_PROTECT_DATA: 'false', WPCDK_HOST_PORT: String(DOCKER_PORT), WPCDK_WORDPRESS_CONFIG_EXTRA: BLOCK_EXTERNAL };
const k8sEnv = {
  WPCDK_APP_NAME: E2E_NAME, WPCDK_PROTECT_DATA: 'false', WPCDK_NAMESPACE: E2E_NAME, WPCDK_NODE_PORT: String(NODE_PORT), WPCDK_IMAGE_PULL_POLICY: 'Never',
  WPCDK_WORDPRESS_CONFIG_EXTRA: BLOCK_EXTERNAL, WPCDK_STORAGE_CLASS: process.env.E2E_SHARED_STORAGE_CLASS ?? 'local-path-shared',
  WPCDK_CONTENT_ACCESS_MODE: 'ReadWriteMany', WPCDK_WORDPRESS_REPLICAS: '1', WPCDK_WORDPRESS_MAX_REPLICAS: String(REPLICAS), WPCDK_HPA_CPU_TARGET: '50',
};
const k8sConfig = loadConfig({ ...process.env, ...k8sEnv });
const kubectl = (...args: string[]) =>
  run(LOG, 'kubectl', ['--kubeconfig', k8sConfig.kubeconfig, ...(k8sConfig.kubeContext ? ['--context', k8sConfig.kubeContext] : []), ...args]);

const row = (replicas: number, r: LoadResult) =>
  ({ replicas, requests_per_second: r.requestsPerSecond, p50_ms: r.p50Ms, p99_ms: r.p99Ms, failed: r.failed, requests: r.requests });

/** What the 1-vs-N figures say, from the figures themselves. */
function explain(single: LoadResult, scaled: LoadResult, replicas: number): string {
  const ratio = scaled.requestsPerSecond / single.requestsPerSecond;
  return `${replicas} replicas served ${scaled.requestsPerSecond.toFixed(1)} req/s against ${single.requestsPerSecond.toFixed(1)} for one (x${ratio.toFixed(2)}), ` +
    `p50 ${single.p50Ms} -> ${scaled.p50Ms} ms: one replica already keeps both CPU cores busy (a page costs ~${(2000 / single.requestsPerSecond).toFixed(0)} ms of CPU ` +
    `at ${TABLE_LOAD.concurrency} concurrent requests), and the load generator, the balancer and the database share the same 2 cores, so more replicas add ` +
    'switching and memory, not capacity. Replicas buy availability here (a killed or updated instance costs no request); throughput needs more cores or nodes.';
}

async function dockerPart(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const baseUrl = `http://127.0.0.1:${DOCKER_PORT}`;
  assertStateHoldsOnly(DOCKER_STACK, ['docker_container', 'docker_network', 'docker_volume'], (name) => name.startsWith(E2E_NAME));
  const deploy = (replicas: number) => cdktf(LOG, ['deploy', DOCKER_STACK, '--auto-approve'], { ...dockerEnv, WPCDK_WORDPRESS_REPLICAS: String(replicas) });
  await removeDockerLeftovers(LOG, E2E_NAME); // what a run that died left, also in another clone (whose state is gone)
  await cdktf(LOG, ['destroy', DOCKER_STACK, '--auto-approve'], dockerEnv); // a clean start

  log(LOG, 'docker 1. one replica: install, then the throughput of a single container');
  await deploy(1);
  const { postId, postTitle } = await installAndPublishInBrowser(baseUrl, 'Docker-scale');
  const postUrl = `${baseUrl}/?p=${postId}`;
  const single = await startLoad(LOG, postUrl, TABLE_LOAD).done;

  log(LOG, `docker 2. ${REPLICAS} replicas behind HAProxy (re-deploy: adds containers and the balancer)`);
  await deploy(REPLICAS);
  await waitForPost(baseUrl, postId, postTitle);
  const backends = await distinctHeader(postUrl, 'x-served-by', 30);
  results.backends_seen = backends.length;
  results.backends = backends;
  const scaled = await startLoad(LOG, postUrl, TABLE_LOAD).done;
  results.throughput = [row(1, single), row(REPLICAS, scaled)];
  results.throughput_ratio = Number((scaled.requestsPerSecond / single.requestsPerSecond).toFixed(2));
  results.throughput_note = explain(single, scaled, REPLICAS);

  log(LOG, 'docker 3. kill one WordPress container\'s process during load');
  const pid = (await run(LOG, 'docker', ['inspect', '-f', '{{.State.Pid}}', `${E2E_NAME}-wordpress-2`])).stdout.trim();
  const kill = await underLoad(LOG, postUrl, async () => {
    await run(LOG, 'kill', ['-KILL', pid]);
    await sleep(8000); // the restart policy brings it back; the balancer routes around it meanwhile
  });
  results.kill_requests = kill.requests;
  results.failed_requests_during_kill = kill.failed;
  results.error_ratio_during_kill = Number((kill.failed / kill.requests).toFixed(4));

  log(LOG, 'docker 4. destroy');
  await cdktf(LOG, ['destroy', DOCKER_STACK, '--auto-approve'], dockerEnv);
  return results;
}

interface Pod { metadata: { name: string }; status: { conditions?: { type: string; status: string }[] } }

async function readyPods(): Promise<string[]> {
  const { stdout } = await kubectl('get', 'pods', '-n', E2E_NAME, '-l', `${LABEL.component}=wordpress`, '-o', 'json');
  return (JSON.parse(stdout).items as Pod[])
    .filter((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((p) => p.metadata.name);
}

/** Pods whose access log shows a request carrying `marker`. */
async function podsThatServed(pods: string[], marker: string): Promise<string[]> {
  const served: string[] = [];
  for (const pod of pods) {
    const { stdout } = await kubectl('logs', '-n', E2E_NAME, pod, '--since=5m');
    if (stdout.includes(marker)) served.push(pod);
  }
  return served;
}

async function k8sPart(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const baseUrl = `http://127.0.0.1:${NODE_PORT}`;
  need(existsSync(k8sConfig.kubeconfig), `a kubeconfig at ${k8sConfig.kubeconfig}`, 'Start the local cluster (scripts/cluster/up.sh) and source scripts/cluster/env.sh.');
  await kubectl('get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes').catch((e) => need(false, `the metrics API (${e.message})`, 'scripts/cluster/up.sh starts metrics-server.'));
  assertStateHoldsOnly(KUBERNETES_STACK, ['kubernetes_namespace_v1'], (name) => name === E2E_NAME);
  await cdktf(LOG, ['destroy', KUBERNETES_STACK, '--auto-approve'], k8sEnv);

  log(LOG, 'k8s 1. deploy with an HPA (1 to 3 pods) on a ReadWriteMany content volume; install');
  await cdktf(LOG, ['deploy', KUBERNETES_STACK, '--auto-approve'], k8sEnv);
  const { postId } = await installAndPublishInBrowser(baseUrl, 'Kubernetes-scale');
  const postUrl = `${baseUrl}/?p=${postId}`;
  const hpa = async () => JSON.parse((await kubectl('get', 'hpa', 'wordpress', '-n', E2E_NAME, '-o', 'json')).stdout) as { status: { currentReplicas?: number; desiredReplicas?: number } };

  log(LOG, 'k8s 2. throughput of one pod, then a CPU-heavy load until the HPA scales out');
  results.pods_before_load = (await readyPods()).length;
  // The HPA starts from here: the throughput run is already a CPU-heavy load for one pod.
  const loadStart = Date.now();
  const single = await startLoad(LOG, postUrl, TABLE_LOAD).done;
  results.pods_ready_after_single_run = (await readyPods()).length;
  const load = startLoad(LOG, postUrl, { concurrency: 4, ratePerWorker: 20, seconds: 240 });
  let scaledTo = 0;
  while (Date.now() - loadStart < 230_000) {
    const pods = (await readyPods()).length;
    scaledTo = Math.max(scaledTo, pods);
    if (pods >= REPLICAS) break;
    await sleep(2000);
  }
  results.hpa_scale_up_seconds = seconds(Date.now() - loadStart);
  results.hpa_scaled_to = scaledTo;
  results.hpa_status = (await hpa()).status;
  await load.stop();

  log(LOG, 'k8s 3. the pods that answer through the Service, and their throughput');
  const marker = `scale-probe-${Date.now()}`;
  await startLoad(LOG, `${postUrl}&${marker}=1`, { concurrency: 4, ratePerWorker: 10, seconds: 5 }).done;
  const served = await podsThatServed(await readyPods(), marker);
  results.pods_seen = served.length;
  const scaled = await startLoad(LOG, postUrl, TABLE_LOAD).done;
  results.throughput = [row(1, single), row(scaledTo, scaled)];
  results.throughput_ratio = Number((scaled.requestsPerSecond / single.requestsPerSecond).toFixed(2));
  results.throughput_note = `${explain(single, scaled, scaledTo)} The one-pod run is also the HPA's trigger: ` +
    `${results.pods_ready_after_single_run} pod(s) were Ready when it ended.`;

  log(LOG, 'k8s 4. a rolling update (changed env value) under load');
  const update = await underLoad(LOG, postUrl, () =>
    cdktf(LOG, ['deploy', KUBERNETES_STACK, '--auto-approve'], { ...k8sEnv, WPCDK_WORDPRESS_CONFIG_EXTRA: `${BLOCK_EXTERNAL} /* rolled */` }));
  results.update_requests = update.requests;
  results.failed_requests_during_update = update.failed;
  results.update_statuses = update.statuses;

  // The HPA waits its 5-minute stabilization window before it scales down: longer than this run may take.
  results.hpa_scale_down = 'not measured: the default scale-down stabilization window is 300 s';

  log(LOG, 'k8s 5. destroy');
  await cdktf(LOG, ['destroy', KUBERNETES_STACK, '--auto-approve'], k8sEnv);
  return results;
}

async function main() {
  const hey = await run(LOG, 'hey', ['-n', '1', '-c', '1', 'http://127.0.0.1:9/'], { allowFailure: true }).catch(() => ({ code: 127 }));
  need(hey.code !== 127, 'the load generator hey', 'apt-get install hey (scripts/offline/setup.sh does).');
  const docker = await dockerPart();
  const k8s = await k8sPart();
  const results = {
    load: { tool: 'hey', table: TABLE_LOAD, note: 'loopback only; 2 CPU cores shared by the load generator, the proxies and every replica' },
    docker,
    k8s,
  };
  writeResults('scale', results);
  check({ ...Object.fromEntries(Object.entries(docker).map(([k, v]) => [`docker.${k}`, v])), ...Object.fromEntries(Object.entries(k8s).map(([k, v]) => [`k8s.${k}`, v])) }, {
    'docker.backends_seen': (v) => v === REPLICAS,
    'docker.error_ratio_during_kill': (v) => typeof v === 'number' && v <= 0.01,
    'k8s.pods_seen': (v) => typeof v === 'number' && v >= 2,
    'k8s.hpa_scaled_to': (v) => typeof v === 'number' && v >= 2,
    'k8s.failed_requests_during_update': (v) => v === 0,
  });
  log(LOG, 'e2e scale: all checks passed');
}

runE2e('e2e scale', LOG, [E2E_NAME], main);
