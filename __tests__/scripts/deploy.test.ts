import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPTS = join(__dirname, '..', '..', 'scripts');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SYNTHESIZED_KEY, EDITS, DEPLOY_READ } = require('../../scripts/patch-cdktf-cli.cjs') as {
  SYNTHESIZED_KEY: string; DEPLOY_READ: string; EDITS: { original: string; replacement: string }[];
};
/** The patched CLI's deploy, which waits for scripts/deploy.mjs's synth. */
const DEPLOY_READ_AFTER_SYNTH = EDITS.find((edit) => edit.original === DEPLOY_READ)?.replacement ?? '';

interface StandIns {
  /** The stand-in preflight's exit code. */
  readonly preflightCode: number;
  /** The stand-in app (cdktf.json's `app`): its exit code, and how long it runs first. @default 0, 0 */
  readonly synthCode?: number;
  readonly synthMs?: number;
  /** Whether the stand-in CLI is the patched one, which waits for the synth (SYNTHESIZED_KEY). @default false */
  readonly patchedCli?: boolean;
}

/**
 * scripts/deploy.mjs in a folder of its own, with a stand-in preflight, a stand-in app that records
 * the environment it ran with (synth.env), and a stand-in cdktf CLI bin that records its arguments,
 * its environment and whether the app had finished when it started (ran.json).
 */
function deploy({ preflightCode, synthCode = 0, synthMs = 0, patchedCli = false }: StandIns) {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-test-'));
  try {
    mkdirSync(join(dir, 'scripts', 'lib'), { recursive: true });
    for (const file of ['deploy.mjs', 'lib/cdktf-env.cjs', 'lib/app-synth.cjs', 'patch-cdktf-cli.cjs']) copyFileSync(join(SCRIPTS, file), join(dir, 'scripts', file));
    writeFileSync(join(dir, 'scripts', 'preflight.mjs'),
      `export async function preflight(argv) { console.error('preflight ' + argv.join(' ')); return ${preflightCode}; }\n`);
    // A shell command, not a node script: the suite starts enough node processes.
    const app = `sleep ${synthMs / 1000}; env > synth.env; echo 'app says hello' >&2; exit ${synthCode}`;
    writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app, terraformModules: [], context: {} }));
    const bin = join(dir, 'node_modules', 'cdktf-cli', 'bundle', 'bin');
    mkdirSync(bin, { recursive: true });
    mkdirSync(join(bin, 'cmds'));
    writeFileSync(join(bin, 'cmds', 'handlers.js'), patchedCli ? `class Project{${DEPLOY_READ_AFTER_SYNTH}}}` : '');
    // Records its arguments and environment, whether the synth had finished as it started, and
    // (awaiting the promise the patched CLI awaits) once that promise settled.
    writeFileSync(join(bin, 'cdktf'), '#!/usr/bin/env node\nconst { env } = process;\nconst fs = require(\'fs\');\nconst synthesized = fs.existsSync(\'synth.env\');\n'
      + `const record = (more) => fs.writeFileSync(${JSON.stringify(join(dir, 'ran.json'))}, JSON.stringify({ argv: process.argv.slice(1), pid: process.pid, synthesized, `
      + 'env: { WPCDK_STACKS: env.WPCDK_STACKS, CHECKPOINT_DISABLE: env.CHECKPOINT_DISABLE, TF_DISABLE_PLUGIN_TLS: env.TF_DISABLE_PLUGIN_TLS }, ...more }));\n'
      + `const waitFor = globalThis[${JSON.stringify(SYNTHESIZED_KEY)}];\n`
      + 'record({ waits: waitFor !== undefined });\n'
      + 'Promise.resolve(waitFor).then(() => { record({ waits: waitFor !== undefined, synthesizedAfterWait: fs.existsSync(\'synth.env\') }); process.exitCode = 7; });\n');
    const { TF_DISABLE_PLUGIN_TLS: _unset, ...inherited } = process.env;
    const started = Date.now();
    const result = spawnSync('node', [join(dir, 'scripts', 'deploy.mjs'), 'wordpress-docker', '--no-color'], { cwd: dir, encoding: 'utf8', env: inherited });
    const seconds = (Date.now() - started) / 1000;
    const read = (file: string) => (existsSync(join(dir, file)) ? JSON.parse(readFileSync(join(dir, file), 'utf8')) : undefined);
    const ran: { argv: string[]; pid: number; synthesized: boolean; waits: boolean; synthesizedAfterWait?: boolean; env: Record<string, string | undefined> } | undefined = read('ran.json');
    const synthEnv = existsSync(join(dir, 'synth.env'))
      ? Object.fromEntries(readFileSync(join(dir, 'synth.env'), 'utf8').split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]))
      : undefined;
    return { result, seconds, ran, synthEnv, app, bin: join(bin, 'cdktf'), dir };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/deploy.mjs', () => {
  it('synthesizes the stack beside the preflight, then runs cdktf deploy of what it wrote, in the same process, with the options given', () => {
    const { result, ran, synthEnv, bin, dir } = deploy({ preflightCode: 0 });
    expect(result.stderr).toBe('preflight wordpress-docker\napp says hello\n');
    expect(synthEnv).toMatchObject({ PWD: dir, WPCDK_STACKS: 'wordpress-docker', CDKTF_OUTDIR: 'cdktf.out', CDKTF_CONTEXT_JSON: '{"cdktfRelativeModules":[]}' });
    expect(ran?.synthesized).toBe(true);
    expect(ran?.argv).toEqual([bin, 'deploy', 'wordpress-docker', '--auto-approve', '--skip-provider-lock', '--skip-synth', '--no-color']);
    expect(ran?.pid).toBe(result.pid);
    expect(ran?.env).toEqual({ WPCDK_STACKS: 'wordpress-docker', CHECKPOINT_DISABLE: '1', TF_DISABLE_PLUGIN_TLS: '1' });
    expect(result.status).toBe(7); // the CLI's exit code is the command's
  });

  it('with the patched CLI, starts it while the synth runs; the CLI reads nothing before the synth has finished', () => {
    const { result, ran } = deploy({ preflightCode: 0, synthMs: 120, patchedCli: true });
    expect(ran).toMatchObject({ synthesized: false, waits: true, synthesizedAfterWait: true });
    expect(ran?.argv.slice(1)).toEqual(['deploy', 'wordpress-docker', '--auto-approve', '--skip-provider-lock', '--skip-synth', '--no-color']);
    expect(result.status).toBe(7);
  });

  it('with the patched CLI, a failed synth ends the command with exit 1 before the CLI reads anything, and shows what it printed', () => {
    const { result, ran, app } = deploy({ preflightCode: 0, synthCode: 3, patchedCli: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('app says hello\n');
    expect(result.stderr).toContain(`the synth (${app}) failed with exit code 3; nothing was deployed`);
    expect(ran).toMatchObject({ waits: true });
    expect(ran?.synthesizedAfterWait).toBeUndefined(); // the command ended while the CLI waited
  });

  it('stops with the exit code of a failed preflight at once: the synth is stopped and the CLI never starts', () => {
    const { result, ran, synthEnv, seconds } = deploy({ preflightCode: 1, synthMs: 4000 });
    expect(result.status).toBe(1);
    expect(seconds).toBeLessThan(3); // a synth left running would hold the command for its 4 s
    expect(synthEnv).toBeUndefined();
    expect(ran).toBeUndefined();
  });
});
