import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main, CDKTF_CONTEXT_ENV, CODE_CACHE_FILE, SYNTHESIZED_KEY, waitsForSynth } = require('../../scripts/patch-cdktf-cli.cjs') as {
  main: (root: string, out: Pick<Console, 'log' | 'error'>) => void; CDKTF_CONTEXT_ENV: string; CODE_CACHE_FILE: string;
  SYNTHESIZED_KEY: string; waitsForSynth: (bin: string) => boolean;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const initStamp = require('../../scripts/cdktf-cli/init-stamp.cjs') as unknown;

const ROOT = join(__dirname, '..', '..');
// The bundle's first statement (where the asm.js switch goes), and the five places of cdktf-cli
// 0.21.0's bundle that load the convert/get modules on every command.
const START = '"use strict";var Utt=Object.create;';
const ORIGINALS = [
  'AMe=ge(require("@cdktf/hcl2cdk"))', 'xet=require("@cdktf/hcl2cdk")', 'IE=require("@cdktf/hcl2cdk")',
  'CTe=require("@cdktf/hcl2json")', 'VMe=require("@cdktf/hcl-tools")',
];
// The places that load the whole cdktf library for a few names: three in the handlers, one in the front end.
const CDKTF_IN_HANDLERS = ['RRe=require("cdktf")', 'z9=require("cdktf")', 'lE=require("cdktf")'];
const CDKTF_IN_FRONT = 'bO=require("cdktf")';
// `terraform version -json` as each bundle runs it when it loads, with a stand-in that counts the runs.
const VERSION_RUN = (bundle: string, name: string, exec: string, binary: string) => `var ${exec}=(b,a)=>{(globalThis.wpcdkTestRuns??=[]).push([${JSON.stringify(bundle)},b,...a]);`
  + `return Promise.resolve('{"terraform_version":"1.11.4"}')},${binary}="terraform";${name}=${exec}(${binary},["version","-json"],{}).then(t=>JSON.parse(t).terraform_version);`;
const FRONT = `var ${CDKTF_IN_FRONT},pv;${VERSION_RUN('front', 'pv', 'vt', 'XO')}module.exports={bO,pv};`;
// The end of the stack executor's initalizeTerraform (every command that runs Terraform), in a stand-in class.
const INIT_CALL = 'return await i.init({needsUpgrade:s,noColor:e??!1,needsLockfileUpdate:a,migrateState:n??!1}),i}';
const EXECUTOR = 'class Executor{constructor(client,workdir){this.client=client;this.stack={workingDirectory:workdir}}'
  + `async initalizeTerraform(e,r,n){let i=this.client,a=!1,s=!1;${INIT_CALL}}`;
// The Node.js and Terraform version checks every deploy awaits (unr, BD), in stand-ins whose version
// processes (`node --version`, `terraform -v`) throw; `Gte` is the `terraform version -json` promise
// (the real one resolves to the version, or to an Error object when it failed).
const NODE_CHECK = 'async function unr(){let t=await(0,Na.getNodeVersion)();Sle("Node.js","20.9.0",t)}';
const TERRAFORM_CHECK = 'let t=await xle();if(t!==null&&t&&dM.lt(t,Cze))';
const VERSION_CHECKS = 'var checked=[],warned=[],Gte,kte=()=>{},Cze="1.2.0",dM={lt:(a,b)=>a.localeCompare(b,"en",{numeric:true})<0},'
  + 'Na={getNodeVersion:async()=>{throw new Error("spawned node --version")}},xle=async()=>{throw new Error("spawned terraform -v")},'
  + 'Sle=(name,min,v)=>checked.push([name,v]),setTerraform=(v)=>{Gte=Promise.resolve(v)},'
  + `BD=async()=>{${TERRAFORM_CHECK}{warned.push(t)}return t};${NODE_CHECK}`;
// The `cdktf` bin of the package, as published.
const BIN = '#!/usr/bin/env node\nrequire("./cdktf.js");\n';
// The start of `cdktf deploy` (the project's deploy: the stacks synthesized, or read with --skip-synth), in a stand-in class that records what it did.
const DEPLOY_READ = 'async deploy(e={}){let r=e.skipSynth?await this.readSynthesizedStacks():';
const PROJECT = 'class Project{constructor(){this.did=[]}async readSynthesizedStacks(){this.did.push("read");return[]}async synth(){this.did.push("synth");return[]}'
  + `${DEPLOY_READ}await this.synth(e.noColor);return r}}`;
const BUNDLE = `${START}const ge=(m)=>m;var ${[...ORIGINALS, ...CDKTF_IN_HANDLERS].join(',')};${EXECUTOR}${PROJECT}${VERSION_CHECKS}${VERSION_RUN('handlers', 'Gte', 'Ep', 'jRe')}`
  + 'module.exports={AMe,xet,IE,CTe,VMe,RRe,z9,lE,Executor,Project,unr,BD,checked,warned,setTerraform,Gte};';

/** A project folder whose node_modules holds a stand-in cdktf-cli with the given bundle text. */
function fakeInstall(version: string, bundle: string, front = FRONT) {
  const dir = mkdtempSync(join(tmpdir(), 'patch-cli-test-'));
  const cli = join(dir, 'node_modules', 'cdktf-cli');
  mkdirSync(join(cli, 'bundle', 'bin', 'cmds'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{}');
  writeFileSync(join(cli, 'package.json'), JSON.stringify({ name: 'cdktf-cli', version }));
  writeFileSync(join(cli, 'bundle', 'bin', 'cmds', 'handlers.js'), bundle);
  writeFileSync(join(cli, 'bundle', 'bin', 'cdktf.js'), front);
  writeFileSync(join(cli, 'bundle', 'bin', 'cdktf'), BIN);
  return { dir, handlers: join(cli, 'bundle', 'bin', 'cmds', 'handlers.js'), front: join(cli, 'bundle', 'bin', 'cdktf.js'), bin: join(cli, 'bundle', 'bin', 'cdktf') };
}

/** What the postinstall prints for a project folder. */
function patch(dir: string) {
  const lines = { log: [] as string[], error: [] as string[] };
  main(dir, { log: (line: string) => lines.log.push(line), error: (line: string) => lines.error.push(line) });
  return lines;
}

describe('scripts/patch-cdktf-cli.cjs', () => {
  const dirs: string[] = [];
  const install = (version: string, bundle: string, front?: string) => {
    const made = fakeInstall(version, bundle, front);
    dirs.push(made.dir);
    return made;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('replaces each eager require with one that loads the module on first use, once', () => {
    const { dir, handlers } = install('0.21.0', BUNDLE);
    expect(patch(dir)).toEqual({ log: [expect.stringContaining('cdktf-cli 0.21.0: patched')], error: [] });
    const patched = readFileSync(handlers, 'utf8');
    for (const original of ORIGINALS) expect(patched).not.toContain(original);
    // Loading the bundle sets the V8 flag and loads none of the modules; reading a property loads that one.
    const loads: string[] = [];
    const flags: string[] = [];
    const require = (m: string) => {
      loads.push(m);
      return { convert: () => `converted ${m}`, setFlagsFromString: (flag: string) => flags.push(flag) };
    };
    const exports = new Function('module', 'require', `${patched}return module.exports;`)({ exports: {} }, require) as Record<string, { convert: () => string }>;
    const lazyLoads = () => loads.filter((m) => !m.startsWith('cdktf/lib/'));
    expect(lazyLoads()).toEqual(['v8']);
    expect(flags).toEqual(['--no-validate-asm']);
    expect(exports.xet.convert()).toBe('converted @cdktf/hcl2cdk');
    expect(exports.VMe.convert()).toBe('converted @cdktf/hcl-tools');
    expect(lazyLoads()).toEqual(['v8', '@cdktf/hcl2cdk', '@cdktf/hcl-tools']);
    expect(patch(dir).log).toEqual([expect.stringContaining('already patched')]);
    expect(readFileSync(handlers, 'utf8')).toBe(patched);
  });

  it('runs terraform init only when what it reads changed since the last one that succeeded', async () => {
    const { dir, handlers } = install('0.21.0', BUNDLE);
    patch(dir);
    const patched = readFileSync(handlers, 'utf8');
    expect(patched).not.toContain(INIT_CALL);
    // The module the patched bundle requires is the project's, copied next to it.
    expect(readFileSync(join(handlers, '..', 'cdktf-init-stamp.cjs'), 'utf8')).toBe(readFileSync(join(ROOT, 'scripts', 'cdktf-cli', 'init-stamp.cjs'), 'utf8'));
    const require = (m: string) => (m === './cdktf-init-stamp.cjs' ? initStamp : { setFlagsFromString: () => undefined });
    const { Executor } = new Function('module', 'require', `${patched}return module.exports;`)({ exports: {} }, require) as {
      Executor: new (client: unknown, workdir: string) => { initalizeTerraform: (noColor?: boolean, skipLock?: boolean, migrate?: boolean) => Promise<unknown> };
    };
    const stackDir = join(dir, 'stack');
    mkdirSync(stackDir);
    writeFileSync(join(stackDir, 'cdk.tf.json'), '{"terraform":{"required_providers":{}}}');
    const inits: unknown[] = [];
    // A stand-in Terraform whose init makes .terraform, as the real one does.
    const client = { init: async (options: unknown) => { inits.push(options); mkdirSync(join(stackDir, '.terraform'), { recursive: true }); } };
    const executor = new Executor(client, stackDir);
    expect(await executor.initalizeTerraform()).toBe(client);
    expect(await executor.initalizeTerraform()).toBe(client);
    expect(inits).toEqual([{ needsUpgrade: false, noColor: false, needsLockfileUpdate: false, migrateState: false }]);
    await executor.initalizeTerraform(false, false, true); // a state migration always inits
    writeFileSync(join(stackDir, 'cdk.tf.json'), '{"terraform":{"required_providers":{"docker":{"source":"kreuzwerker/docker"}}}}');
    await executor.initalizeTerraform();
    expect(inits).toHaveLength(3);
    const failing = new Executor({ init: async () => { throw new Error('init failed'); } }, stackDir);
    writeFileSync(join(stackDir, 'cdk.tf.json'), '{"terraform":{}}');
    await expect(failing.initalizeTerraform()).rejects.toThrow('init failed');
    await executor.initalizeTerraform(); // a failed init recorded nothing
    expect(inits).toHaveLength(4);
  });

  it('takes the four names the CLI reads of the cdktf library from the modules defining them, not the whole library', () => {
    const { dir, handlers, front } = install('0.21.0', BUNDLE);
    patch(dir);
    const loads: string[] = [];
    const real = (m: string) => {
      loads.push(m);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return m.startsWith('cdktf') ? require(m) : { setFlagsFromString: () => undefined };
    };
    const run = (file: string) => new Function('module', 'require', `${readFileSync(file, 'utf8')}return module.exports;`)({ exports: {} }, real) as Record<string, Record<string, unknown>>;
    const fromHandlers = run(handlers);
    const fromFront = run(front);
    expect(loads.filter((m) => m.startsWith('cdktf'))).toEqual(['cdktf/lib/manifest', 'cdktf/lib/manifest', 'cdktf/lib/annotations', 'cdktf/lib/manifest']);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cdktf = require('cdktf') as typeof import('cdktf');
    for (const manifest of [fromHandlers.RRe.Manifest, fromHandlers.z9.Manifest, fromFront.bO.Manifest]) expect(manifest).toBe(cdktf.Manifest);
    expect(fromHandlers.z9.CONTEXT_ENV).toBe(cdktf.CONTEXT_ENV);
    expect(CDKTF_CONTEXT_ENV).toBe(cdktf.CONTEXT_ENV);
    expect(fromHandlers.lE.AnnotationMetadataEntryType).toBe(cdktf.AnnotationMetadataEntryType);
  });

  it('checks the Node.js and Terraform versions without starting `node --version` or `terraform -v`', async () => {
    const { dir, handlers } = install('0.21.0', BUNDLE);
    patch(dir);
    const patched = readFileSync(handlers, 'utf8');
    expect(patched).not.toContain(NODE_CHECK);
    expect(patched).not.toContain(TERRAFORM_CHECK);
    const cli = new Function('module', 'require', `${patched}return module.exports;`)({ exports: {} }, () => ({ setFlagsFromString: () => undefined })) as {
      unr: () => Promise<void>; BD: () => Promise<string | null>; checked: unknown[]; warned: unknown[]; setTerraform: (v: unknown) => void;
    };
    await cli.unr();
    expect(cli.checked).toEqual([['Node.js', process.version]]);
    cli.setTerraform('1.11.4');
    await expect(cli.BD()).resolves.toBe('1.11.4');
    cli.setTerraform('1.1.9'); // below the CLI's 1.2.0: warned as before
    await expect(cli.BD()).resolves.toBe('1.1.9');
    cli.setTerraform(new Error('Unknown: Error loading terraform version')); // no terraform: no version, as `terraform -v` failing gave
    await expect(cli.BD()).resolves.toBeNull();
    expect(cli.warned).toEqual(['1.1.9']);
  });

  it('runs `terraform version -json` once for both bundles', async () => {
    const { dir, handlers, front } = install('0.21.0', BUNDLE);
    patch(dir);
    const shared = globalThis as Record<string, unknown>;
    delete shared.wpcdkTerraformVersionJson;
    shared.wpcdkTestRuns = [];
    try {
      const load = (file: string) => new Function('module', 'require', `${readFileSync(file, 'utf8')}return module.exports;`)(
        { exports: {} }, (m: string) => (m.startsWith('cdktf') ? {} : { setFlagsFromString: () => undefined })) as { pv?: Promise<string>; Gte?: Promise<string> };
      const fromFront = load(front);
      const fromHandlers = load(handlers);
      await expect(fromFront.pv).resolves.toBe('1.11.4');
      await expect(fromHandlers.Gte).resolves.toBe('1.11.4');
      expect(shared.wpcdkTestRuns).toEqual([['front', 'terraform', 'version', '-json']]);
    } finally {
      delete shared.wpcdkTestRuns;
      delete shared.wpcdkTerraformVersionJson;
    }
  });

  it('has deploy --skip-synth wait for the synth scripts/deploy.mjs runs beside it before it reads the stacks', async () => {
    const { dir, handlers } = install('0.21.0', BUNDLE);
    expect(waitsForSynth(join(handlers, '..', '..'))).toBe(false);
    patch(dir);
    expect(waitsForSynth(join(handlers, '..', '..'))).toBe(true);
    const { Project } = new Function('module', 'require', `${readFileSync(handlers, 'utf8')}return module.exports;`)({ exports: {} }, () => ({ setFlagsFromString: () => undefined })) as {
      Project: new () => { did: string[]; deploy: (options: { skipSynth?: boolean }) => Promise<unknown> };
    };
    const global = globalThis as Record<string, unknown>;
    // No synth beside it (a plain `cdktf deploy --skip-synth`): reads at once; without --skip-synth: synthesizes.
    const plain = new Project();
    await plain.deploy({ skipSynth: true });
    await plain.deploy({});
    expect(plain.did).toEqual(['read', 'synth']);
    let release = () => undefined as void;
    global[SYNTHESIZED_KEY] = new Promise<void>((resolve) => { release = resolve; });
    try {
      const waiting = new Project();
      const deployed = waiting.deploy({ skipSynth: true });
      await new Promise((resolve) => setImmediate(resolve));
      expect(waiting.did).toEqual([]);
      release();
      await deployed;
      expect(waiting.did).toEqual(['read']);
    } finally {
      delete global[SYNTHESIZED_KEY];
    }
  });

  it('leaves another CLI build or version untouched, and says so without failing the install', () => {
    const other = install('0.21.0', 'var xet=require("@cdktf/hcl2cdk");');
    expect(patch(other.dir)).toEqual({ log: [], error: [expect.stringMatching(/not patched: .*"AMe=ge\(require\(\\"@cdktf\/hcl2cdk\\"\)\)".* not the build of cdktf-cli 0\.21\.0/)] });
    expect(readFileSync(other.handlers, 'utf8')).toBe('var xet=require("@cdktf/hcl2cdk");');
    const newer = install('0.22.0', `${START}var ${ORIGINALS.join(',')};`);
    expect(patch(newer.dir).error).toEqual([expect.stringContaining('cdktf-cli 0.22.0 is installed; this patch is for 0.21.0')]);
    expect(readFileSync(newer.handlers, 'utf8')).toBe(`${START}var ${ORIGINALS.join(',')};`);
  });

  it('has the bin compile the large files with a V8 code cache under the V8 flag they run with, and the CLI still run without one', () => {
    const front = 'require("yoga-layout-prebuilt/yoga-layout/build/Release/nbind.js");console.log("cli ran", require("v8").cachedDataVersionTag() > 0);';
    const { dir, bin } = install('0.21.0', BUNDLE, `${front}var ${CDKTF_IN_FRONT},pv;${VERSION_RUN('front', 'pv', 'vt', 'XO')}`);
    const yoga = join(dir, 'node_modules', 'yoga-layout-prebuilt', 'yoga-layout', 'build', 'Release');
    mkdirSync(yoga, { recursive: true });
    writeFileSync(join(yoga, 'nbind.js'), 'module.exports = "yoga";\n');
    writeFileSync(join(dir, 'node_modules', 'yoga-layout-prebuilt', 'package.json'), '{"name":"yoga-layout-prebuilt"}');
    patch(dir);
    const patched = readFileSync(bin, 'utf8');
    expect(patched.startsWith('#!/usr/bin/env node\nrequire("v8").setFlagsFromString("--no-validate-asm");')).toBe(true);
    expect(patched.trimEnd().endsWith('require("./cdktf.js");')).toBe(true);
    expect(readFileSync(join(bin, '..', CODE_CACHE_FILE), 'utf8')).toBe(readFileSync(join(ROOT, 'scripts', 'lib', 'code-cache.cjs'), 'utf8'));
    // The front end requires the cdktf library's manifest module: this project's.
    const { WPCDK_CODE_CACHE: _off, ...inherited } = process.env; // the suite may run with the cache off
    const env = { ...inherited, NODE_PATH: join(ROOT, 'node_modules'), WPCDK_CODE_CACHE_DEBUG: '1' };
    const runBin = () => spawnSync(process.execPath, [bin], { env, encoding: 'utf8' });
    const first = runBin();
    expect(first.stdout).toBe('cli ran true\n');
    expect(first.stderr.match(/: (created|used|rejected)$/gm)).toEqual([': created', ': created']);
    const cache = join(dir, 'node_modules', '.cache', 'wordpress-cdktf', 'v8');
    expect(readdirSync(cache).sort()).toEqual([expect.stringMatching(/^cdktf\.js-\w+\.\w+\.v8$/), expect.stringMatching(/^nbind\.js-\w+\.\w+\.v8$/)]);
    // Made under the flag it is used under: V8 accepts it.
    expect(runBin().stderr.match(/: (created|used|rejected)$/gm)).toEqual([': used', ': used']);
    // When the code cache cannot be set up, the CLI loads as before.
    rmSync(join(bin, '..', CODE_CACHE_FILE));
    expect(runBin()).toMatchObject({ status: 0, stdout: 'cli ran true\n', stderr: '' });
    expect(patch(dir).log).toEqual([expect.stringContaining('already patched')]);
    expect(existsSync(join(bin, '..', CODE_CACHE_FILE))).toBe(true);
  });

  it('has patched the installed CLI (npm ci runs it as postinstall)', () => {
    const installed = readFileSync(join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cmds', 'handlers.js'), 'utf8');
    for (const original of [...ORIGINALS, ...CDKTF_IN_HANDLERS, INIT_CALL, NODE_CHECK, TERRAFORM_CHECK]) expect(installed).not.toContain(original);
    const installedFront = readFileSync(join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf.js'), 'utf8');
    expect(installedFront).not.toContain(CDKTF_IN_FRONT);
    for (const bundle of [installed, installedFront]) expect(bundle.split('globalThis["wpcdkTerraformVersionJson"]??=')).toHaveLength(2);
    expect(installed.startsWith('"use strict";require("v8").setFlagsFromString("--no-validate-asm");')).toBe(true);
    expect(readFileSync(join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf'), 'utf8')).toContain(`require("./${CODE_CACHE_FILE}").useCodeCache(`);
  });
});
