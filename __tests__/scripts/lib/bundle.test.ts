import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleFresh, freshBundle } = require('../../../scripts/lib/bundle.cjs') as {
  bundleFresh(root: string, outfile: string, options: object): boolean;
  freshBundle(root: string, outfile: string, options: object, extra?: { builders?: string[] }): Promise<string>;
};

/** A project of its own: an entry importing a source file and a package, and the script that bundles. */
function project() {
  const root = mkdtempSync(join(tmpdir(), 'wpcdk-bundle-'));
  mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
  mkdirSync(join(root, 'scripts', 'lib'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'dep', 'index.js'), 'module.exports = "dep-1";\n');
  writeFileSync(join(root, 'part.ts'), 'export const part = "part-1";\n');
  writeFileSync(join(root, 'main.ts'), 'import { part } from "./part";\n// eslint-disable-next-line\nconst dep = require("dep");\nconsole.log(part, dep);\n');
  writeFileSync(join(root, 'scripts', 'build.mjs'), '// the builder\n');
  // freshBundle records its own source as an input: the copy in this project stands for it.
  writeFileSync(join(root, 'scripts', 'lib', 'bundle.cjs'), readFileSync(join(__dirname, '..', '..', '..', 'scripts', 'lib', 'bundle.cjs')));
  return root;
}

const OPTIONS = { entryPoints: ['main.ts'], bundle: true, platform: 'node', logLevel: 'silent' };

describe('scripts/lib/bundle.cjs', () => {
  let root: string;
  let outfile: string;
  const build = (options: object = OPTIONS) => freshBundle(root, outfile, options, { builders: ['scripts/build.mjs'] });
  const built = () => readFileSync(outfile, 'utf8');

  beforeEach(async () => {
    root = project();
    outfile = join(root, '.build', 'main.js');
    await build();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('bundles the sources and the packages into one file, and records every input', () => {
    expect(built()).toContain('part-1');
    expect(built()).toContain('dep-1');
    const { inputs } = JSON.parse(readFileSync(`${outfile}.inputs.json`, 'utf8'));
    expect(Object.keys(inputs).sort()).toEqual(['main.ts', 'node_modules/dep/index.js', 'part.ts', 'scripts/build.mjs', 'scripts/lib/bundle.cjs']);
    expect(inputs['part.ts']).toMatch(/^[0-9a-f]{64}$/);
    expect(inputs['node_modules/dep/index.js']).toMatch(/^\d+:[\d.]+$/);
  });

  it('keeps the bundle when nothing changed', async () => {
    writeFileSync(outfile, `${built()}// kept\n`); // a rebuild would drop this line
    expect(bundleFresh(root, outfile, OPTIONS)).toBe(true);
    await build();
    expect(built()).toMatch(/\/\/ kept\n$/);
  });

  it('rebuilds when a source file changed', async () => {
    writeFileSync(join(root, 'part.ts'), 'export const part = "part-2";\n');
    expect(bundleFresh(root, outfile, OPTIONS)).toBe(false);
    await build();
    expect(built()).toContain('part-2');
    expect(bundleFresh(root, outfile, OPTIONS)).toBe(true);
  });

  it('rebuilds when a package file was rewritten (size or mtime)', async () => {
    const file = join(root, 'node_modules', 'dep', 'index.js');
    writeFileSync(file, 'module.exports = "dep-2";\n'); // same size
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await build();
    expect(built()).toContain('dep-2');
  });

  it('rebuilds when the builder script or the options changed', async () => {
    writeFileSync(join(root, 'scripts', 'build.mjs'), '// the builder, changed\n');
    expect(bundleFresh(root, outfile, OPTIONS)).toBe(false);
    await build();
    expect(bundleFresh(root, outfile, OPTIONS)).toBe(true);
    expect(bundleFresh(root, outfile, { ...OPTIONS, minify: true })).toBe(false);
  });

  it('rebuilds when tsconfig.json, which esbuild reads besides the sources, changed', async () => {
    writeFileSync(join(root, 'tsconfig.json'), '{}\n');
    rmSync(outfile); // built before there was a tsconfig.json
    await build();
    expect(bundleFresh(root, outfile, OPTIONS)).toBe(true);
    writeFileSync(join(root, 'tsconfig.json'), '{"compilerOptions":{"useDefineForClassFields":false}}\n');
    expect(bundleFresh(root, outfile, OPTIONS)).toBe(false);
  });

  it('rebuilds when an input is gone, the record is unreadable or the bundle is missing', async () => {
    writeFileSync(`${outfile}.inputs.json`, 'not json');
    expect(bundleFresh(root, outfile, OPTIONS)).toBe(false);
    await build();
    rmSync(outfile);
    expect(bundleFresh(root, outfile, OPTIONS)).toBe(false);
    await build();
    rmSync(join(root, 'scripts', 'build.mjs'));
    expect(bundleFresh(root, outfile, OPTIONS)).toBe(false);
  });
});
