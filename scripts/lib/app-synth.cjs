// The synth of `npm run deploy`, started by scripts/deploy.mjs as the command starts, beside the
// preflight and the cdktf CLI's own start, which then deploys with `--skip-synth`. (On Windows,
// where a process group cannot be signalled this way, `stop` leaves a running synth to finish.) The CLI would
// otherwise start the app only after it has loaded and asked Terraform its version (~0.35 s here),
// and the app then takes ~0.2 s: that much of every deploy waited for nothing (README "Speed").
// The app runs as the CLI (0.21) runs it: cdktf.json's `app` through a shell, in the current folder,
// with the CLI's environment for it (`npm run e2e:preflight` compares it with what the real CLI
// gives an app: deploy_synth_env_differences). A project with Terraform modules to vendor (whose paths
// the CLI passes to the app) or context in cdktf.json is left to the CLI's own synth.
// CommonJS, so that the unit test loads it in-process.
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const MAX_OLD_SPACE = '--max-old-space-size';

/** cdktf.json's app command and output folder; undefined when the CLI has to synthesize itself. */
function appOf(dir) {
  const config = JSON.parse(readFileSync(join(dir, 'cdktf.json'), 'utf8'));
  if ((config.terraformModules ?? []).length > 0 || Object.keys(config.context ?? {}).length > 0) return undefined;
  if (typeof config.app !== 'string' || config.app === '') return undefined;
  return { command: config.app, outdir: config.output ?? 'cdktf.out' };
}

/** The environment the cdktf CLI gives the app, from the one it runs in. */
function appEnv(env, outdir) {
  const kept = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('TF_VAR_')));
  const context = env.CDKTF_CONTEXT_JSON ? JSON.parse(env.CDKTF_CONTEXT_JSON) : {};
  return {
    ...kept,
    NODE_ENV: env.NODE_ENV || 'production',
    // The CLI adds a heap limit only when NODE_OPTIONS is unset or empty (else it warns and keeps it).
    NODE_OPTIONS: env.NODE_OPTIONS || `${MAX_OLD_SPACE}=4096`,
    CDKTF_OUTDIR: outdir,
    CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true',
    CDKTF_CONTEXT_JSON: JSON.stringify({ ...context, cdktfRelativeModules: [] }),
    SYNTH_HCL_OUTPUT: 'false',
  };
}

/**
 * Starts the app of the project in `dir` with `env`. Returns undefined when the CLI has to
 * synthesize itself; else `done` (resolves with the exit code, or null when it was stopped, and
 * its output) and `stop`.
 */
function startSynth(dir, env) {
  const app = appOf(dir);
  if (!app) return undefined;
  // A process group of its own, so that `stop` reaches the app and not only the shell that started it.
  const child = spawn(app.command, { shell: true, detached: true, cwd: dir, env: appEnv(env, app.outdir), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr']) {
    child[stream].setEncoding('utf8');
    child[stream].on('data', (text) => { output[stream] += text; });
  }
  const done = new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: 1, stdout: '', stderr: String(error) }));
    child.on('close', (code) => resolve({ code, ...output }));
  });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  return { command: app.command, done, stop };
}

module.exports = { appEnv, appOf, startSynth };
