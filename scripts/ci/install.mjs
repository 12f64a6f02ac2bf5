#!/usr/bin/env node
// The pipeline's install job and .ci/run's first step: `npm ci` unless node_modules was already
// installed from this very package-lock.json (a CI cache restored for the lockfile, or an
// earlier step of the same run); a stamp in node_modules holds the lockfile's sha256.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { patchInstalledCli } from '../patch-cdktf-cli.cjs';

const root = process.argv[2] ?? join(import.meta.dirname, '..', '..');
const lock = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
const stamp = join(root, 'node_modules', '.wpcdk-package-lock.sha256');
if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === lock) {
  console.log(`install: node_modules was installed from this package-lock.json (sha256 ${lock.slice(0, 16)}): kept`);
  // npm ci ran the postinstall patch (scripts/patch-cdktf-cli.cjs); a node_modules cached before it existed did not.
  console.log(`install: ${patchInstalledCli(root)}`);
  process.exit(0);
}
console.log('install: npm ci');
const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, `${lock}\n`);
