import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CODE_CACHE = join(__dirname, '..', '..', '..', 'scripts', 'lib', 'code-cache.cjs');

/**
 * A folder with a module (`big.js`, which requires a neighbour and reads __dirname and its own
 * module object) and a runner that loads it through the code cache in `cache/` and prints what
 * it got and the cache's report. Each run is a process of its own: a cache is written as one exits.
 */
function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'wpcdk-code-cache-'));
  writeFileSync(join(dir, 'part.js'), 'module.exports = "part";\n');
  const runner = join(dir, 'run.js');
  writeFileSync(runner, `const { useCodeCache } = require(${JSON.stringify(CODE_CACHE)});
const report = useCodeCache([${JSON.stringify(join(dir, 'big.js'))}], ${JSON.stringify(join(dir, 'cache'))});
const big = require('./big.js');
const part = require('./part.js');
console.log(JSON.stringify({ value: big.value(), part, state: Object.fromEntries(report) }));
`);
  return { dir, big: join(dir, 'big.js'), runner, cache: join(dir, 'cache') };
}

const source = (word: string) => `const part = require('./part');
const { basename } = require('node:path');
exports.value = () => [${JSON.stringify(word)}, part, basename(__dirname) === basename(module.path), require.resolve('./part') === __dirname + '/part.js'].join(' ');
`;

describe('scripts/lib/code-cache.cjs', () => {
  let files: ReturnType<typeof fixture>;
  const run = (env: NodeJS.ProcessEnv = {}) => JSON.parse(execFileSync(process.execPath, [files.runner], { env: { ...process.env, ...env }, encoding: 'utf8' })) as {
    value: string; part: string; state: Record<string, string>;
  };
  const cacheFiles = () => (existsSync(files.cache) ? readdirSync(files.cache) : []);

  beforeEach(() => {
    files = fixture();
    writeFileSync(files.big, source('alpha'));
  });
  afterEach(() => rmSync(files.dir, { recursive: true, force: true }));

  it('compiles a listed file with the cache it wrote when the last run exited, and runs it as Node would', () => {
    const first = run();
    expect(first).toEqual({ value: 'alpha part true true', part: 'part', state: { [files.big]: 'created' } });
    expect(cacheFiles()).toEqual([expect.stringMatching(/^big\.js-[0-9a-f]{16}\.v8$/)]);
    const second = run();
    expect(second).toEqual({ ...first, state: { [files.big]: 'used' } });
    // A file not listed (part.js) loads as usual: no report, no cache.
    expect(cacheFiles()).toHaveLength(1);
  });

  it('never runs the code of another version of the file: a change of the file is a new cache', () => {
    run();
    writeFileSync(files.big, source('omega')); // same length, other code
    expect(run()).toEqual({ value: 'omega part true true', part: 'part', state: { [files.big]: 'created' } });
    expect(run().state).toEqual({ [files.big]: 'used' });
    expect(cacheFiles()).toHaveLength(1); // the old version's cache is gone
  });

  it('compiles anew when V8 rejects a cache file, and replaces it', () => {
    run();
    const [file] = cacheFiles();
    writeFileSync(join(files.cache, file), 'not a code cache');
    expect(run()).toEqual({ value: 'alpha part true true', part: 'part', state: { [files.big]: 'rejected' } });
    expect(run().state).toEqual({ [files.big]: 'used' });
  });

  it('is off with WPCDK_CODE_CACHE=0', () => {
    expect(run({ WPCDK_CODE_CACHE: '0' })).toEqual({ value: 'alpha part true true', part: 'part', state: {} });
    expect(existsSync(files.cache)).toBe(false);
  });

  it('keeps the file name and line in the errors of a cached file', () => {
    writeFileSync(files.big, 'exports.value = () => {\n  throw new Error("from big");\n};\n');
    const failing = () => execFileSync(process.execPath, [files.runner], { encoding: 'utf8', stdio: 'pipe' });
    for (let i = 0; i < 2; i += 1) expect(failing).toThrow(/from big[\s\S]*big\.js:2/);
  });
});
