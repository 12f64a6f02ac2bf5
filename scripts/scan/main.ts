/**
 * `npm run scan`: checkov (PyPI, pinned, in a cached venv: scripts/scan/install.sh) on
 *   - every synthesized stack (`cdktf synth`, then cdktf.out/stacks/<stack>/cdk.tf.json,
 *     `--framework terraform_json`),
 *   - the live Kubernetes objects of the e2e deployment (e2e-results/k8s-live-objects.yaml,
 *     saved by `npm run e2e:k8s` while the deployment is up; `--framework kubernetes`),
 *   - the Kubernetes website's WordPress tutorial manifests (scripts/scan/fixtures), the baseline.
 * Failed checks outside scripts/scan/skip-list.yaml fail the command. Writes
 * e2e-results/security.json, with the per-container facts of the Docker and Swarm e2e runs.
 * `npm run scan -- --stacks-only` (the pipeline's synth job, before any deployment) scans only the
 * synthesized stacks and writes e2e-results/security-stacks.json.
 * checkov runs offline: no Prisma Cloud download, no update check, any HTTP(S) proxied to a
 * closed loopback port.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Finding, TargetSummary, parseSkipList, summarize } from './report';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'e2e-results');
const SKIP_LIST_FILE = join(__dirname, 'skip-list.yaml');
const LIVE_OBJECTS = join(RESULTS, 'k8s-live-objects.yaml');
const TUTORIAL = ['tutorial-mysql-deployment.yaml', 'tutorial-wordpress-deployment.yaml'].map((f) => join(__dirname, 'fixtures', f));
const CONTAINER_FACTS = { docker: join(RESULTS, 'security-containers-docker.json'), swarm: join(RESULTS, 'security-containers-swarm.json') };
/** The synthesized stack scanned as manifests must fail at least this many checks fewer than the tutorial. */
const FEWER_THAN_TUTORIAL_BY = 15;
const CI = process.env.CI === 'true' || process.env.CI === '1';
const STACKS_ONLY = process.argv.includes('--stacks-only');

const say = (message: string) => console.log(`[scan] ${message}`);

