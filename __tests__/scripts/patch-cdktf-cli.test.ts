import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'patch-cdktf-cli.mjs');
// The five places of cdktf-cli 0.21.0's bundle that load the convert/get modules on every command
// (the bundle's first statement, where the asm.js switch goes, is added to each stand-in bundle).
const ORIGINALS = [
  'AMe=ge(require("@cdktf/hcl2cdk"))', 'xet=require("@cdktf/hcl2cdk")', 'IE=require("@cdktf/hcl2cdk")',
  'CTe=require("@cdktf/hcl2json")', 'VMe=require("@cdktf/hcl-tools")',
];

/** A node_modules holding a stand-in cdktf-cli whose bundle has the given text. */
function fakeInstall(version: string, bundle: string) {
  const dir = mkdtempSync(join(tmpdir(), 'patch-cli-test-'));
  const cli = join(dir, 'node_modules', 'cdktf-cli');
  mkdirSync(join(cli, 'bundle', 'bin', 'cmds'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{}');
  writeFileSync(join(cli, 'package.json'), JSON.stringify({ name: 'cdktf-cli', version }));
  writeFileSync(join(cli, 'bundle', 'bin', 'cmds', 'handlers.js'), bundle);
  return { dir, handlers: join(cli, 'bundle', 'bin', 'cmds', 'handlers.js') };
}

const patch = (dir: string) => spawnSync('node', [SCRIPT, dir], { encoding: 'utf8' });

describe('scripts/patch-cdktf-cli.mjs', () => {
  it('replaces each eager require with one that loads the module on first use, once', () => {
    // A bundle in which each lazy module records that it was loaded.
    const bundle = `"use strict";var Utt=Object.create;const ge=(m)=>m;var ${ORIGINALS.join(',')};module.exports={AMe,xet,IE,CTe,VMe};`;
    const { dir, handlers } = fakeInstall('0.21.0', bundle);
    try {
      const first = patch(dir);
      expect(first.stdout).toContain('cdktf-cli 0.21.0: patched');
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
      expect(loads).toEqual(['v8']);
      expect(flags).toEqual(['--no-validate-asm']);
      expect(exports.xet.convert()).toBe('converted @cdktf/hcl2cdk');
      expect(exports.VMe.convert()).toBe('converted @cdktf/hcl-tools');
      expect(loads).toEqual(['v8', '@cdktf/hcl2cdk', '@cdktf/hcl-tools']);
      const again = patch(dir);
      expect(again.stdout).toContain('already patched');
      expect(readFileSync(handlers, 'utf8')).toBe(patched);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves another CLI build or version untouched, says so, and does not fail the install', () => {
    const other = fakeInstall('0.21.0', 'var xet=require("@cdktf/hcl2cdk");');
    const newer = fakeInstall('0.22.0', `"use strict";var Utt=Object.create;var ${ORIGINALS.join(',')};`);
    try {
      const build = patch(other.dir);
      expect(build.status).toBe(0);
      expect(build.stderr).toMatch(/not patched: .*"AMe=ge\(require\(\\"@cdktf\/hcl2cdk\\"\)\)".* not the build of cdktf-cli 0\.21\.0/);
      expect(readFileSync(other.handlers, 'utf8')).toBe('var xet=require("@cdktf/hcl2cdk");');
      const version = patch(newer.dir);
      expect(version.stderr).toContain('cdktf-cli 0.22.0 is installed; this patch is for 0.21.0');
      expect(readFileSync(newer.handlers, 'utf8')).toBe(`"use strict";var Utt=Object.create;var ${ORIGINALS.join(',')};`);
    } finally {
      rmSync(other.dir, { recursive: true, force: true });
      rmSync(newer.dir, { recursive: true, force: true });
    }
  });

  it('has patched the installed CLI (npm ci runs it as postinstall)', () => {
    const installed = readFileSync(join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cmds', 'handlers.js'), 'utf8');
    for (const original of ORIGINALS) expect(installed).not.toContain(original);
    expect(installed.startsWith('"use strict";require("v8").setFlagsFromString("--no-validate-asm");')).toBe(true);
  });
});
