#!/usr/bin/env node
// `npm run deploy` (deploy:swarm, deploy:k8s): `node scripts/deploy.mjs <stack> [cdktf deploy options]`
// runs the preflight (scripts/preflight.mjs: one line naming what is missing and its fix, exit 1),
// then `cdktf deploy <stack> --auto-approve --skip-provider-lock --skip-synth [options]` with the
// options and environment of scripts/lib/cdktf-env.cjs.
// The synth (scripts/lib/app-synth.cjs) starts first and runs beside the preflight and the CLI's
// own start: the patched CLI waits for it before it reads what the synth wrote (SYNTHESIZED_KEY in
// scripts/patch-cdktf-cli.cjs; an unpatched CLI is started after it). A failed preflight stops the
// synth; a failed synth stops the command before anything is deployed.
// The CLI runs in this node process: its bin is required once the checks pass, with the
// arguments it would have had on its command line. One node start fewer than
// `node scripts/preflight.mjs <stack> && cdktf deploy <stack> ...`, which it replaces.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import appSynth from './lib/app-synth.cjs';
import cdktf from './lib/cdktf-env.cjs';
import patch from './patch-cdktf-cli.cjs';
import { preflight } from './preflight.mjs';

const [stack, ...options] = process.argv.slice(2);
const env = stack === undefined ? process.env : { ...process.env, ...cdktf.cdktfEnv(stack) };
const synth = stack === undefined ? undefined : appSynth.startSynth(process.cwd(), env);
const code = await preflight(stack === undefined ? [] : [stack]);
if (code !== 0) {
  synth?.stop();
  process.exitCode = code;
} else {
  const bin = join(import.meta.dirname, '..', 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf');
  // What the synth printed is shown; a failed synth ends the command (the CLI has read nothing yet).
  const synthesized = synth?.done.then((result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    if (result.code !== 0) {
      console.error(`cdktf deploy ${stack}: the synth (${synth.command}) failed with exit code ${result.code}; nothing was deployed`);
      process.exit(1);
    }
  });
  if (synthesized && patch.waitsForSynth(dirname(bin))) globalThis[patch.SYNTHESIZED_KEY] = synthesized;
  else await synthesized;
  Object.assign(process.env, cdktf.cdktfEnv(stack));
  process.argv = [process.argv[0], bin, 'deploy', stack, ...cdktf.CLI_OPTIONS, ...(synth ? ['--skip-synth'] : []), ...options];
  createRequire(import.meta.url)(bin);
}
