#!/usr/bin/env node
// `npm run deploy` / `deploy:swarm` / `deploy:k8s` run this before `cdktf deploy <stack>`:
// bundles preflight/main.ts with esbuild (so the checks are never stale) and runs it.
// One line and exit 1 when the machine lacks what the stack needs (preflight/checks.ts).
// The bundle is rebuilt only when one of its source files changed (their sha256 are kept next
// to it): loading esbuild and bundling costs ~0.1 s, a tenth of what the preflight may take.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outfile = join(root, '.build', 'preflight.js');
const inputsFile = `${outfile}.inputs.json`;
const sha256 = (file) => createHash('sha256').update(readFileSync(join(root, file))).digest('hex');

function upToDate() {
  try {
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
    readFileSync(outfile);
    return Object.keys(inputs).length > 0 && Object.entries(inputs).every(([file, hash]) => sha256(file) === hash);
  } catch {
    return false; // no bundle yet, or a source file gone
  }
}

if (!upToDate()) {
  const { build } = await import('esbuild');
  // The config's validation module imports `Token` from cdktf for checks the preflight never
  // calls: declared free of side effects, the unused import is dropped, and with it the ~0.2 s
  // (more on a busy machine) that loading cdktf takes.
  const cdktfUnused = { name: 'cdktf-unused', setup: (b) => b.onResolve({ filter: /^cdktf$/ }, () => ({ path: 'cdktf', external: true, sideEffects: false })) };
  const { metafile } = await build({
    entryPoints: [join(root, 'preflight', 'main.ts')], bundle: true, platform: 'node', packages: 'external',
    logLevel: 'warning', outfile, plugins: [cdktfUnused], metafile: true, absWorkingDir: root,
  });
  writeFileSync(inputsFile, `${JSON.stringify(Object.fromEntries(Object.keys(metafile.inputs).map((file) => [file, sha256(file)])), null, 1)}\n`);
}
const { main } = createRequire(import.meta.url)(outfile);
process.exitCode = await main(process.argv.slice(2), process.env, root);
