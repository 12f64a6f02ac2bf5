// The jest runtime (jest.config.js `runtime`), made cheaper for a worker that runs many test files
// loading the same packages (cdktf, constructs and the provider bindings: hundreds of modules).
// Each test file still gets its own module registry and context, and every module still runs anew
// in it; what a worker now does once instead of once per file:
// - compiling a module: jest creates a new vm.Script for every module in every file, and V8 finds
//   the old one in its compilation cache only while that one is alive (by the next file it has
//   mostly been collected). The Script of a module whose code has no dynamic `import(` is kept and
//   run in each file's context. A module with `import(` (none here: swc turns the tests' into
//   `require`) gets jest's own Script, whose `importModuleDynamically` callback belongs to one
//   file's runtime.
// - reading (and "transforming": node_modules is not transformed) a package's file;
// - resolving a `require` (from, name) to a file, and jest's mock bookkeeping around it, while no
//   mock is set up (the tests set up none; with one, jest's own path runs); the same for the
//   `require`s of jest's own modules (expect, jest-circus, ...), which every test file loads anew;
// - building the `jest` object handed to each package module (none uses it: built when touched);
// - running a package's modules: a worker runs cdktf, constructs and the provider bindings once,
//   and each later test file gets the same module objects (a package module is not the code under
//   test, and none of these keeps state a test could see). Per file stay: the project's own
//   modules (constructs/, stacks/, ...: they run anew in each file, so their state never leaks),
//   and cdktf's index and its testing helpers, which read the jest globals (`expect`) of the file
//   that loads them. ~1.1 s of the suite's ~9 s of CPU here. WPCDK_JEST_ISOLATE_PACKAGES=1 runs
//   every package anew in each file, as jest does.
// And what a worker does once per run instead of once per worker: compiling a package's module
// (jest's, cdktf, the provider bindings: ~650 files, ~0.2 s of each worker's start). Its Script
// is compiled with a V8 code cache (scripts/lib/code-cache.cjs, named by a hash of the code), kept
// in ~/.cache/wordpress-cdktf/jest-v8 (WPCDK_CACHE; ~13 MB) and written as a worker exits when
// there was none. WPCDK_CODE_CACHE=0 turns it off.
const { homedir } = require('node:os');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');
const Runtime = require('jest-runtime').default;
const codeCache = require('../lib/code-cache.cjs');

