/**
 * Metrics end to end, on Docker and on the local Kubernetes cluster, through the user's path
 * (`cdktf deploy <stack>` with WPCDK_METRICS=true). Everything is read through Prometheus'
 * HTTP API on 127.0.0.1: every scrape target up, mysql_up, the Apache request counter against
 * the page loads a headless Chromium made, container memory series of WordPress and MySQL;
 * then a short bounded loopback load (hey) whose requests/s and MySQL connections are plotted
 * from Prometheus. Writes e2e-results/metrics.json and e2e-results/metrics.png.
 * Run: npm run e2e:metrics (Docker running, the test cluster up: scripts/cluster/up.sh).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LABEL } from '../constructs/app-model';
import { loadConfig } from '../stacks/config';
import { DOCKER_STACK } from '../stacks/docker-stack';
import { KUBERNETES_STACK } from '../stacks/kubernetes-stack';
import { withPage } from './lib/browser';
import { Series, renderChart } from './lib/chart';
import { isInstallPage, waitFor } from './lib/http';
import { startLoad } from './lib/load';
import { PrometheusApi } from './lib/prometheus';
import { check, writeResults } from './lib/results';
import { RESULTS_DIR, cdktf, log, need, run, sleep } from './lib/run';
import { assertStateHoldsOnly } from './lib/state';
import { dockerLeftovers, removeDockerLeftovers, runE2e } from './lib/leftovers';

const LOG = 'metrics';
const E2E_NAME = 'wpcdk-metrics';
const PAGE_LOADS = 12;
/** The plotted load: fixed workers, rate cap and duration. */
const LOAD = { concurrency: 2, ratePerWorker: 10, seconds: 30 } as const;
const common = {
  WPCDK_APP_NAME: E2E_NAME, WPCDK_METRICS: 'true', WPCDK_PROTECT_DATA: 'false',
  WPCDK_WORDPRESS_CONFIG_EXTRA: "define('WP_HTTP_BLOCK_EXTERNAL', true);",
};
const TARGETS = {
  docker: {
    stack: DOCKER_STACK,
    env: { ...common, WPCDK_HOST_PORT: '18280', WPCDK_PROMETHEUS_HOST_PORT: '18281' },
    site: 'http://127.0.0.1:18280', prometheus: 'http://127.0.0.1:18281',
    jobs: ['prometheus', 'mysqld-exporter', 'apache-exporter', 'cadvisor'],
    memory: `container_memory_working_set_bytes{container_label_app_kubernetes_io_part_of="${E2E_NAME}",container_label_app_kubernetes_io_name=~"wordpress|mysql"}`,
  },
  k8s: {
    stack: KUBERNETES_STACK,
    env: { ...common, WPCDK_NAMESPACE: E2E_NAME, WPCDK_NODE_PORT: '30280', WPCDK_PROMETHEUS_NODE_PORT: '30281', WPCDK_IMAGE_PULL_POLICY: 'Never' },
    site: 'http://127.0.0.1:30280', prometheus: 'http://127.0.0.1:30281',
    jobs: ['prometheus', 'mysqld-exporter', 'apache-exporter', 'cadvisor', 'kubelet-resource'],
    memory: `container_memory_working_set_bytes{namespace="${E2E_NAME}",container=~"wordpress|mysql"}`,
  },
} as const;
type TargetName = keyof typeof TARGETS;
const selected = (process.env.E2E_METRICS_TARGETS ?? 'docker,k8s').split(',') as TargetName[];

/** The Apache request counter, summed over the WordPress containers. */
const REQUESTS = 'sum(apache_accesses_total)';
const REQUEST_RATE = 'sum(rate(apache_accesses_total[15s]))';
const MYSQL_CONNECTIONS = 'sum(mysql_global_status_threads_connected)';

async function prerequisites(): Promise<void> {
  need((await run(LOG, 'docker', ['info', '--format', '{{.ServerVersion}}'], { allowFailure: true })).code === 0, 'a running Docker engine', 'Run scripts/offline/setup.sh.');
  need((await run(LOG, 'sh', ['-c', 'command -v hey'], { allowFailure: true })).code === 0, 'hey (the load generator)', 'apt-get install -y hey');
  const config = loadConfig(process.env);
  for (const image of [config.prometheusImage, config.mysqldExporterImage, config.apacheExporterImage, config.cadvisorImage, config.wordpressImage, config.mysqlImage]) {
    need(image !== undefined, 'the local image names', 'Source scripts/offline/env.sh.');
    need((await run(LOG, 'docker', ['image', 'inspect', '-f', '{{.Id}}', image], { allowFailure: true })).code === 0, `the image ${image}`, 'Run scripts/offline/images.sh.');
  }
  if (selected.includes('k8s')) {
    need(existsSync(config.kubeconfig), `a kubeconfig at ${config.kubeconfig}`, 'Start the local cluster (scripts/cluster/up.sh) and source scripts/cluster/env.sh.');
    const ready = await run(LOG, 'kubectl', ['--kubeconfig', config.kubeconfig, ...(config.kubeContext ? ['--context', config.kubeContext] : []), 'get', '--raw', '/readyz'], { allowFailure: true });
    need(ready.code === 0, 'a reachable cluster', 'Start it with scripts/cluster/up.sh.');
  }
}

