#!/usr/bin/env node
// Prints the speed and memory figures of issue #2 (medians of several runs):
// the synth ratio against `require('cdktf')`, direct-synth wall time and peak
// memory, `cdktf synth` wall time, and the unit-suite wall time.
// Targets (this 2-core machine): ratio <= 3, direct synth <= 150 MB,
// cdktf synth <= 2.5 s, unit suite <= 5 s. It prints; it does not assert.
// With --deploy (needs the Docker engine, the provider mirror and the images: source
// scripts/offline/env.sh) it adds issue #14's deploy figures from e2e/deploy-bench.ts:
// docker_deploy_ratio_to_compose (npm run deploy vs docker-compose up -d, command to first
// 200, target <= 1.5) and noop_deploy_seconds (target <= 3); k8s_deploy_ratio_to_kubectl is
// not measured yet (null).
// Every run writes its synth and unit-suite figures to e2e-results/bench.json; with --reuse-static
// (CI: the quiet early run measured them) --deploy takes them from there instead of measuring again.
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

const deploy = process.argv.includes('--deploy') ? deployFigures() : {};

/** The deploy part: e2e/deploy-bench.ts prints its figures on a line starting with DEPLOY_BENCH. */
function deployFigures() {
  const result = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'e2e', 'deploy-bench.ts')], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = result.stdout.split('\n').find((l) => l.startsWith('DEPLOY_BENCH '));
  if (result.status !== 0 || !line) throw new Error(`e2e/deploy-bench.ts failed (log: e2e-results/deploy-bench.log):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
  const { docker_deploy_ratio_to_compose, noop_deploy_seconds } = JSON.parse(line.slice('DEPLOY_BENCH '.length));
  return { docker_deploy_ratio_to_compose, noop_deploy_seconds, k8s_deploy_ratio_to_kubectl: null };
}

const figures = { ...staticFigures, ...deploy };
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
console.log(JSON.stringify(figures));
