#!/usr/bin/env node
// Prints the speed and memory figures of issue #2 (medians of several runs):
// the synth ratio against `require('cdktf')`, direct-synth wall time and peak
// memory, `cdktf synth` wall time, and the unit-suite wall time.
// Targets (this 2-core machine): ratio <= 3, direct synth <= 150 MB,
// cdktf synth <= 2.5 s, unit suite <= 5 s. It prints; it does not assert.
// With --deploy (needs the Docker engine, the provider mirror and the images: source
// scripts/offline/env.sh) it adds issue #14's deploy figures from e2e/deploy-bench.ts:
// docker_deploy_ratio_to_compose (npm run deploy vs docker-compose up -d, command to first
// 200, target <= 1.5) and noop_deploy_seconds (target <= 3); and, when a cluster is configured
// (WPCDK_KUBECONFIG: source scripts/cluster/env.sh), k8s_deploy_ratio_to_kubectl from
// e2e/k8s-deploy-bench.ts (npm run deploy:k8s vs kubectl apply + rollout status of the same
// objects, command to Deployments rolled out, target <= 1.3); without one it is null.
// --deploy-k8s measures only the Kubernetes figure, and a missing cluster is a failure (CI runs
// it as a step of its own once the cluster is up, so that the Docker figures are measured
// without a cluster running).
// Every run writes its figures to e2e-results/bench.json; with --reuse-static (CI: the quiet
// early run measured them) it takes the figures already there (synth, unit suite, the Docker
// deploy figures of an earlier --deploy) instead of measuring them again, and adds its own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const env = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CDKTF_HOME: join(root, '.cdktf-home') };

/** Runs a shell command under GNU time; returns wall seconds and peak RSS (MB) of the largest process. */
function measure(command, extraEnv = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'wpcdk-bench-'));
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sh', '-c', command], {
    cwd: root, env: { ...env, CDKTF_OUTDIR: outdir, ...extraEnv }, encoding: 'utf8',
  });
  rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`"${command}" failed:\n${result.stdout}\n${result.stderr}`);
  const [wall, kb] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { seconds: wall, mb: kb / 1024 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function bench(command, n = runs, extraEnv = {}) {
  const samples = Array.from({ length: n }, () => measure(command, extraEnv));
  return { seconds: median(samples.map((s) => s.seconds)), mb: median(samples.map((s) => s.mb)) };
}

const docker = process.argv.includes('--deploy');
const k8sOnly = process.argv.includes('--deploy-k8s');
const cluster = !!process.env.WPCDK_KUBECONFIG;
if (k8sOnly && !cluster) {
  console.error('missing prerequisite: a cluster (WPCDK_KUBECONFIG) for --deploy-k8s. Start it with scripts/cluster/up.sh and source scripts/cluster/env.sh.');
  process.exit(1);
}

const staticFile = join(root, 'e2e-results', 'bench.json');
const reuse = process.argv.includes('--reuse-static') && existsSync(staticFile);
const staticFigures = reuse ? JSON.parse(readFileSync(staticFile, 'utf8')) : measureStatic();
if (!reuse) {
  mkdirSync(join(root, 'e2e-results'), { recursive: true });
  writeFileSync(staticFile, `${JSON.stringify(staticFigures, null, 2)}\n`);
}

function measureStatic() {
  const app = JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8')).app;
  const requireCdktf = bench(`node -e "require('cdktf')"`);
  const direct = bench(app);
  const cli = bench('node_modules/.bin/cdktf synth --output "$CDKTF_OUTDIR" >/dev/null', Math.min(runs, 3));
  const unit = bench('node_modules/.bin/jest --silent 2>/dev/null', Math.min(runs, 3));
  return {
    require_cdktf_seconds: requireCdktf.seconds,
    direct_synth_seconds: direct.seconds,
    synth_ratio: Number((direct.seconds / requireCdktf.seconds).toFixed(2)),
    direct_synth_peak_mb: Number(direct.mb.toFixed(1)),
    cdktf_synth_seconds: cli.seconds,
    unit_suite_seconds: unit.seconds,
  };
}

const notes = [];
const deploy = docker ? dockerFigures() : {};
const k8s = k8sOnly || (docker && cluster) ? k8sFigures() : docker ? { k8s_deploy_ratio_to_kubectl: null } : {};
if (docker && !k8sOnly && !cluster) notes.push('k8s_deploy_ratio_to_kubectl: no cluster configured (WPCDK_KUBECONFIG unset: source scripts/cluster/env.sh), or run --deploy-k8s');

/** Runs an e2e bench script; returns the JSON of its `<MARKER> {json}` line. */
function benchScript(script, marker) {
  const result = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'e2e', `${script}.ts`)], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = result.stdout.split('\n').find((l) => l.startsWith(`${marker} `));
  if (result.status !== 0 || !line) throw new Error(`e2e/${script}.ts failed (log: e2e-results/${script}.log):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
  return JSON.parse(line.slice(marker.length + 1));
}

/** The Docker part: e2e/deploy-bench.ts prints its figures on a line starting with DEPLOY_BENCH. */
function dockerFigures() {
  const { docker_deploy_ratio_to_compose, noop_deploy_seconds } = benchScript('deploy-bench', 'DEPLOY_BENCH');
  return { docker_deploy_ratio_to_compose, noop_deploy_seconds };
}

/** The Kubernetes part: e2e/k8s-deploy-bench.ts (all its figures: e2e-results/k8s-deploy-bench.json). */
function k8sFigures() {
  const { k8s_deploy_ratio_to_kubectl, cdktf_deploy_to_ready_seconds, kubectl_apply_to_ready_seconds, rounds } = benchScript('k8s-deploy-bench', 'K8S_DEPLOY_BENCH');
  notes.push(`k8s_deploy_ratio_to_kubectl: npm run deploy:k8s ${cdktf_deploy_to_ready_seconds} s / kubectl apply + rollout status ${kubectl_apply_to_ready_seconds} s (medians of ${rounds} rounds)`);
  return { k8s_deploy_ratio_to_kubectl };
}

const figures = { ...staticFigures, ...deploy, ...k8s };
mkdirSync(join(root, 'e2e-results'), { recursive: true });
writeFileSync(staticFile, `${JSON.stringify(figures, null, 2)}\n`);
const targets = {
  synth_ratio: 3, direct_synth_peak_mb: 150, cdktf_synth_seconds: 2.5, unit_suite_seconds: 5,
  docker_deploy_ratio_to_compose: 1.5, noop_deploy_seconds: 3, k8s_deploy_ratio_to_kubectl: 1.3,
};
console.log(reuse ? `synth and unit suite: from ${staticFile} (measured earlier in this run)` : `medians of ${runs} runs (cdktf synth and jest: ${Math.min(runs, 3)})`);
for (const [name, value] of Object.entries(figures)) {
  const target = targets[name];
  const verdict = value === null ? '   NOT MEASURED' : value <= target ? '' : '   MISSED';
  console.log(`${name.padEnd(30)} ${String(value).padStart(8)}${target ? `   target <= ${target}${verdict}` : ''}`);
}
notes.forEach((note) => console.log(note));
console.log(JSON.stringify(figures));
