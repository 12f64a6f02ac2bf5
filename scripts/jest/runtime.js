// The jest runtime, with one change: a worker compiles a module once, not once per test file.
// Jest creates a new vm.Script for every module in every test file; V8 finds the old one in its
// compilation cache only while that one is alive, and by the next file it has mostly been
// collected, so each file compiled cdktf, the provider bindings and the project's modules again.
// Here the Script of a module whose code has no dynamic `import(` is kept for the worker's life
// and run in each file's own context (module state stays per file: the code runs anew). A module
// with `import(` (none here: swc turns the tests' into `require`) gets jest's own Script with its
// `importModuleDynamically` callback, which belongs to one file's runtime.
const { Script } = require('node:vm');
const Runtime = require('jest-runtime').default;

const dynamicImport = /\bimport\s*\(/;
/** filename -> the wrapped code and its Script, for this worker. */
const scripts = new Map();

class CompileOnceRuntime extends Runtime {
  createScriptFromCode(scriptSource, filename) {
    if (dynamicImport.test(scriptSource) || this._resolver.isCoreModule(filename)) return super.createScriptFromCode(scriptSource, filename);
    const code = this.wrapCodeInModuleWrapper(scriptSource);
    const cached = scripts.get(filename);
    if (cached?.code === code) return cached.script;
    const script = new Script(code, { columnOffset: this._fileTransforms.get(filename)?.wrapperLength, displayErrors: true, filename });
    scripts.set(filename, { code, script });
    return script;
  }
}

module.exports = CompileOnceRuntime;