/** Loads `count` pages in headless Chromium; returns the document responses it got from the site. */
async function browserPageLoads(site: string, count: number): Promise<number> {
  return withPage(async (page) => {
    let documents = 0;
    page.on('response', (response) => { if (response.request().resourceType() === 'document' && response.url().startsWith(site)) documents += 1; });
    for (let i = 0; i < count; i++) await page.goto(`${site}/wp-admin/install.php?load=${i}`, { waitUntil: 'load' });
    return documents;
  });
}

async function leftovers(name: TargetName): Promise<string[]> {
  const lines = (out: string) => out.split('\n').filter(Boolean);
  if (name === 'docker') {
    return dockerLeftovers(LOG, E2E_NAME);
  }
  const config = loadConfig(process.env);
  const kubectl = (...args: string[]) => run(LOG, 'kubectl', ['--kubeconfig', config.kubeconfig, ...(config.kubeContext ? ['--context', config.kubeContext] : []), ...args], { allowFailure: true });
  const found: string[] = [];
  if ((await kubectl('get', 'namespace', E2E_NAME)).code === 0) found.push(`namespace ${E2E_NAME}`);
  found.push(...lines((await kubectl('get', 'clusterrole,clusterrolebinding', '-o', 'name')).stdout).filter((n) => n.includes(E2E_NAME)));
  return found;
}

/** An access-log line of an answer that is not 2xx/3xx, or any other line (errors, warnings). */
const notServed = (line: string) => line.trim() !== '' && !/" [23]\d\d \d+ /.test(line);

/**
 * Why requests of the load failed, into e2e-results/metrics.log before destroy: what WordPress
 * logged since the load started other than answered requests, and, on the cluster, the end of the
 * node components' logs that touch the path (NodePort rules, network policy, kubelet).
 */
async function loadFailureDiagnostics(name: TargetName, sinceMs: number): Promise<void> {
  const since = new Date(sinceMs - 1000).toISOString();
  if (name === 'docker') {
    const names = (await run(LOG, 'docker', ['ps', '-a', '--filter', `label=${LABEL.partOf}=${E2E_NAME}`, '--filter', `label=${LABEL.component}=wordpress`, '--format', '{{.Names}}'], { allowFailure: true, quiet: true })).stdout;
    for (const container of names.split('\n').filter(Boolean)) {
      const out = await run(LOG, 'docker', ['logs', '--since', since, container], { allowFailure: true, quiet: true });
      log(LOG, `${container} since ${since}, answered requests left out:\n${`${out.stdout}\n${out.stderr}`.split('\n').filter(notServed).join('\n')}`);
    }
    return;
  }
  const config = loadConfig(process.env);
  const out = await run(LOG, 'kubectl', ['--kubeconfig', config.kubeconfig, ...(config.kubeContext ? ['--context', config.kubeContext] : []), '-n', E2E_NAME,
    'logs', '-l', `${LABEL.component}=wordpress`, '-c', 'wordpress', '--prefix', '--since-time', since], { allowFailure: true, quiet: true });
  log(LOG, `wordpress since ${since}, answered requests left out:\n${out.stdout.split('\n').filter(notServed).join('\n')}`);
  const logs = process.env.WPCDK_CLUSTER_LOGS; // the test cluster's (scripts/cluster/env.sh)
  if (!logs) return log(LOG, 'no WPCDK_CLUSTER_LOGS: not the test cluster, its components\' logs are not read');
  for (const component of ['kube-proxy', 'kube-router', 'kubelet', 'cri-dockerd']) {
    await run(LOG, 'tail', ['-n', '30', join(logs, `${component}.log`)], { allowFailure: true });
  }
}

