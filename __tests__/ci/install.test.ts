import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'ci', 'install.mjs');

describe('scripts/ci/install.mjs', () => {
  it('runs npm ci once per package-lock.json, and again when the lockfile changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'install-test-'));
    try {
      mkdirSync(join(dir, 'bin'));
      // A stand-in npm that logs its call and "installs" node_modules.
      writeFileSync(join(dir, 'bin', 'npm'), `#!/bin/sh\necho "npm $*" >> "${dir}/calls"\nmkdir -p node_modules\n`);
      chmodSync(join(dir, 'bin', 'npm'), 0o755);
      const install = () => spawnSync('node', [SCRIPT, dir], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` } });
      writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion":3}');
      expect(install().status).toBe(0);
      const kept = install();
      expect(kept.stdout).toMatch(/installed from this package-lock.json .*: kept/);
      writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
      expect(install().status).toBe(0);
      expect(readFileSync(join(dir, 'calls'), 'utf8')).toBe('npm ci --no-audit --no-fund\nnpm ci --no-audit --no-fund\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
