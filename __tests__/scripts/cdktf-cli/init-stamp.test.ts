import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface InitOptions { needsUpgrade?: boolean; needsLockfileUpdate?: boolean; migrateState?: boolean }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stamp = require('../../../scripts/cdktf-cli/init-stamp.cjs') as {
  initKey: (workdir: string, options?: InitOptions) => string | null;
  initFresh: (workdir: string, key: string | null) => boolean;
  recordInit: (workdir: string, key: string | null) => void;
};

const CONFIG = { terraform: { required_providers: { docker: { source: 'kreuzwerker/docker', version: '3.6.2' } }, backend: { local: { path: 'x.tfstate' } } }, resource: { docker_network: { n: { name: 'a' } } } };

/** A stack folder as `terraform init` leaves it: cdk.tf.json, lock file, backend record, a provider from the plugin cache. */
function initializedStack() {
  const root = mkdtempSync(join(tmpdir(), 'init-stamp-test-'));
  const dir = join(root, 'stack');
  const cached = join(root, 'plugin-cache', 'terraform-provider-docker');
  mkdirSync(join(root, 'plugin-cache'), { recursive: true });
  writeFileSync(cached, 'binary v1');
  mkdirSync(join(dir, '.terraform', 'providers', 'registry.terraform.io', 'kreuzwerker', 'docker', '3.6.2'), { recursive: true });
  symlinkSync(join(root, 'plugin-cache'), join(dir, '.terraform', 'providers', 'registry.terraform.io', 'kreuzwerker', 'docker', '3.6.2', 'linux_amd64'));
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(CONFIG));
  writeFileSync(join(dir, '.terraform.lock.hcl'), 'provider "registry.terraform.io/kreuzwerker/docker" { version = "3.6.2" }');
  writeFileSync(join(dir, '.terraform', 'terraform.tfstate'), '{"backend":{"type":"local"}}');
  return { root, dir, cached };
}

describe('scripts/cdktf-cli/init-stamp.cjs', () => {
  const roots: string[] = [];
  const stack = () => {
    const made = initializedStack();
    roots.push(made.root);
    stamp.recordInit(made.dir, stamp.initKey(made.dir));
    return made;
  };
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('skips the init when nothing init reads changed since the last one, resources included', () => {
    const { dir } = stack();
    expect(stamp.initFresh(dir, stamp.initKey(dir))).toBe(true);
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ ...CONFIG, resource: { docker_network: { n: { name: 'b' } } } }));
    expect(stamp.initFresh(dir, stamp.initKey(dir))).toBe(true);
  });

  it.each<[string, (made: ReturnType<typeof initializedStack>) => void]>([
    ['a provider version', ({ dir }) => writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ ...CONFIG, terraform: { ...CONFIG.terraform, required_providers: { docker: { source: 'kreuzwerker/docker', version: '3.6.3' } } } }))],
    ['the backend', ({ dir }) => writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ ...CONFIG, terraform: { ...CONFIG.terraform, backend: { s3: { bucket: 'b' } } } }))],
    ['a module', ({ dir }) => writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ ...CONFIG, module: { m: { source: './m' } } }))],
    ['the lock file', ({ dir }) => writeFileSync(join(dir, '.terraform.lock.hcl'), 'provider "x" {}')],
    ['the recorded backend', ({ dir }) => writeFileSync(join(dir, '.terraform', 'terraform.tfstate'), '{"backend":{"type":"s3"}}')],
    ['the installed provider binary', ({ cached }) => utimesSync(cached, new Date(0), new Date(0))],
    ['the installed providers', ({ dir }) => rmSync(join(dir, '.terraform', 'providers'), { recursive: true })],
    ['the stamp, deleted with .terraform', ({ dir }) => rmSync(join(dir, '.terraform'), { recursive: true })],
  ])('runs the init again after a change of %s', (_, change) => {
    const made = stack();
    change(made);
    expect(stamp.initFresh(made.dir, stamp.initKey(made.dir))).toBe(false);
  });

  it('runs the init again when the CLI configuration (mirror, plugin cache) changes', () => {
    const { dir, root } = stack();
    const rc = join(root, 'terraformrc');
    writeFileSync(rc, 'provider_installation { filesystem_mirror { path = "/a" } }');
    const before = process.env.TF_CLI_CONFIG_FILE;
    try {
      process.env.TF_CLI_CONFIG_FILE = rc;
      expect(stamp.initFresh(dir, stamp.initKey(dir))).toBe(false);
      stamp.recordInit(dir, stamp.initKey(dir));
      expect(stamp.initFresh(dir, stamp.initKey(dir))).toBe(true);
      writeFileSync(rc, 'provider_installation { filesystem_mirror { path = "/b" } }');
      expect(stamp.initFresh(dir, stamp.initKey(dir))).toBe(false);
    } finally {
      if (before === undefined) delete process.env.TF_CLI_CONFIG_FILE;
      else process.env.TF_CLI_CONFIG_FILE = before;
    }
  });

  it('always runs an init that upgrades, updates the lock file or migrates state, and records none', () => {
    const { dir } = stack();
    for (const options of [{ needsUpgrade: true }, { needsLockfileUpdate: true }, { migrateState: true }]) {
      expect(stamp.initKey(dir, options)).toBeNull();
      expect(stamp.initFresh(dir, stamp.initKey(dir, options))).toBe(false);
    }
    stamp.recordInit(dir, null);
    expect(stamp.initFresh(dir, stamp.initKey(dir))).toBe(true);
  });

  it('never skips the init of a folder that was never initialized or has no readable cdk.tf.json', () => {
    const root = mkdtempSync(join(tmpdir(), 'init-stamp-test-'));
    roots.push(root);
    expect(stamp.initKey(root)).toBeNull();
    writeFileSync(join(root, 'cdk.tf.json'), JSON.stringify(CONFIG));
    const key = stamp.initKey(root);
    stamp.recordInit(root, key); // no .terraform: nothing recorded
    expect(stamp.initFresh(root, key)).toBe(false);
  });
});
