/**
 * The Kubernetes deploy figure of `npm run bench -- --deploy` / `--deploy-k8s` (issue #14; needs
 * the provider mirror and the local cluster: source scripts/offline/env.sh and
 * scripts/cluster/env.sh). Alternating rounds on the same cluster, each from nothing:
 * `kubectl apply -f` of EQUIVALENT manifests followed by `kubectl rollout status` of their
 * Deployments, then the user's `npm run deploy:k8s` (preflight + `cdktf deploy wordpress-k8s`,
 * which returns when the Deployments are rolled out: the provider waits for the rollout).
 * The manifests are the synthesized stack itself (e2e/k8s-manifests.ts converts cdk.tf.json of
 * wordpress-k8s, rendered from the same service descriptions), so both create the same objects;
 * kubectl's go to a namespace of their own (wpcdk-p-k8sbench-kubectl), cdktf's to
 * wpcdk-p-k8sbench. The baseline is validated by the API server (`--dry-run=server`) before
 * anything is timed. Prints one `K8S_DEPLOY_BENCH {json}` line and writes
 * e2e-results/k8s-deploy-bench.json; the manifests (with their secrets) live in a temporary
 * file only, a redacted copy is kept as e2e-results/k8s-deploy-bench-manifests.yaml.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE } from '../constructs/app-model';
import { loadConfig } from '../stacks/config';
import { KUBERNETES_STACK } from '../stacks/ids';
import { KubeObject, TerraformJson, deploymentsOf, manifestYaml, manifestsFromSynth, redactSecrets } from './k8s-manifests';
import { writeResults } from './lib/results';
import { CDKTF_ENV, RESULTS_DIR, ROOT, log, need, run } from './lib/run';
import { assertStateHoldsOnly } from './lib/state';
import { median, seconds } from './lib/timing';

const LOG = 'k8s-deploy-bench';
const NAME = 'wpcdk-p-k8sbench';
const BASELINE_NAMESPACE = `${NAME}-kubectl`;
const ROUNDS = Number(process.env.BENCH_K8S_ROUNDS ?? 3);
const ROLLOUT_TIMEOUT = '900s';
// No fixed node ports: the two namespaces must never compete for one.
delete process.env.WPCDK_NODE_PORT;
delete process.env.WPCDK_PROMETHEUS_NODE_PORT;
const stackEnv = {
  ...CDKTF_ENV,
  WPCDK_NAMESPACE: NAME,
  WPCDK_APP_NAME: NAME,
  // Every round ends with a destroy of everything it made, data included.
  WPCDK_PROTECT_DATA: 'false',
  // Local images are never pulled; WordPress must not call out to the internet.
  WPCDK_IMAGE_PULL_POLICY: 'Never',
  WPCDK_WORDPRESS_CONFIG_EXTRA: "define('WP_HTTP_BLOCK_EXTERNAL', true);",
};
const config = loadConfig({ ...process.env, ...stackEnv });
const kubeArgs = ['--kubeconfig', config.kubeconfig, ...(config.kubeContext ? ['--context', config.kubeContext] : [])];
const kubectl = (...args: string[]) => run(LOG, 'kubectl', [...kubeArgs, ...args]);
const npm = (script: string) => run(LOG, 'npm', ['run', script, '--', '--skip-provider-lock'], { env: stackEnv });

async function timed(command: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await command();
  return seconds(Date.now() - started);
}

/** The stack as `cdktf deploy` synthesizes it (same app command, same settings), to a throwaway directory. */
function synthesize(): TerraformJson {
  const outdir = mkdtempSync(join(tmpdir(), 'wpcdk-k8sbench-synth-'));
  try {
    const app = (JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')) as { app: string }).app;
    execFileSync('sh', ['-c', app], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...stackEnv, WPCDK_STACKS: KUBERNETES_STACK, CDKTF_OUTDIR: outdir } });
    return JSON.parse(readFileSync(join(outdir, 'stacks', KUBERNETES_STACK, 'cdk.tf.json'), 'utf8')) as TerraformJson;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * `kubectl apply -f`. Applied right after its namespace is created, the `default` ServiceAccount
 * may be created by the cluster between kubectl's read and its create (AlreadyExists); a second
 * apply then updates it, as the provider's default_service_account_v1 does. Counted in the time.
 */
async function apply(file: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const result = await run(LOG, 'kubectl', [...kubeArgs, 'apply', '-f', file], { allowFailure: true });
    if (result.code === 0) return;
    if (attempt >= 3 || !/AlreadyExists|already exists/.test(result.stderr)) throw new Error(`kubectl apply -f failed (see e2e-results/${LOG}.log): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
    log(LOG, `kubectl apply: ${result.stderr.trim().split('\n').pop()}; applying again`);
  }
}

const rolloutStatus = async (namespace: string, deployments: readonly string[], timeout = ROLLOUT_TIMEOUT) => {
  for (const name of deployments) await kubectl('rollout', 'status', `deployment/${name}`, '-n', namespace, `--timeout=${timeout}`);
};

async function main() {
  need(!!process.env.TF_CLI_CONFIG_FILE, 'the offline provider mirror (TF_CLI_CONFIG_FILE)', 'Source scripts/offline/env.sh after scripts/offline/setup.sh.');
  need(!!process.env.WPCDK_KUBECONFIG, 'a cluster (WPCDK_KUBECONFIG)', 'Start the local cluster (scripts/cluster/up.sh) and source scripts/cluster/env.sh.');
  await kubectl('get', '--raw', '/readyz').catch((e: Error) => need(false, `a reachable cluster (${e.message.split('\n')[0]})`, 'Start it with scripts/cluster/up.sh.'));
  assertStateHoldsOnly(KUBERNETES_STACK, ['kubernetes_namespace_v1'], (name) => name === NAME);

  const objects: KubeObject[] = manifestsFromSynth(synthesize(), { namespace: BASELINE_NAMESPACE });
  const deployments = deploymentsOf(objects);
  need(deployments.length > 0, 'Deployments in the synthesized stack', 'see e2e/k8s-manifests.ts');
  writeFileSync(join(RESULTS_DIR, `${LOG}-manifests.yaml`), `# the kubectl baseline of e2e/k8s-deploy-bench.ts (Secret values redacted; the bench applies fresh random ones)\n${manifestYaml(redactSecrets(objects))}`);
  // The real manifests hold generated secrets: a private temporary file, removed at the end.
  const dir = mkdtempSync(join(tmpdir(), 'wpcdk-k8sbench-'));
  const file = join(dir, 'manifests.yaml');
  const namespaceFile = join(dir, 'namespace.yaml');
  writeFileSync(file, manifestYaml(objects), { mode: 0o600 });
  writeFileSync(namespaceFile, manifestYaml(objects.filter((o) => o.kind === 'Namespace')), { mode: 0o600 });
  // The app's Deployments first, MySQL's last (each until its pods are gone), then the rest. Deleted
  // together, the WordPress pod took its full 30 s grace period to stop in ~1 clean-up of 3 (~43 s
  // instead of ~9 s): Apache's graceful stop waits for requests in progress, likely a readiness
  // probe whose PHP waited on the MySQL that was going away (not verified; 5 of 5 fast in this order).
  const kubectlClean = async () => {
    for (const name of [...deployments].sort((a, b) => Number(a === SERVICE.mysql) - Number(b === SERVICE.mysql))) {
      await kubectl('delete', 'deployment', name, '-n', BASELINE_NAMESPACE, '--ignore-not-found', '--cascade=foreground', '--wait=true', '--timeout=300s');
    }
    await kubectl('delete', '-f', file, '--ignore-not-found', '--wait=true', '--timeout=300s');
  };

  const kubectlRuns: number[] = [];
  const cdktfRuns: number[] = [];
  const load = { start: loadavg().map((l) => Number(l.toFixed(2))), end: [] as number[] };
  try {
    log(LOG, `clean start: nothing of ${NAME} or ${BASELINE_NAMESPACE} on the cluster`);
    await npm('destroy:k8s');
    await kubectl('delete', 'namespace', NAME, BASELINE_NAMESPACE, '--ignore-not-found', '--wait=true', '--timeout=300s');
    await kubectlClean();

    log(LOG, `validate the baseline: ${objects.length} objects (${deployments.join(', ')}), kubectl apply --dry-run=server`);
    await kubectl('apply', '-f', namespaceFile); // namespaced objects are validated in their (real) namespace
    await kubectl('apply', '--dry-run=server', '--validate=strict', '-f', file);
    await kubectl('delete', 'namespace', BASELINE_NAMESPACE, '--wait=true', '--timeout=300s');

    for (let round = 1; round <= ROUNDS; round++) {
      log(LOG, `round ${round}/${ROUNDS}: kubectl apply + rollout status, then npm run deploy:k8s`);
      kubectlRuns.push(await timed(async () => { await apply(file); await rolloutStatus(BASELINE_NAMESPACE, deployments); }));
      log(LOG, `kubectl apply to Ready: ${kubectlRuns.at(-1)} s`);
      await kubectlClean();
      cdktfRuns.push(await timed(() => npm('deploy:k8s')));
      log(LOG, `npm run deploy:k8s to Ready: ${cdktfRuns.at(-1)} s`);
      // Not timed: the provider said the rollout was done; the cluster must agree.
      await rolloutStatus(NAME, deployments, '10s');
      if (round < ROUNDS) await npm('destroy:k8s');
    }
  } finally {
    load.end = loadavg().map((l) => Number(l.toFixed(2)));
    await npm('destroy:k8s').catch((e: Error) => log(LOG, `clean-up: npm run destroy:k8s failed: ${e.message}`));
    await kubectlClean().catch((e: Error) => log(LOG, `clean-up: kubectl delete -f failed: ${e.message}`));
    await kubectl('delete', 'namespace', NAME, BASELINE_NAMESPACE, '--ignore-not-found', '--wait=true', '--timeout=300s')
      .catch((e: Error) => log(LOG, `clean-up: kubectl delete namespace failed: ${e.message}`));
    rmSync(dir, { recursive: true, force: true });
  }
  const kinds: Record<string, number> = {};
  for (const o of objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
  const figures = {
    k8s_deploy_ratio_to_kubectl: Number((median(cdktfRuns) / median(kubectlRuns)).toFixed(2)),
    cdktf_deploy_to_ready_seconds: median(cdktfRuns),
    kubectl_apply_to_ready_seconds: median(kubectlRuns),
    samples: { cdktf: cdktfRuns, kubectl: kubectlRuns },
    rounds: ROUNDS,
    objects: kinds,
    deployments,
    namespaces: { cdktf: NAME, kubectl: BASELINE_NAMESPACE },
    load_average: load,
    cores: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
  };
  writeResults(LOG, figures);
  console.log(`K8S_DEPLOY_BENCH ${JSON.stringify(figures)}`);
}

main().catch((error) => {
  console.error(`k8s deploy bench FAILED: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
