import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'destroy.mjs');

/** scripts/destroy.mjs in a folder of its own, with a stand-in `cdktf` that exits with `code`. */
function destroy(code: number, resource: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'destroy-test-'));
  try {
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'cdktf'), `#!/bin/sh\necho "cdktf $*"\nexit ${code}\n`);
    chmodSync(join(dir, 'bin', 'cdktf'), 0o755);
    mkdirSync(join(dir, 'cdktf.out', 'stacks', 'wordpress-docker'), { recursive: true });
    writeFileSync(join(dir, 'cdktf.out', 'stacks', 'wordpress-docker', 'cdk.tf.json'), JSON.stringify({ resource }));
    return spawnSync('node', [SCRIPT, 'wordpress-docker', '--no-color'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/destroy.mjs', () => {
  const protectedVolume = { docker_volume: { mysql_data: { name: 'x', lifecycle: { prevent_destroy: true } }, other: { name: 'y' } } };

  it('runs cdktf destroy of the stack with the options given, and passes its success on', () => {
    const result = destroy(0, protectedVolume);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('cdktf destroy wordpress-docker --auto-approve --skip-provider-lock --no-color');
    expect(result.stderr).toBe('');
  });

  it('says, in one line, that protected data stopped the destroy and how to go on', () => {
    const result = destroy(1, protectedVolume);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('error: wordpress-docker was not destroyed and nothing changed: data protection is on (WPCDK_PROTECT_DATA, default true) '
      + "for what holds the site's data (docker_volume.mysql_data). To delete the site with its data: npm run backup -- wordpress-docker "
      + '(to keep a copy), then run this command again with WPCDK_PROTECT_DATA=false.');
  });

  it('adds nothing to a failure of an unprotected stack', () => {
    const result = destroy(3, { docker_volume: { other: { name: 'y' } } });
    expect(result.status).toBe(3);
    expect(result.stderr).toBe('');
  });
});
