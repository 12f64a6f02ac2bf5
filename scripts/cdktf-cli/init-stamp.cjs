// Loaded by the patched cdktf CLI (scripts/patch-cdktf-cli.cjs copies this file next to its bundle):
// `cdktf deploy|diff|destroy` run `terraform init` in the stack's folder on every command. That
// init (~0.3 s here, more for a large provider) changes nothing when nothing it reads changed.
// This module says whether that is so: a sha256 over what `terraform init` reads and writes,
// recorded in `.terraform/cdktf-init.sha256` after an init that succeeded.
//
// The key covers the `terraform` block (required providers, backend, cloud) and the `module`
// block of cdk.tf.json, the dependency lock file, the backend settings init recorded
// (.terraform/terraform.tfstate), the CLI configuration (TF_CLI_CONFIG_FILE: mirrors, plugin
// cache) and each installed provider (the real path, size and mtime of every file under
// .terraform/providers). Any change, a missing stamp, or an init that has to upgrade, update the
// lock file or migrate state runs `terraform init` as before. Deleting `.terraform` (or the stamp)
// forces an init. CommonJS, no dependencies.
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const STAMP = join('.terraform', 'cdktf-init.sha256');

const readOr = (file, fallback) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
};

/** Every file under `dir` (following the plugin cache's symlinks) as "path real size mtime", sorted. */
function fileStats(dir) {
  const out = [];
  const walk = (path) => {
    let real;
    try {
      real = realpathSync(path);
    } catch {
      out.push(`${path} dangling`);
      return;
    }
    const stat = statSync(real);
    if (stat.isDirectory()) {
      for (const name of readdirSync(real).sort()) walk(join(path, name));
    } else {
      out.push(`${path} ${real} ${stat.size} ${stat.mtimeMs}`);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/**
 * The key of the stack folder `workdir` for an init with these options, or null when the init
 * must run whatever the stamp says (an upgrade, a lock file update, a state migration, or a
 * cdk.tf.json it cannot read).
 */
function initKey(workdir, { needsUpgrade = false, needsLockfileUpdate = false, migrateState = false } = {}) {
  if (needsUpgrade || needsLockfileUpdate || migrateState) return null;
  let config;
  try {
    config = JSON.parse(readFileSync(join(workdir, 'cdk.tf.json'), 'utf8'));
  } catch {
    return null;
  }
  const cliConfig = process.env.TF_CLI_CONFIG_FILE ?? '';
  const parts = [
    JSON.stringify(config.terraform ?? {}),
    JSON.stringify(config.module ?? {}),
    readOr(join(workdir, '.terraform.lock.hcl'), 'no lock file'),
    readOr(join(workdir, '.terraform', 'terraform.tfstate'), 'no backend state'),
    cliConfig,
    cliConfig ? readOr(cliConfig, 'no CLI config') : '',
    process.env.TF_PLUGIN_CACHE_DIR ?? '',
    ...fileStats(join(workdir, '.terraform', 'providers')),
  ];
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** Whether the last init in `workdir` that succeeded had this key. */
function initFresh(workdir, key) {
  return key !== null && readOr(join(workdir, STAMP), '').trim() === key;
}

/** Records a successful init (no-op for a null key, or when `.terraform` does not exist). */
function recordInit(workdir, key) {
  if (key === null || !existsSync(join(workdir, '.terraform'))) return;
  writeFileSync(join(workdir, STAMP), `${key}\n`);
}

module.exports = { STAMP, initKey, initFresh, recordInit };
