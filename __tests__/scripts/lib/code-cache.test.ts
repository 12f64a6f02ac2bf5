import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Script } from 'node:vm';

const CODE_CACHE = join(__dirname, '..', '..', '..', 'scripts', 'lib', 'code-cache.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const codeCache = require(CODE_CACHE) as {
  compile(filename: string, content: string, dir: string): { script: Script; state: 'used' | 'rejected' | 'created'; file: string };
  compileCode(code: string, filename: string, dir: string, options?: object): { script: Script; state: 'used' | 'rejected' | 'created'; file: string };
  save(script: Script, file: string): void;
  useCodeCache(files: string[], dir: string): Map<string, string>;
};

/** A module that returns its word (each version of the file has another). */
const source = (word: string) => `module.exports = () => ${JSON.stringify(word)};\n`;

describe('scripts/lib/code-cache.cjs', () => {
  let dir: string;
  let big: string;
  let cache: string;
  /** Compiles and runs the file as it is now, as a new process would: returns what it returned and the cache's state. */
  const load = () => {
    const { script, state, file } = codeCache.compile(big, readFileSync(big, 'utf8'), cache);
    const module = { exports: {} as unknown };
    script.runInThisContext()(module.exports, require, module, big, dir);
    return { value: (module.exports as () => string)(), state, save: () => codeCache.save(script, file) };
  };
  const cacheFiles = () => (existsSync(cache) ? readdirSync(cache) : []);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wpcdk-code-cache-'));
    big = join(dir, 'big.js');
    cache = join(dir, 'cache');
    writeFileSync(big, source('alpha'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // In one process V8 reuses what it compiled for the same source, so whether a cache is used or
  // rejected is seen in processes of their own (the last test); a changed file is seen here.
  it('never runs the code of another version of the file: a change of the file is a new cache, and the old one goes', () => {
    const first = load();
    expect(first).toMatchObject({ value: 'alpha', state: 'created' });
    first.save();
    expect(cacheFiles()).toEqual([expect.stringMatching(/^big\.js-[0-9a-f]{16}\.[0-9a-f]{16}\.v8$/)]);
    writeFileSync(big, source('omega')); // same length, other code: V8 alone would take the old cache
    const changed = load();
    expect(changed).toMatchObject({ value: 'omega', state: 'created' });
    changed.save();
    expect(load()).toMatchObject({ value: 'omega', state: 'used' });
    expect(cacheFiles()).toHaveLength(1);
  });

  it('compileCode: a cache per code (not per file), in a file of its own that no save of another code removes', () => {
    const wrapped = (word: string) => `(function (module) { module.exports = ${JSON.stringify(word)}; })`;
    const run = (code: string) => {
      const compiled = codeCache.compileCode(code, big, cache);
      const module = { exports: '' };
      compiled.script.runInThisContext()(module);
      return { value: module.exports, state: compiled.state, file: compiled.file, save: () => codeCache.save(compiled.script, compiled.file) };
    };
    const alpha = run(wrapped('alpha'));
    expect(alpha).toMatchObject({ value: 'alpha', state: 'created' });
    alpha.save();
    // The same file with other code (as another wrapper or transform would give): not alpha's cache.
    const omega = run(wrapped('omega'));
    expect(omega).toMatchObject({ value: 'omega', state: 'created' });
    expect(omega.file).not.toBe(alpha.file);
    omega.save();
    expect(cacheFiles().sort()).toEqual([alpha.file, omega.file].map((file) => file.slice(cache.length + 1)).sort());
    expect(run(wrapped('alpha'))).toMatchObject({ value: 'alpha', state: 'used', file: alpha.file });
  });

  it('hooks nothing with WPCDK_CODE_CACHE=0', () => {
    process.env.WPCDK_CODE_CACHE = '0';
    try {
      expect(codeCache.useCodeCache([big], cache).size).toBe(0);
    } finally {
      delete process.env.WPCDK_CODE_CACHE;
    }
  });

  it('loads a listed file through require with the cache the last process wrote as it exited, as Node would load it; a bad cache is replaced', () => {
    writeFileSync(join(dir, 'part.js'), 'module.exports = "part";\n');
    writeFileSync(big, `const part = require('./part');
exports.value = () => [part, __dirname === module.path, require.resolve('./part') === __dirname + '/part.js', new Error('here').stack.includes('big.js:2')].join(' ');
`);
    const runner = join(dir, 'run.js');
    writeFileSync(runner, `const report = require(${JSON.stringify(CODE_CACHE)}).useCodeCache([${JSON.stringify(big)}], ${JSON.stringify(cache)});
console.log(require('./big.js').value(), Object.fromEntries(report)[${JSON.stringify(big)}], require('./part.js'), report.has(${JSON.stringify(join(dir, 'part.js'))}));
`);
    const { WPCDK_CODE_CACHE: _off, ...inherited } = process.env; // the suite may run with the cache off
    const run = (nodeOptions = '') => execFileSync(process.execPath, [runner], { encoding: 'utf8', env: { ...inherited, NODE_OPTIONS: nodeOptions } });
    expect(run()).toBe('part true true true created part false\n');
    expect(run()).toBe('part true true true used part false\n');
    writeFileSync(join(cache, cacheFiles()[0]), 'not a code cache');
    expect(run()).toBe('part true true true rejected part false\n');
    // Other V8 flags (the cdktf CLI gives the app --max-old-space-size): a cache of their own, and
    // the one above (replaced as the rejected run exited) is used again.
    expect(run('--max-old-space-size=4096')).toBe('part true true true created part false\n');
    expect(run()).toBe('part true true true used part false\n');
    expect(cacheFiles()).toHaveLength(2);
  });
});
