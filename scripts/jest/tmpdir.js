// jest globalSetup / globalTeardown: the run's temporary files go to a folder of its own, removed at
// the end. cdktf's Testing.app and Testing.synthScope make a folder in os.tmpdir() for every app
// they create and never remove it (~850 per run of the suite), and so do the tests' own
// mkdtempSync. os.tmpdir() reads TMPDIR, which the workers inherit from this process.
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const KEY = 'WPCDK_TEST_TMPDIR';

module.exports = async function tmpdirSetup() {
  const dir = mkdtempSync(join(tmpdir(), 'wpcdk-jest-'));
  process.env[KEY] = dir;
  process.env.TMPDIR = dir;
};

module.exports.teardown = async function tmpdirTeardown() {
  const dir = process.env[KEY];
  if (dir) rmSync(dir, { recursive: true, force: true });
};
