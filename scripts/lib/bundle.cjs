// An esbuild bundle that is rebuilt only when one of its inputs changed. The inputs esbuild read
// for the last build are kept next to the bundle (`<outfile>.inputs.json`): the project's own
// files by sha256, files under node_modules by size and mtime (`npm ci` rewrites them), which
// keeps the check at a few milliseconds for the ~460 files of a bundle with its packages.
// Loading esbuild and bundling costs 0.05-0.7 s; the check is what every run pays.
// CommonJS, so that the unit test loads it in-process.
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** What identifies one input file's content. */
function fingerprint(root, file) {
  const path = join(root, file);
  if (file.split(/[\\/]/).includes('node_modules')) {
    const { size, mtimeMs } = statSync(path);
    return `${size}:${mtimeMs}`;
  }
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Writes a file whole or not at all: a synth running beside a rebuild reads the old bundle or the new. */
function writeWhole(file, content) {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, content);
  renameSync(partial, file);
}

/** Whether `outfile` exists and was built with `options` from the inputs recorded next to it, as they are now. */
function bundleFresh(root, outfile, options) {
  try {
    const recorded = JSON.parse(readFileSync(`${outfile}.inputs.json`, 'utf8'));
    statSync(outfile);
    return recorded.options === JSON.stringify(options)
      && Object.keys(recorded.inputs).length > 0
      && Object.entries(recorded.inputs).every(([file, print]) => fingerprint(root, file) === print);
  } catch {
    return false; // no bundle yet, an input gone, or an older record
  }
}

/**
 * Bundles with esbuild (`options`: its build options, paths relative to `root`) to `outfile`
 * unless the bundle there is fresh. `builders`: the files that make the build besides its
 * options (the calling script, its plugins), recorded as inputs too. Returns `outfile`.
 */
async function freshBundle(root, outfile, options, { plugins = [], builders = [] } = {}) {
  if (bundleFresh(root, outfile, options)) return outfile;
  const { build } = require('esbuild');
  const { metafile, outputFiles } = await build({ ...options, plugins, outfile, metafile: true, write: false, absWorkingDir: root });
  mkdirSync(dirname(outfile), { recursive: true });
  for (const output of outputFiles) writeWhole(output.path, output.contents);
  // esbuild also reads tsconfig.json (class fields, target), which its metafile does not list.
  const tsconfig = existsSync(join(root, 'tsconfig.json')) ? ['tsconfig.json'] : [];
  const files = [...new Set([...Object.keys(metafile.inputs), 'scripts/lib/bundle.cjs', ...tsconfig, ...builders])];
  const inputs = Object.fromEntries(files.map((file) => [file, fingerprint(root, file)]));
  writeWhole(`${outfile}.inputs.json`, `${JSON.stringify({ options: JSON.stringify(options), inputs }, null, 1)}\n`);
  return outfile;
}

module.exports = { bundleFresh, freshBundle };