function sh(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`${command}: ${r.error.message}`);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const OFFLINE = { BC_SKIP_MAPPING: 'TRUE', CKV_SKIP_PACKAGE_UPDATE_CHECK: 'TRUE', HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', NO_PROXY: '', no_proxy: '' };

/** checkov on files; exit 0 (all passed) and 1 (some failed) both carry a report. */
function checkov(bin: string, framework: string, files: string[]): string {
  const r = sh(bin, [...files.flatMap((f) => ['-f', f]), '--framework', framework, '-o', 'json', '--quiet', '--skip-download'], OFFLINE);
  if (r.code !== 0 && r.code !== 1) throw new Error(`checkov on ${files.map((f) => relative(ROOT, f)).join(', ')} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

function containerFacts(target: keyof typeof CONTAINER_FACTS, problems: string[]): unknown {
  const file = CONTAINER_FACTS[target];
  if (!existsSync(file)) {
    const msg = `${relative(ROOT, file)} is missing: run npm run e2e:${target} first (it writes the per-container facts)`;
    if (CI) problems.push(msg);
    else say(`WARNING: ${msg}`);
    return null;
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

function main(): number {
  const install = sh('bash', [join(__dirname, 'install.sh')]);
  if (install.code !== 0) throw new Error(`scripts/scan/install.sh failed: ${install.stderr.slice(-2000)}`);
  const bin = install.stdout.trim().split('\n').pop() ?? '';
  const version = sh(bin, ['--version']).stdout.trim();
  const skipList = parseSkipList(readFileSync(SKIP_LIST_FILE, 'utf8'), relative(ROOT, SKIP_LIST_FILE));

  say('cdktf synth (every stack)');
  const synth = sh(join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth'], { CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CI: 'true', FORCE_COLOR: '0' });
  if (synth.code !== 0) throw new Error(`cdktf synth failed:\n${(synth.stdout + synth.stderr).slice(-3000)}`);
  const stacksDir = join(ROOT, 'cdktf.out', 'stacks');
  const stacks = readdirSync(stacksDir).filter((s) => existsSync(join(stacksDir, s, 'cdk.tf.json'))).sort();
  if (stacks.length === 0) throw new Error(`no synthesized stacks in ${relative(ROOT, stacksDir)}`);

  const checkovResults: Record<string, TargetSummary> = {};
  const findings: Finding[] = [];
  const problems: string[] = [];
  const scan = (target: string, framework: string, files: string[]) => {
    say(`checkov --framework ${framework}: ${target}`);
    const { summary, findings: found } = summarize(target, framework, checkov(bin, framework, files), skipList);
    // checkov has no checks for some providers' resources (kreuzwerker/docker): say so, do not pretend.
    checkovResults[target] = summary.passed + summary.failed_without_skip_list === 0
      ? { ...summary, note: 'checkov has no checks for any resource of this target (it has none for kreuzwerker/docker): nothing was checked' }
      : summary;
    findings.push(...found);
    say(`  ${target}: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} failed on the skip list`);
    return summary;
  };
  for (const stack of stacks) scan(stack, 'terraform_json', [join(stacksDir, stack, 'cdk.tf.json')]);
  if (STACKS_ONLY) {
    mkdirSync(RESULTS, { recursive: true });
    const out = join(RESULTS, 'security-stacks.json');
    writeFileSync(out, `${JSON.stringify({ checkov_version: version, checkov: checkovResults, failed_outside_skip_list: findings.length, findings, skip_list_size: skipList.length }, null, 2)}\n`);
    say(`wrote ${relative(ROOT, out)}`);
    if (findings.length) {
      console.error(`[scan] FAILED (${findings.length}):\n${findings.map((f) => `  - ${f.target}: ${f.check_id} ${f.resource}: ${f.check_name}`).join('\n')}`);
      return 1;
    }
    say(`passed: 0 failed checks outside the skip list in ${stacks.length} stacks`);
    return 0;
  }

  let live: TargetSummary | undefined;
  if (existsSync(LIVE_OBJECTS)) live = scan('k8s-live-objects', 'kubernetes', [LIVE_OBJECTS]);
  else problems.push(`${relative(ROOT, LIVE_OBJECTS)} is missing: run npm run e2e:k8s first (it saves the live objects of its deployment)`);

  say('checkov --framework kubernetes: the Kubernetes website\'s WordPress tutorial manifests (baseline)');
  const tutorial = summarize('tutorial', 'kubernetes', checkov(bin, 'kubernetes', TUTORIAL), []).summary;

  const results: Record<string, unknown> = {
    checkov_version: version,
    checkov: checkovResults,
    failed_outside_skip_list: findings.length,
    findings,
    skip_list_size: skipList.length,
    skip_list: skipList,
    tutorial_manifests: TUTORIAL.map((f) => relative(ROOT, f)),
    tutorial_manifests_failed: tutorial.failed_without_skip_list,
    // Both counted the same way: every failed check, skip list ignored.
    stack_manifests_failed: live?.failed_without_skip_list ?? null,
    stack_manifests_are: 'the live objects of the e2e deployment (npm run e2e:k8s), i.e. the synthesized wordpress-k8s stack as deployed, scanned as Kubernetes manifests; both counts ignore the skip list',
    failed_fewer_than_tutorial_by: live ? tutorial.failed_without_skip_list - live.failed_without_skip_list : null,
    containers: { docker: containerFacts('docker', problems), swarm: containerFacts('swarm', problems) },
  };
  mkdirSync(RESULTS, { recursive: true });
  const out = join(RESULTS, 'security.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  say(`wrote ${relative(ROOT, out)}`);

  for (const f of findings) problems.push(`${f.target}: ${f.check_id} ${f.resource}: ${f.check_name}`);
  const by = results.failed_fewer_than_tutorial_by;
  if (typeof by === 'number' && by < FEWER_THAN_TUTORIAL_BY) {
    problems.push(`the deployed stack fails ${live?.failed_without_skip_list} checks, the tutorial ${tutorial.failed_without_skip_list}: fewer by ${by}, expected at least ${FEWER_THAN_TUTORIAL_BY}`);
  }
  if (problems.length) {
    console.error(`[scan] FAILED (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
      `Fix the finding, or add its check id with a one-line reason to ${relative(ROOT, SKIP_LIST_FILE)} if it cannot apply.`);
    return 1;
  }
  say(`passed: 0 failed checks outside the skip list (${skipList.length} entries); ${by} fewer failed checks than the tutorial`);
  return 0;
}

try {
  process.exit(main());
} catch (error) {
  console.error(`[scan] ERROR: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
