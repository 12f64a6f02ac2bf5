#!/usr/bin/env node
// `npm run destroy` (and destroy:swarm, destroy:k8s): `cdktf destroy <stack> --auto-approve --skip-provider-lock [args]`
// with the options and environment of scripts/lib/cdktf-env.cjs.
// When Terraform refuses because the stack's data is protected (prevent_destroy), the cdktf CLI
// prints only "Invoking Terraform CLI failed": this says why, and how to go on, in one line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import cdktf from './lib/cdktf-env.cjs';

const [stack, ...args] = process.argv.slice(2);
if (!stack) {
  console.error('usage: node scripts/destroy.mjs <stack> [cdktf destroy options]');
  process.exit(2);
}
const result = spawnSync('cdktf', ['destroy', stack, ...cdktf.CLI_OPTIONS, ...args], {
  stdio: 'inherit', env: { ...process.env, ...cdktf.cdktfEnv(stack) },
});
if (result.status === 0) process.exit(0);

const file = join('cdktf.out', 'stacks', stack, 'cdk.tf.json');
const config = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
const protectedData = Object.entries(config.resource ?? {}).flatMap(([type, resources]) =>
  Object.entries(resources).filter(([, r]) => r.lifecycle?.prevent_destroy === true).map(([name]) => `${type}.${name}`));
if (protectedData.length > 0) {
  console.error(`error: ${stack} was not destroyed and nothing changed: data protection is on (WPCDK_PROTECT_DATA, default true) `
    + `for what holds the site's data (${protectedData.join(', ')}). `
    + `To delete the site with its data: npm run backup -- ${stack} (to keep a copy), then run this command again with WPCDK_PROTECT_DATA=false.`);
}
process.exit(result.status ?? 1);