/** What the containers said, into e2e-results/metrics.log, before a failed run destroys them. */
async function diagnostics(name: TargetName): Promise<void> {
  if (name === 'docker') {
    const names = (await run(LOG, 'docker', ['ps', '-a', '--filter', `label=${LABEL.partOf}=${E2E_NAME}`, '--format', '{{.Names}}'], { allowFailure: true })).stdout;
    for (const container of names.split('\n').filter(Boolean)) await run(LOG, 'docker', ['logs', '--tail', '40', container], { allowFailure: true });
    return;
  }
  const config = loadConfig(process.env);
  const kubectl = (...args: string[]) => run(LOG, 'kubectl', ['--kubeconfig', config.kubeconfig, ...(config.kubeContext ? ['--context', config.kubeContext] : []), '-n', E2E_NAME, ...args], { allowFailure: true });
  await kubectl('get', 'pods', '-o', 'wide');
  await kubectl('logs', '-l', `${LABEL.partOf}=${E2E_NAME}`, '--all-containers', '--prefix', '--tail', '40');
}

async function target(name: TargetName) {
  const t = TARGETS[name];
  const results: Record<string, unknown> = { stack: t.stack, site: t.site, prometheus: t.prometheus };
  const types = name === 'docker' ? ['docker_container', 'docker_network', 'docker_volume'] : ['kubernetes_namespace_v1'];
  assertStateHoldsOnly(t.stack, types, (n) => n.startsWith(E2E_NAME));
  if (name === 'docker') await removeDockerLeftovers(LOG, E2E_NAME); // what a run that died left, also in another clone (whose state is gone)
  await cdktf(LOG, ['destroy', t.stack, '--auto-approve'], t.env); // a clean start

  try {
    if (name === 'docker') {
      // Metrics turned on for a database that has data already: the exporter user comes from
      // MySQL's init file at every start, not from the first-initialisation scripts.
      log(LOG, `${name} 0. cdktf deploy ${t.stack} without metrics first (the data volume exists before the exporter)`);
      await cdktf(LOG, ['deploy', t.stack, '--auto-approve'], { ...t.env, WPCDK_METRICS: 'false' });
      await waitFor(`${t.site}/wp-admin/install.php`, isInstallPage, 300_000, 500);
      results.metrics_turned_on_later = true;
    }
    log(LOG, `${name} 1. cdktf deploy ${t.stack} with WPCDK_METRICS=true`);
    const started = Date.now();
    await cdktf(LOG, ['deploy', t.stack, '--auto-approve'], t.env);
    results.deploy_seconds = Math.round((Date.now() - started) / 1000);
    await waitFor(`${t.site}/wp-admin/install.php`, isInstallPage, 300_000, 500);
    const prometheus = new PrometheusApi(t.prometheus);
    log(LOG, `${name} 2. every scrape target up`);
    const targets = await prometheus.waitForTargets(t.jobs, 180_000);
    results.prometheus_targets = targets.map((x) => `${x.job} ${x.instance} ${x.health}`);
    results.prometheus_targets_down = targets.filter((x) => x.health !== 'up').length;
    results.mysql_up = await prometheus.waitFor('max(mysql_up)', (v) => v === 1, 60_000).catch(() => prometheus.scalar('max(mysql_up)'));

    log(LOG, `${name} 3. the request counter against ${PAGE_LOADS} page loads in Chromium`);
    const before = await prometheus.waitFor(REQUESTS, Number.isFinite, 60_000);
    const beforeAt = Date.now();
    const pageLoads = await browserPageLoads(t.site, PAGE_LOADS);
    // Two scrapes after the last load, so the counter includes it.
    await sleep(Math.max(0, 12_000 - (Date.now() - beforeAt)) + 2000);
    const after = await prometheus.waitFor(REQUESTS, (v) => v - before >= pageLoads, 30_000).catch(() => prometheus.scalar(REQUESTS));
    Object.assign(results, { browser_page_loads: pageLoads, request_counter_before: before, request_counter_after: after, request_counter_delta: after - before });
    results.request_counter_delta_ok = pageLoads >= PAGE_LOADS && after - before >= pageLoads;

    log(LOG, `${name} 4. container memory of WordPress and MySQL`);
    results.container_memory_series = await prometheus.waitFor(`count(${t.memory})`, (v) => v >= 2, 90_000).catch(() => prometheus.scalar(`count(${t.memory})`));
    results.container_memory_bytes = Object.fromEntries((await prometheus.query(`max by (${name === 'docker' ? 'container_label_app_kubernetes_io_name' : 'container'}) (${t.memory})`))
      .map((s) => [Object.values(s.metric)[0], s.value]));

    log(LOG, `${name} 5. bounded loopback load: ${LOAD.concurrency} workers x ${LOAD.ratePerWorker} req/s for ${LOAD.seconds} s`);
    const loadStart = Date.now() / 1000;
    const load = await startLoad(LOG, `${t.site}/wp-admin/install.php`, LOAD).done;
    await sleep(12_000); // the tail of the rate window
    const loadEnd = Date.now() / 1000;
    const window = [loadStart - 10, loadEnd, 2] as const;
    results.load = {
      ...LOAD, requests: load.requests, failed: load.failed, requests_per_second_hey: load.requestsPerSecond,
      p50_ms: load.p50Ms, p99_ms: load.p99Ms, statuses: load.statuses, errors: load.errors,
    };
    if (load.failed > 0) await loadFailureDiagnostics(name, loadStart * 1000);
    const requestRate = await prometheus.range(REQUEST_RATE, ...window);
    const connections = await prometheus.range(MYSQL_CONNECTIONS, ...window);
    results.peak_requests_per_second_prometheus = Number(Math.max(...requestRate.map(([, v]) => v)).toFixed(1));
    results.peak_mysql_connections = Math.max(...connections.map(([, v]) => v));
    // What the load did to the app: failed requests, and the targets afterwards.
    results.load_failed_requests = load.failed;
    results.prometheus_targets_down_after_load = (await prometheus.targets()).filter((x) => x.health !== 'up').map((x) => `${x.job} ${x.lastError}`);
    if (name === 'docker') {
      const restarts = await run(LOG, 'docker', ['ps', '-a', '--filter', `label=${LABEL.partOf}=${E2E_NAME}`, '--format', '{{.Names}} {{.Status}}']);
      results.containers_after_load = restarts.stdout.split('\n').filter(Boolean);
    }
    return { results, series: { requestRate, connections, loadStart: window[0] } };
  } catch (error) {
    await diagnostics(name);
    throw error;
  } finally {
    log(LOG, `${name} 6. destroy`);
    await cdktf(LOG, ['destroy', t.stack, '--auto-approve'], t.env);
    const left = await leftovers(name);
    results.leftovers_after_destroy = left.length;
    if (left.length) results.leftover_list = left;
  }
}