const dynamicImport = /\bimport\s*\(/;
const inPackage = (filename) => filename.includes('/node_modules/');

/** filename -> the code jest ran last and its Script, for this worker. */
const scripts = new Map();
/** filename -> the source of one of jest's own modules (expect, jest-circus, ...: read once per worker). */
const internalSources = new Map();
/** filename -> jest's transform entry of a package file (read once per worker). */
const packageFiles = new Map();
/** resolver -> `${from}\0${name}` -> the file a require loads, or null where jest's own path must run. */
const resolutions = new WeakMap();
/** resolver -> `${from}\0${name}` -> the file a `require` of jest's own modules loads, or null where jest's own path must run. */
const internalResolutions = new WeakMap();
/** What jest's requireInternalModule passes on to load a module. */
const INTERNAL = { isInternalModule: true, supportsDynamicImport: typeof require('node:vm').SourceTextModule === 'function', supportsExportNamespaceFrom: false, supportsStaticESM: false, supportsTopLevelAwait: false };
/** filename -> the module object of a package file that ran in an earlier test file of this worker. */
const sharedPackages = new Map();
/** Where the code caches of the package files are kept (none with WPCDK_CODE_CACHE=0). */
const codeCacheDir = process.env.WPCDK_CODE_CACHE === '0' ? undefined : join(process.env.WPCDK_CACHE || join(homedir(), '.cache', 'wordpress-cdktf'), 'jest-v8');
/** A package module that can be shared between the test files of a worker (not cdktf's index or testing helpers). */
const shareable = (file) => !process.env.WPCDK_JEST_ISOLATE_PACKAGES && inPackage(file) && !/\/node_modules\/cdktf\/lib\/(index\.js$|testing\/)/.test(file);

class WorkerCachingRuntime extends Runtime {
  createScriptFromCode(scriptSource, filename) {
    const cached = scripts.get(filename);
    if (cached?.source === scriptSource) return cached.script;
    if (dynamicImport.test(scriptSource) || this._resolver.isCoreModule(filename)) return super.createScriptFromCode(scriptSource, filename);
    const code = this.wrapCodeInModuleWrapper(scriptSource);
    const options = { columnOffset: this._fileTransforms.get(filename)?.wrapperLength, displayErrors: true };
    let script;
    if (codeCacheDir && inPackage(filename)) {
      const compiled = codeCache.compileCode(code, filename, codeCacheDir, options);
      if (compiled.state !== 'used') codeCache.saveAtExit(compiled.script, compiled.file);
      script = compiled.script;
    } else {
      script = new Script(code, { ...options, filename });
    }
    scripts.set(filename, { source: scriptSource, script });
    return script;
  }

  transformFile(filename, options) {
    if (options?.isInternalModule) {
      let source = internalSources.get(filename);
      if (source === undefined) internalSources.set(filename, (source = super.transformFile(filename, options)));
      return source;
    }
    if (!inPackage(filename)) return super.transformFile(filename, options);
    let entry = packageFiles.get(filename);
    if (entry) {
      this._fileTransforms.set(filename, entry);
      if (entry.sourceMapPath) this._sourceMapRegistry.set(filename, entry.sourceMapPath);
    } else {
      super.transformFile(filename, options);
      entry = this._fileTransforms.get(filename);
      packageFiles.set(filename, entry);
    }
    return entry.code;
  }

  requireModuleOrMock(from, moduleName) {
    if (this.isTornDown || !this._noMocks()) return super.requireModuleOrMock(from, moduleName);
    const modulePath = this._cachedPath(resolutions, from, moduleName, () => this._plainModulePath(from, moduleName));
    if (modulePath === null) return super.requireModuleOrMock(from, moduleName);
    const registry = this._isolatedModuleRegistry || this._moduleRegistry;
    const loaded = registry.get(modulePath);
    if (loaded) return loaded.exports;
    if (shareable(modulePath)) {
      const shared = sharedPackages.get(modulePath);
      if (shared) {
        registry.set(modulePath, shared);
        return shared.exports;
      }
    }
    const localModule = this._loadInto(registry, from, moduleName, modulePath, undefined);
    if (shareable(modulePath)) sharedPackages.set(modulePath, localModule);
    return localModule.exports;
  }

  requireInternalModule(from, to) {
    if (!to) return super.requireInternalModule(from, to);
    const modulePath = this._cachedPath(internalResolutions, from, to, () => {
      // chalk and jest-main: paths are required outside the test's context; core modules have their own path.
      if (to === 'chalk' || to.startsWith('jest-main:') || this._resolver.isCoreModule(to)) return null;
      try {
        return this._resolveCjsModule(from, to);
      } catch {
        return null; // jest's path throws its own error
      }
    });
    if (modulePath === null) return super.requireInternalModule(from, to);
    const loaded = this._internalModuleRegistry.get(modulePath);
    return (loaded ?? this._loadInto(this._internalModuleRegistry, from, to, modulePath, INTERNAL)).exports;
  }

  /** The file of `require(name)` from `from`, kept per resolver in `cache`; `resolve` works it out (null: jest's own path) the first time. */
  _cachedPath(cache, from, name, resolve) {
    let byName = cache.get(this._resolver);
    if (!byName) cache.set(this._resolver, (byName = new Map()));
    const key = `${from}\0${name}`;
    let modulePath = byName.get(key);
    if (modulePath === undefined) byName.set(key, (modulePath = resolve()));
    return modulePath;
  }

  /** Loads `modulePath` into `registry` as jest's requireModule does for a module not mocked, not core and not ESM; returns the module object. */
  _loadInto(registry, from, name, modulePath, options) {
    const localModule = { children: [], exports: {}, filename: modulePath, id: modulePath, loaded: false, path: dirname(modulePath) };
    registry.set(modulePath, localModule);
    try {
      this._loadModule(localModule, from, name, modulePath, options, registry);
    } catch (error) {
      registry.delete(modulePath);
      throw error;
    }
    return localModule;
  }

  /** No automock, jest.mock, virtual mock or mock factory in this file. */
  _noMocks() {
    return !this._shouldAutoMock && this._explicitShouldMock.size === 0 && this._virtualMocks.size === 0 && this._mockFactories.size === 0;
  }

  /** The file `require(moduleName)` from `from` loads, or null when jest's own path must handle it. */
  _plainModulePath(from, moduleName) {
    if (!moduleName || moduleName === '@jest/globals' || this._resolver.isCoreModule(moduleName)) return null;
    if (this._resolver.getModule(moduleName) || this._resolver.getMockModule(from, moduleName)) return null;
    let modulePath;
    try {
      modulePath = this._resolveCjsModule(from, moduleName);
    } catch {
      return null; // jest's path throws its "Cannot find module" with hints
    }
    return this.unstable_shouldLoadAsEsm(modulePath) ? null : modulePath;
  }

  _createJestObjectFor(from) {
    if (!inPackage(from)) return super._createJestObjectFor(from);
    let jestObject;
    const real = () => (jestObject ??= super._createJestObjectFor(from));
    return new Proxy({}, {
      get: (_target, key) => Reflect.get(real(), key),
      has: (_target, key) => Reflect.has(real(), key),
      ownKeys: () => Reflect.ownKeys(real()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    });
  }
}

module.exports = WorkerCachingRuntime;
