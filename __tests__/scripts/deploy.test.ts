import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPTS = join(__dirname, '..', '..', 'scripts');

/**
 * scripts/deploy.mjs in a folder of its own, with a stand-in preflight that returns `preflightCode`
 * and a stand-in cdktf CLI bin that records the arguments and environment it ran with.
 */
function deploy(preflightCode: number) {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-test-'));
  try {
    mkdirSync(join(dir, 'scripts', 'lib'), { recursive: true });
    copyFileSync(join(SCRIPTS, 'deploy.mjs'), join(dir, 'scripts', 'deploy.mjs'));
    copyFileSync(join(SCRIPTS, 'lib', 'cdktf-env.cjs'), join(dir, 'scripts', 'lib', 'cdktf-env.cjs'));
    writeFileSync(join(dir, 'scripts', 'preflight.mjs'),
      `export async function preflight(argv) { console.error('preflight ' + argv.join(' ')); return ${preflightCode}; }\n`);
    const bin = join(dir, 'node_modules', 'cdktf-cli', 'bundle', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'cdktf'), '#!/usr/bin/env node\nconst { env } = process;\n'
      + `require('fs').writeFileSync(${JSON.stringify(join(dir, 'ran.json'))}, JSON.stringify({ argv: process.argv.slice(1), pid: process.pid, `
      + 'env: { WPCDK_STACKS: env.WPCDK_STACKS, CHECKPOINT_DISABLE: env.CHECKPOINT_DISABLE, TF_DISABLE_PLUGIN_TLS: env.TF_DISABLE_PLUGIN_TLS } }));\n'
      + 'process.exitCode = 7;\n');
    const { TF_DISABLE_PLUGIN_TLS: _unset, ...inherited } = process.env;
    const result = spawnSync('node', [join(dir, 'scripts', 'deploy.mjs'), 'wordpress-docker', '--no-color'], { encoding: 'utf8', env: inherited });
    let ran: { argv: string[]; pid: number; env: Record<string, string | undefined> } | undefined;
    try {
      ran = JSON.parse(readFileSync(join(dir, 'ran.json'), 'utf8'));
    } catch {
      ran = undefined;
    }
    return { result, ran, bin: join(bin, 'cdktf') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/deploy.mjs', () => {
  it('runs the preflight of the stack, then cdktf deploy of it in the same process with the options given and the cdktf environment', () => {
    const { result, ran, bin } = deploy(0);
    expect(result.stderr).toBe('preflight wordpress-docker\n');
    expect(ran?.argv).toEqual([bin, 'deploy', 'wordpress-docker', '--auto-approve', '--skip-provider-lock', '--no-color']);
    expect(ran?.pid).toBe(result.pid);
    expect(ran?.env).toEqual({ WPCDK_STACKS: 'wordpress-docker', CHECKPOINT_DISABLE: '1', TF_DISABLE_PLUGIN_TLS: '1' });
    expect(result.status).toBe(7); // the CLI's exit code is the command's
  });

  it('stops with the exit code of a failed preflight and never starts the CLI', () => {
    const { result, ran } = deploy(1);
    expect(result.status).toBe(1);
    expect(ran).toBeUndefined();
  });
});