async function main() {
  await prerequisites();
  const all: Record<string, Record<string, unknown>> = {};
  const panels: { requests: Series[]; connections: Series[] } = { requests: [], connections: [] };
  const colors = { docker: '#1f77b4', k8s: '#d62728' } as const;
  for (const name of selected) {
    const { results, series } = await target(name);
    all[name] = results;
    const shift = (points: [number, number][]) => points.map(([t, v]) => [t - series.loadStart, v] as [number, number]);
    panels.requests.push({ name: `${name}: Apache requests/s`, color: colors[name], points: shift(series.requestRate) });
    panels.connections.push({ name: `${name}: MySQL threads connected`, color: colors[name], points: shift(series.connections), dashed: true });
  }
  const png = join(RESULTS_DIR, 'metrics.png');
  const span = { from: 10, to: 10 + LOAD.seconds, label: `hey load (${LOAD.seconds} s)` };
  await renderChart(png, 'wordpress-cdktf: WordPress under a bounded loopback load, read from Prometheus',
    `hey: ${LOAD.concurrency} workers x ${LOAD.ratePerWorker} req/s for ${LOAD.seconds} s on /wp-admin/install.php; ` +
    `rate(apache_accesses_total[15s]) and mysql_global_status_threads_connected, scraped every 5 s; time from 10 s before the load`,
    [{ title: 'Requests per second (apache_exporter)', unit: 'req/s', series: panels.requests, span },
      { title: 'MySQL connections (mysqld_exporter)', unit: 'connections', series: panels.connections, span }]);
  writeResults('metrics', { ...all, png: existsSync(png) ? 'e2e-results/metrics.png' : null });
  for (const [name, results] of Object.entries(all)) {
    check(results, {
      prometheus_targets_down: (v) => v === 0,
      mysql_up: (v) => v === 1,
      request_counter_delta_ok: (v) => v === true,
      container_memory_series: (v) => typeof v === 'number' && v >= 2,
      // The plotted load ran against a working app.
      load_failed_requests: (v) => v === 0,
      leftovers_after_destroy: (v) => v === 0,
    });
    log(LOG, `${name}: all checks passed`);
  }
  need(existsSync(png), 'e2e-results/metrics.png', 'see e2e-results/metrics.log');
  log(LOG, 'e2e metrics: all checks passed');
}

runE2e('e2e metrics', LOG, [E2E_NAME], main);
