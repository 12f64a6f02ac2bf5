#!/usr/bin/env node
// The cdktf app (`app` in cdktf.json): what `cdktf synth` and `cdktf deploy` run to synthesize.
// main.ts is bundled with esbuild together with the packages it uses (cdktf, constructs, the
// provider bindings), so that node loads one file instead of ~460 modules, and the bundle is
// rebuilt only when one of its inputs changed (scripts/lib/bundle.cjs), so that it is never stale
// and the synth starts no esbuild process when nothing changed. Then main.ts runs in this process.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import bundle from './lib/bundle.cjs';
import codeCache from './lib/code-cache.cjs';

const root = join(import.meta.dirname, '..');
const outfile = await bundle.freshBundle(root, join(root, '.build', 'main.js'),
  { entryPoints: ['main.ts'], bundle: true, platform: 'node', logLevel: 'warning' },
  { builders: ['scripts/synth.mjs'] });
codeCache.useCodeCache([outfile], join(root, '.build', 'v8'));
createRequire(import.meta.url)(outfile);
