// A V8 code cache for the few large JavaScript files every deploy loads: the cdktf CLI's bundle
// (4.6 MB in two files) and the synth's bundle (.build/main.js, ~4 MB). Node 20 has no compile
// cache of its own (module.enableCompileCache is Node 22), so each command parsed and compiled
// them anew: ~0.15 s of the CLI's start and ~0.05 s of the synth's on this 2-core machine.
//
// `useCodeCache(files, dir)` makes `require` of those files compile them with the V8 code cache
// kept in `dir` (one file each), and, when there was none or V8 rejected it, write a new one as
// the process exits: by then it holds the functions the command ran, not only the top level.
// A cache belongs to one file as it is: its size, mtime and inode, the Node version and the
// architecture name the cache file (V8 itself checks only the source's length and its own
// version and flags). Any other file is loaded by Node as usual. CommonJS, so that the patched
// CLI, the jest runtime and the unit test require it.
//
// `compileCode(code, filename, dir)` is the same for code that Node does not require: the jest
// runtime (scripts/jest/runtime.js) compiles the packages' files in jest's own module wrapper. Its
// cache is named by a hash of the code itself.
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, dirname, join } = require('node:path');
const { Script } = require('node:vm');
const { createHash } = require('node:crypto');

const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * The cache file of `filename` as it is now, in `dir`: `<name>-<file key>.<flags key>.v8`. V8 also
 * rejects a cache made under other flags (`--max-old-space-size`, which the cdktf CLI puts in
 * NODE_OPTIONS for the app, among them): a run with other flags has a cache of its own, so that
 * the CLI's synth and a direct `node scripts/synth.mjs` do not replace each other's.
 */
function cachePath(filename, dir) {
  const { size, mtimeMs, ino } = statSync(filename);
  const fileKey = hash(`${filename}\0${size}\0${mtimeMs}\0${ino}\0${process.version}\0${process.arch}`);
  return join(dir, `${basename(filename)}-${fileKey}.${flagsKey()}.v8`);
}

const flagsKey = () => hash(`${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`);

const readOr = (file) => {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
};

/** The `require` a module's code gets, as Node makes it (Node's own maker is internal). */
function requireFor(module) {
  const require = (id) => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/** Writes the code cache of `script` (after it ran: with the functions it compiled) to `file`, and drops the file's older caches. */
function save(script, file) {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, file);
    // The caches of the file's earlier versions (another file key, any flags) are of no use any more.
    // (A cache of compileCode is named by its code: nothing says which are a file's older ones.)
    const [, name, fileKey] = /^(.*)-([0-9a-f]{16})\.[0-9a-f]{16}\.v8$/.exec(basename(file)) ?? [];
    if (name === undefined) return;
    for (const old of readdirSync(dirname(file))) {
      if (old.startsWith(`${name}-`) && old.endsWith('.v8') && !old.startsWith(`${name}-${fileKey}.`)) rmSync(join(dirname(file), old), { force: true });
    }
  } catch {
    // a cache is an optimisation: a read-only folder only means the next run compiles again
  }
}

/**
 * The Script of `filename` (its module-wrapped `content`), compiled with its cache in `dir`, and
 * what happened: `used`, `rejected` (V8 refused the cache file) or `created` (none yet). `file`
 * is where `save` puts a new cache.
 */
function compile(filename, content, dir) {
  return compileWith(cachePath(filename, dir), Module.wrap(content), { filename });
}

/**
 * The Script of `code` (run as it is: already wrapped) for `filename`, compiled with its cache in
 * `dir`, named by a hash of the code, the Node version and the architecture, and the V8 flags. The
 * same answer as `compile`; `options` go to the Script (jest's columnOffset, displayErrors).
 */
function compileCode(code, filename, dir, options = {}) {
  const key = createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(code).digest('hex').slice(0, 32);
  return compileWith(join(dir, `${key}.${flagsKey()}.v8`), code, { ...options, filename });
}

function compileWith(file, code, options) {
  const cachedData = readOr(file);
  const script = new Script(code, { ...options, cachedData });
  const state = cachedData === undefined ? 'created' : script.cachedDataRejected ? 'rejected' : 'used';
  return { script, state, file };
}

/** Caches to write as the process exits. */
const pending = [];

/** Saves the cache of `script` to `file` as the process exits (by then with the functions it ran). */
function saveAtExit(script, file) {
  if (pending.length === 0) process.once('exit', () => pending.splice(0).forEach((p) => save(p.script, p.file)));
  pending.push({ script, file });
}

/** Files whose loading is hooked, so that a second call hooks no file twice. */
const hooked = new Map();

/**
 * Loads each of `files` (absolute paths), when required, with its code cache in `dir`, and
 * writes a new cache for one that had none (or a rejected one) as the process exits. Returns a
 * report of what happened per file, for tests and `WPCDK_CODE_CACHE_DEBUG=1`.
 */
function useCodeCache(files, dir) {
  if (process.env.WPCDK_CODE_CACHE === '0') return new Map();
  if (hooked.size === 0) {
    const original = Module.prototype._compile;
    Module.prototype._compile = function compileWithCache(content, filename) {
      const entry = hooked.get(filename);
      if (!entry) return original.call(this, content, filename);
      const { script, state, file } = compile(filename, content, entry.dir);
      entry.report.set(filename, state);
      if (process.env.WPCDK_CODE_CACHE_DEBUG) process.stderr.write(`code cache: ${filename}: ${state}\n`);
      if (state !== 'used') saveAtExit(script, file);
      const run = script.runInThisContext({ displayErrors: true });
      return run.call(this.exports, this.exports, requireFor(this), this, filename, dirname(filename));
    };
  }
  const report = new Map();
  for (const file of files) hooked.set(file, { dir, report });
  return report;
}

module.exports = { cachePath, compile, compileCode, save, saveAtExit, useCodeCache };
