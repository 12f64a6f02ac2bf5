/**
 * e2e preflight: the user's commands (`npm run deploy`, `npm run deploy:k8s`) on this machine
 * with one piece removed at a time, each must stop within 2 s with one line naming the piece
 * and its fix, before the cdktf CLI or Terraform starts (the synth runs beside the check and is
 * stopped). And: the app gets the same environment from scripts/deploy.mjs (its synth beside the
 * preflight, then `cdktf deploy --skip-synth`) as from the cdktf CLI's own synth.
 * Writes e2e-results/preflight.json. Nothing is deployed; the "registry" is a closed port on
 * 127.0.0.1 (no traffic leaves the machine).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESULTS_DIR, log, need, run } from './lib/run';
import { check, writeResults } from './lib/results';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSynth } = require('../scripts/lib/app-synth.cjs') as {
  startSynth: (dir: string, env: NodeJS.ProcessEnv) => { done: Promise<{ code: number | null; stderr: string }> } | undefined;
};

const LOG = 'preflight';
const CLOSED = '127.0.0.1:18799'; // nothing listens here: a registry that does not answer
const emptyCliConfig = join(RESULTS_DIR, 'preflight-empty.tfrc');

interface Case { readonly name: string; readonly script: string; readonly env: NodeJS.ProcessEnv; readonly piece: RegExp }
const CASES: Case[] = [
  { name: 'no_docker_engine', script: 'deploy', env: { DOCKER_HOST: 'unix:///tmp/wpcdk-p-missing-docker.sock' }, piece: /Docker engine missing: no answer at unix:\/\/\/tmp\/wpcdk-p-missing-docker.sock/ },
  { name: 'image_not_present_nor_pullable', script: 'deploy', env: { WPCDK_MYSQL_IMAGE: `${CLOSED}/wpcdk-p/absent:1` }, piece: /image 127\.0\.0\.1:18799\/wpcdk-p\/absent:1 missing/ },
  { name: 'no_provider_source', script: 'deploy', env: { TF_CLI_CONFIG_FILE: emptyCliConfig }, piece: /Terraform provider source for kreuzwerker\/docker 3\.6\.2, hashicorp\/random 3\.7\.2 missing/ },
  { name: 'no_kubeconfig', script: 'deploy:k8s', env: { WPCDK_KUBECONFIG: '/tmp/wpcdk-p-missing-kubeconfig' }, piece: /kubeconfig missing: \/tmp\/wpcdk-p-missing-kubeconfig does not exist/ },
];

async function main() {
  need(!!process.env.TF_CLI_CONFIG_FILE, 'the offline provider mirror (TF_CLI_CONFIG_FILE)', 'Source scripts/offline/env.sh after scripts/offline/setup.sh.');
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(emptyCliConfig, '');
  const base = { WPCDK_PROVIDER_REGISTRY: CLOSED, WPCDK_APP_NAME: 'wpcdk-p-preflight', WPCDK_HOST_PORT: '18782' };
  const results: Record<string, unknown> = {};

  log(LOG, '0. with every piece present the preflight passes');
  const ok = await run(LOG, 'node', ['scripts/preflight.mjs', 'wordpress-docker'], { env: base, allowFailure: true });
  results.all_present_exit_code = ok.code;

  for (const c of CASES) {
    log(LOG, `${c.name}: npm run ${c.script}`);
    const started = Date.now();
    const result = await run(LOG, 'npm', ['run', c.script], { env: { ...base, ...c.env }, allowFailure: true });
    const seconds = Number(((Date.now() - started) / 1000).toFixed(2));
    // The check alone (without npm's own start-up, ~0.4 s), to tell a busy machine from a slow check.
    const alone = Date.now();
    await run(LOG, 'node', ['scripts/preflight.mjs', c.script === 'deploy:k8s' ? 'wordpress-k8s' : 'wordpress-docker'], { env: { ...base, ...c.env }, allowFailure: true });
    const preflightSeconds = Number(((Date.now() - alone) / 1000).toFixed(2));
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('error:'));
    results[c.name] = {
      command: `npm run ${c.script}`, removed: c.env, exit_code: result.code, seconds, preflight_seconds: preflightSeconds, error_lines: lines.length, line: lines[0],
      names_piece: c.piece.test(lines[0] ?? ''), names_fix: /\. Fix: \S/.test(lines[0] ?? ''),
      reached_cdktf: /cdktf deploy|Synthesizing/.test(result.stdout.split('\n').slice(3).join('\n')),
    };
  }
  const cases = CASES.map((c) => results[c.name] as { exit_code: number; seconds: number; error_lines: number; names_piece: boolean; names_fix: boolean; reached_cdktf: boolean });
  results.all_exit_non_zero = cases.every((c) => c.exit_code !== 0);
  results.max_seconds = Math.max(...cases.map((c) => c.seconds));
  results.one_line_each = cases.every((c) => c.error_lines === 1 && c.names_piece && c.names_fix);
  results.none_reached_cdktf = cases.every((c) => !c.reached_cdktf);
  Object.assign(results, await synthEnvironments(base));
  writeResults('preflight', results);
  check(results, {
    all_present_exit_code: (v) => v === 0,
    all_exit_non_zero: (v) => v === true,
    max_seconds: (v) => typeof v === 'number' && v <= 2,
    one_line_each: (v) => v === true,
    none_reached_cdktf: (v) => v === true,
    deploy_synth_env_differences: (v) => Array.isArray(v) && v.length === 0,
  });
  log(LOG, 'e2e preflight: all checks passed');
}

/**
 * The environment an app gets from the cdktf CLI's synth (`cdktf synth`) and from the synth
 * scripts/deploy.mjs starts (scripts/lib/app-synth.cjs), in a project whose app writes it to a
 * file. Not compared: the file's name (DUMP_TO), `_` (the program that started the shell) and
 * TF_PLUGIN_CACHE_DIR (which the CLI sets for the Terraform it runs).
 */
async function synthEnvironments(base: NodeJS.ProcessEnv) {
  log(LOG, 'synth environment: the cdktf CLI\'s against scripts/deploy.mjs\'s');
  const dir = mkdtempSync(join(tmpdir(), 'wpcdk-p-synth-env-'));
  try {
    const app = 'node -e "require(\'fs\').writeFileSync(process.env.DUMP_TO, JSON.stringify(process.env))"';
    writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app, terraformModules: [], context: {} }));
    // The CLI then fails (no manifest): only the environment its app got matters here.
    await run(LOG, join(process.cwd(), 'node_modules', '.bin', 'cdktf'), ['synth'], { env: { ...base, DUMP_TO: join(dir, 'cli.json') }, cwd: dir, allowFailure: true });
    const ours = startSynth(dir, { ...process.env, ...base, DUMP_TO: join(dir, 'deploy.json') });
    need((await ours?.done)?.code === 0, 'scripts/lib/app-synth.cjs running the app', 'See the log.');
    const [cli, deploy] = ['cli.json', 'deploy.json'].map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, string>);
    const names = [...new Set([...Object.keys(cli), ...Object.keys(deploy)])].filter((n) => !['DUMP_TO', '_', 'TF_PLUGIN_CACHE_DIR'].includes(n));
    return {
      deploy_synth_env_compared: names.length,
      deploy_synth_env_differences: names.filter((n) => cli[n] !== deploy[n]).map((n) => `${n}: cdktf CLI ${JSON.stringify(cli[n])}, deploy.mjs ${JSON.stringify(deploy[n])}`),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`e2e preflight FAILED: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
