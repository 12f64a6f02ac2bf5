import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const RESULTS_DIR = join(ROOT, 'e2e-results');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Appends a timestamped line to stdout and to e2e-results/<log>.log. */
export function log(logName: string, message: string): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const line = `[${new Date().toISOString()}] ${message}`;
  console.log(line);
  appendFileSync(join(RESULTS_DIR, `${logName}.log`), `${line}\n`);
}

/**
 * Runs a command, keeping its whole output in e2e-results/<log>.log.
 * Rejects on a non-zero exit unless `allowFailure` is set; `quiet` keeps the output out of the log
 * (the caller logs what matters of it).
 */
export function run(
  logName: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; allowFailure?: boolean; cwd?: string; quiet?: boolean } = {},
): Promise<RunResult> {
  log(logName, `$ ${command} ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    const file = join(RESULTS_DIR, `${logName}.log`);
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk; if (!options.quiet) appendFileSync(file, chunk); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; if (!options.quiet) appendFileSync(file, chunk); });
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { code: code ?? -1, stdout, stderr };
      if (result.code !== 0 && !options.allowFailure) {
        const tail = (stdout + stderr).split('\n').slice(-40).join('\n');
        reject(new Error(`${command} ${args.join(' ')} exited ${result.code}; see e2e-results/${logName}.log\n${tail}`));
      } else {
        resolve(result);
      }
    });
  });
}

/** Env for the cdktf CLI: no telemetry, CLI home inside the workspace. */
export const CDKTF_ENV = {
  CHECKPOINT_DISABLE: '1',
  DISABLE_VERSION_CHECK: '1',
  CDKTF_HOME: join(ROOT, '.cdktf-home'),
  // Plain output: no spinners or colour codes in the logs we parse.
  CI: 'true',
  FORCE_COLOR: '0',
};

/**
 * Runs the cdktf CLI. Offline, `terraform providers lock` (which cdktf runs on
 * a first init) would ask the registry and fail: --skip-provider-lock leaves the
 * lock file to `terraform init`, which fills it from the mirror.
 */
export function cdktf(logName: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return run(logName, join(ROOT, 'node_modules', '.bin', 'cdktf'), [...args, '--skip-provider-lock'], { env: { ...CDKTF_ENV, ...env } });
}

/** Fails with a clear message when a prerequisite is missing (a failure in CI, never a skip). */
export function need(condition: boolean, what: string, fix: string): asserts condition {
  if (!condition) throw new Error(`missing prerequisite: ${what}. ${fix}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
