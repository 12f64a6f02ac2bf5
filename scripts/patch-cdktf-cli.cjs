#!/usr/bin/env node
// postinstall: makes the cdktf CLI (cdktf-cli 0.21.0) load its `cdktf convert` / `cdktf get`
// machinery only when a command uses it. Its bundle requires @cdktf/hcl2cdk (which loads
// @cdktf/provider-generator, jsii-rosetta, a TypeScript compiler, prettier and babel),
// @cdktf/hcl2json and @cdktf/hcl-tools (each starts a Go WebAssembly runtime from a gzipped
// module) on every command: ~1.5 s of CPU before `cdktf synth` or `cdktf deploy` does anything,
// on this 2-core machine, for code neither command runs (hcl-tools formats `synth --hcl`).
// Each of those five `require(...)` becomes an object that requires the module on its first
// property read; the version checks spawn no `node --version` or `terraform -v`; and the bundle
// turns V8's asm.js validation off (see EDITS). `terraform init`,
// which the CLI runs before every deploy, diff and destroy, is skipped when nothing it reads
// changed since the last one that succeeded (scripts/cdktf-cli/init-stamp.cjs, copied next to the
// bundle as INIT_STAMP_FILE). The `cdktf` bin has the bundle's large files compiled with a V8 code
// cache (scripts/lib/code-cache.cjs, copied next to it as CODE_CACHE_FILE; see BIN_START).
// `cdktf deploy --skip-synth` waits for the synth scripts/deploy.mjs runs beside it, when there is
// one (SYNTHESIZED_KEY). Nothing else changes.
//
// Why a string replacement and not patch-package: the bundle is minified, the lines holding
// these requires are 4-20 KB long, and a diff of them would be unreadable. The replacement is
// exact (each original text must occur once), idempotent, and refuses another CLI version.
// CommonJS, so that the unit test and scripts/ci/install.mjs load it in-process.
const { copyFileSync, readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');

const CLI_VERSION = '0.21.0';
/** The modules loaded only when used, and the original text of each place that requires them. */
const LAZY_REQUIRES = [
  { module: '@cdktf/hcl2cdk', original: 'AMe=ge(require("@cdktf/hcl2cdk"))' },
  { module: '@cdktf/hcl2cdk', original: 'xet=require("@cdktf/hcl2cdk")' },
  { module: '@cdktf/hcl2cdk', original: 'IE=require("@cdktf/hcl2cdk")' },
  { module: '@cdktf/hcl2json', original: 'CTe=require("@cdktf/hcl2json")' },
  { module: '@cdktf/hcl-tools', original: 'VMe=require("@cdktf/hcl-tools")' },
];

/** The replacement of `name=require("m")`: every property read requires `m` (cached by Node). */
const lazyText = (original, module) => `${original.split('=')[0]}=new Proxy({},{get:(_,k)=>require(${JSON.stringify(module)})[k]})`;

/** The bundle's first statement, where the asm.js switch goes (before ink loads yoga). */
const BUNDLE_START = '"use strict";var Utt=Object.create;';

/** The init skip's module, copied next to the bundle (cmds/) under this name. */
const INIT_STAMP_SOURCE = join(__dirname, 'cdktf-cli', 'init-stamp.cjs');
const INIT_STAMP_FILE = 'cdktf-init-stamp.cjs';

/**
 * The end of `initalizeTerraform` (every command that runs Terraform in a stack folder): the
 * init runs only when its key (the options, what init reads and writes) is not the one recorded
 * after the last successful init, and records the new key after it succeeds.
 */
const INIT_CALL = 'return await i.init({needsUpgrade:s,noColor:e??!1,needsLockfileUpdate:a,migrateState:n??!1}),i}';
const INIT_SKIP = 'let wpcdkO={needsUpgrade:s,noColor:e??!1,needsLockfileUpdate:a,migrateState:n??!1},'
  + `wpcdkS=require("./${INIT_STAMP_FILE}"),wpcdkD=this.stack.workingDirectory;`
  + 'if(wpcdkS.initFresh(wpcdkD,wpcdkS.initKey(wpcdkD,wpcdkO)))return i;'
  + 'return await i.init(wpcdkO),wpcdkS.recordInit(wpcdkD,wpcdkS.initKey(wpcdkD,wpcdkO)),i}';

/** The bundle's files (under bundle/bin): the command handlers, the front end that loads them, and the `cdktf` bin that loads the front end. */
const HANDLERS = 'cmds/handlers.js';
const FRONT = 'cdktf.js';
const BIN = 'cdktf';

/** The code cache's module (scripts/lib/code-cache.cjs), copied next to the bin under this name. */
const CODE_CACHE_SOURCE = join(__dirname, 'lib', 'code-cache.cjs');
const CODE_CACHE_FILE = 'cdktf-code-cache.cjs';

/**
 * The bin's one statement. Before it, the bin now sets the V8 flag (see EDITS: before any of the
 * bundle is compiled, so that a code cache is made and used under the same flags; V8 rejects one
 * made under others) and has the three large files it loads (4.6 MB of the CLI's bundle and yoga's
 * 0.6 MB) compiled with a V8 code cache (scripts/lib/code-cache.cjs), kept in
 * node_modules/.cache/wordpress-cdktf/v8: ~0.2 s of every command's start here. Any failure there
 * leaves the CLI loading as before.
 */
const BIN_CALL = 'require("./cdktf.js");';
const BIN_START = 'require("v8").setFlagsFromString("--no-validate-asm");'
  + `try{const p=require("path");require("./${CODE_CACHE_FILE}").useCodeCache([p.join(__dirname,"cdktf.js"),p.join(__dirname,"cmds","handlers.js"),`
  + 'require.resolve("yoga-layout-prebuilt/yoga-layout/build/Release/nbind.js")],p.join(__dirname,"..","..","..",".cache","wordpress-cdktf","v8"))}catch{}';

/** `CONTEXT_ENV` of the cdktf library (app.js, which loads all of it); the unit test checks it against the installed one. */
const CDKTF_CONTEXT_ENV = 'CDKTF_CONTEXT_JSON';

/**
 * The CLI reads four things of the cdktf library: `Manifest` (a file and a folder name),
 * `AnnotationMetadataEntryType` (an enum) and `CONTEXT_ENV` (an env name). Each place took them from
 * `require("cdktf")`, which loads the whole library (~380 files, 0.3-0.4 s of CPU here) on every
 * command; now from the module that defines them.
 */
const CDKTF_REQUIRES = [
  { file: FRONT, original: 'bO=require("cdktf")', replacement: 'bO=require("cdktf/lib/manifest")' },
  { file: HANDLERS, original: 'RRe=require("cdktf")', replacement: 'RRe=require("cdktf/lib/manifest")' },
  { file: HANDLERS, original: 'z9=require("cdktf")', replacement: `z9={Manifest:require("cdktf/lib/manifest").Manifest,CONTEXT_ENV:${JSON.stringify(CDKTF_CONTEXT_ENV)}}` },
  { file: HANDLERS, original: 'lE=require("cdktf")', replacement: 'lE=require("cdktf/lib/annotations")' },
];

/**
 * The front end and the handlers are two bundles, each with its own copy of the module that runs
 * `terraform version -json` as it loads: two processes, and a deploy awaits the second one's
 * before it synthesizes. The first one's output (a promise, on globalThis under this key) now
 * serves both.
 */
const TERRAFORM_VERSION_KEY = 'wpcdkTerraformVersionJson';
const TERRAFORM_VERSION_RUNS = [
  { file: FRONT, name: 'pv', run: 'vt(XO,["version","-json"],{})' },
  { file: HANDLERS, name: 'Gte', run: 'Ep(jRe,["version","-json"],{})' },
];

/**
 * The checks every deploy, diff and destroy awaits, one after the other, before it synthesizes:
 * the Node.js version from a `node --version` process (the CLI's own `process.version` is that
 * node's), and the Terraform version from a `terraform -v` process, while the result of
 * `terraform version -json` (the promise `Gte`, started when its module loads) is already on its
 * way. Same checks, same messages; two processes fewer on the way to the synth.
 */
const VERSION_CHECKS = [
  { file: HANDLERS, original: 'async function unr(){let t=await(0,Na.getNodeVersion)();', replacement: 'async function unr(){let t=process.version;' },
  { file: HANDLERS, original: 'let t=await xle();if(t!==null&&t&&dM.lt(t,Cze))', replacement: 'let t=await(kte(),Gte).then(v=>typeof v=="string"?v:null);if(t!==null&&t&&dM.lt(t,Cze))' },
  ...TERRAFORM_VERSION_RUNS.map(({ file, name, run }) => ({
    file, original: `${name}=${run}.then(`, replacement: `${name}=(globalThis[${JSON.stringify(TERRAFORM_VERSION_KEY)}]??=${run}).then(`,
  })),
];

/**
 * `cdktf deploy --skip-synth` reads what the output folder holds as it starts deploying.
 * scripts/deploy.mjs starts the synth itself as the command starts and requires the CLI while the
 * synth runs: the CLI then waits for it, a promise on globalThis under this key, before it reads
 * the synthesized stacks. Without the promise (a plain `cdktf deploy --skip-synth`) nothing waits.
 */
const SYNTHESIZED_KEY = 'wpcdkSynthesized';
const DEPLOY_READ = 'async deploy(e={}){let r=e.skipSynth?await this.readSynthesizedStacks():';
const DEPLOY_READ_AFTER_SYNTH = `async deploy(e={}){let r=e.skipSynth?(await globalThis[${JSON.stringify(SYNTHESIZED_KEY)}],await this.readSynthesizedStacks()):`;

/** Whether the CLI's handlers under `bin` (bundle/bin) wait for scripts/deploy.mjs's synth (see SYNTHESIZED_KEY). */
function waitsForSynth(bin) {
  return (readOr(join(bin, HANDLERS)) ?? '').includes(DEPLOY_READ_AFTER_SYNTH);
}

/**
 * Every edit (in HANDLERS unless it names its file): the lazy requires, the cdktf library parts,
 * the version checks, the init skip, and one V8 flag. The terminal UI (ink) lays out with yoga, an
 * asm.js build that V8 validates and compiles ahead of time on load (~0.2-0.3 s of CPU here);
 * `--no-validate-asm` runs it as the plain JavaScript it also is, for the few layouts a command
 * makes.
 */
const EDITS = [
  ...LAZY_REQUIRES.map(({ original, module }) => ({ file: HANDLERS, original, replacement: lazyText(original, module) })),
  ...CDKTF_REQUIRES,
  ...VERSION_CHECKS,
  { file: HANDLERS, original: INIT_CALL, replacement: INIT_SKIP },
  { file: HANDLERS, original: DEPLOY_READ, replacement: DEPLOY_READ_AFTER_SYNTH },
  { file: BIN, original: BIN_CALL, replacement: BIN_START + BIN_CALL },
  { file: HANDLERS, original: BUNDLE_START, replacement: BUNDLE_START.replace('"use strict";', '"use strict";require("v8").setFlagsFromString("--no-validate-asm");') },
];

/**
 * The patched bundle text; `state` says whether it was patched now or already. An edit already
 * made (its replacement occurs once) is kept; throws when an edit's original does not occur
 * exactly once either (another CLI build), changing nothing.
 */
function patchBundle(text, file = HANDLERS) {
  const count = (needle) => text.split(needle).length - 1;
  const todo = EDITS.filter((edit) => edit.file === file && count(edit.replacement) !== 1);
  if (todo.length === 0) return { text, state: 'already patched' };
  const missing = todo.filter(({ original }) => count(original) !== 1).map(({ original }) => original);
  if (missing.length) throw new Error(`the cdktf CLI bundle's ${file} does not hold ${missing.map((m) => JSON.stringify(m)).join(', ')} exactly once: it is not the build of cdktf-cli ${CLI_VERSION} this patch is for`);
  let patched = text;
  for (const { original, replacement } of todo) patched = patched.replace(original, replacement);
  return { text: patched, state: 'patched' };
}

const readOr = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** Patches the installed CLI under `root`; returns one line saying what happened. */
function patchInstalledCli(root) {
  let pkg;
  try {
    pkg = createRequire(join(root, 'package.json')).resolve('cdktf-cli/package.json');
  } catch {
    return 'cdktf-cli is not installed: nothing to patch';
  }
  const { version } = JSON.parse(readFileSync(pkg, 'utf8'));
  if (version !== CLI_VERSION) throw new Error(`cdktf-cli ${version} is installed; this patch is for ${CLI_VERSION} (update or remove scripts/patch-cdktf-cli.cjs)`);
  const bin = join(dirname(pkg), 'bundle', 'bin');
  // Every file checked before any is written: another build changes nothing.
  const results = [HANDLERS, FRONT, BIN].map((file) => ({ path: join(bin, file), ...patchBundle(readFileSync(join(bin, file), 'utf8'), file) }));
  // The modules first: a patched bundle requires them.
  for (const [source, copy] of [[INIT_STAMP_SOURCE, join(bin, dirname(HANDLERS), INIT_STAMP_FILE)], [CODE_CACHE_SOURCE, join(bin, CODE_CACHE_FILE)]]) {
    if (readOr(copy) !== readFileSync(source, 'utf8')) copyFileSync(source, copy);
  }
  for (const { path, text, state } of results) if (state === 'patched') writeFileSync(path, text);
  const state = results.some((r) => r.state === 'patched') ? 'patched' : 'already patched';
  return `cdktf-cli ${version}: ${state} (convert/get modules load on first use, the cdktf library is not loaded; yoga runs without asm.js validation; terraform init only when its inputs changed; deploy --skip-synth waits for scripts/deploy.mjs's synth; the version checks start no process, and one terraform version process serves both bundles; its large files load with a V8 code cache)`;
}

/**
 * The postinstall: patches the CLI under `root` and prints one line. The CLI works unpatched (only
 * slower), so a failure is a warning and never fails the install; the unit test
 * __tests__/scripts/patch-cdktf-cli.test.ts checks the installed CLI, so CI notices.
 */
function main(root, out = console) {
  try {
    out.log(`patch-cdktf-cli: ${patchInstalledCli(root)}`);
  } catch (error) {
    out.error(`patch-cdktf-cli: not patched: ${error.message}`);
  }
}

module.exports = {
  CLI_VERSION, LAZY_REQUIRES, CDKTF_REQUIRES, VERSION_CHECKS, CDKTF_CONTEXT_ENV, INIT_CALL, INIT_STAMP_FILE, BIN_CALL, CODE_CACHE_FILE,
  SYNTHESIZED_KEY, DEPLOY_READ, EDITS, lazyText, patchBundle, patchInstalledCli, waitsForSynth, main,
};

if (require.main === module) main(process.argv[2] ?? join(__dirname, '..'));
