#!/usr/bin/env node
// `node scripts/preflight.mjs <stack>`: the checks `npm run deploy` / `deploy:swarm` /
// `deploy:k8s` run (scripts/deploy.mjs) before `cdktf deploy <stack>`. Bundles
// preflight/main.ts with esbuild (so the checks are never stale) and runs it.
// One line and exit 1 when the machine lacks what the stack needs (preflight/checks.ts).
// The bundle is rebuilt only when one of its inputs changed (scripts/lib/bundle.cjs): loading
// esbuild and bundling costs ~0.1 s, a tenth of what the preflight may take.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import bundle from './lib/bundle.cjs';

const root = join(import.meta.dirname, '..');
// The config's validation module imports `Token` from cdktf for checks the preflight never
// calls: declared free of side effects, the unused import is dropped, and with it the ~0.2 s
// (more on a busy machine) that loading cdktf takes.
const cdktfUnused = { name: 'cdktf-unused', setup: (b) => b.onResolve({ filter: /^cdktf$/ }, () => ({ path: 'cdktf', external: true, sideEffects: false })) };

/** The preflight's exit code for `argv` (`[stack]`): 0 when the machine has what the stack needs. */
export async function preflight(argv, env = process.env) {
  const outfile = await bundle.freshBundle(root, join(root, '.build', 'preflight.js'),
    { entryPoints: ['preflight/main.ts'], bundle: true, platform: 'node', packages: 'external', logLevel: 'warning' },
    { plugins: [cdktfUnused], builders: ['scripts/preflight.mjs'] });
  const { main } = createRequire(import.meta.url)(outfile);
  return main(argv, env, root);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await preflight(process.argv.slice(2));
