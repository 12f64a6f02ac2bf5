#!/usr/bin/env node
// `npm run deploy` / `deploy:swarm` / `deploy:k8s` run this before `cdktf deploy <stack>`:
// bundles preflight/main.ts with esbuild (~50 ms, so the checks are never stale) and runs it.
// One line and exit 1 when the machine lacks what the stack needs (preflight/checks.ts).
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outfile = join(root, '.build', 'preflight.js');
// The config's validation module imports `Token` from cdktf for checks the preflight never
// calls: declared free of side effects, the unused import is dropped, and with it the ~0.2 s
// (more on a busy machine) that loading cdktf takes.
const cdktfUnused = { name: 'cdktf-unused', setup: (b) => b.onResolve({ filter: /^cdktf$/ }, () => ({ path: 'cdktf', external: true, sideEffects: false })) };
await build({
  entryPoints: [join(root, 'preflight', 'main.ts')], bundle: true, platform: 'node', packages: 'external',
  logLevel: 'warning', outfile, plugins: [cdktfUnused],
});
const { main } = createRequire(import.meta.url)(outfile);
process.exitCode = await main(process.argv.slice(2), process.env, root);
