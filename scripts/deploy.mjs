#!/usr/bin/env node
// `npm run deploy` (deploy:swarm, deploy:k8s): `node scripts/deploy.mjs <stack> [cdktf deploy options]`
// runs the preflight (scripts/preflight.mjs: one line naming what is missing and its fix, exit 1),
// then `cdktf deploy <stack> --auto-approve --skip-provider-lock [options]` with the options and
// environment of scripts/lib/cdktf-env.cjs.
// The synth starts first, beside the preflight (scripts/lib/app-synth.cjs), and the CLI deploys
// what it wrote (`--skip-synth`); a failed preflight stops it, a failed synth stops the command.
// The CLI runs in this node process: its bin is required once the checks pass, with the
// arguments it would have had on its command line. One node start fewer than
// `node scripts/preflight.mjs <stack> && cdktf deploy <stack> ...`, which it replaces.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import appSynth from './lib/app-synth.cjs';
import cdktf from './lib/cdktf-env.cjs';
import { preflight } from './preflight.mjs';

const [stack, ...options] = process.argv.slice(2);
const env = stack === undefined ? process.env : { ...process.env, ...cdktf.cdktfEnv(stack) };
const synth = stack === undefined ? undefined : appSynth.startSynth(process.cwd(), env);
const code = await preflight(stack === undefined ? [] : [stack]);
if (code !== 0) {
  synth?.stop();
  process.exitCode = code;
} else {
  const synthesized = await synth?.done;
  process.stdout.write(synthesized?.stdout ?? '');
  process.stderr.write(synthesized?.stderr ?? '');
  if (synthesized && synthesized.code !== 0) {
    console.error(`cdktf deploy ${stack}: the synth (${synth.command}) failed with exit code ${synthesized.code}; nothing was deployed`);
    process.exitCode = 1;
  } else {
    Object.assign(process.env, cdktf.cdktfEnv(stack));
    const bin = join(import.meta.dirname, '..', 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf');
    process.argv = [process.argv[0], bin, 'deploy', stack, ...cdktf.CLI_OPTIONS, ...(synth ? ['--skip-synth'] : []), ...options];
    createRequire(import.meta.url)(bin);
  }
}
