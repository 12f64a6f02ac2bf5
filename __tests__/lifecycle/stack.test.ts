import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StackError, deployedStack, stateFile } from '../../lifecycle/stack';

let root: string;
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'stack-test-')); });
afterEach(() => rmSync(root, { recursive: true, force: true }));
const state = (id: string, outputs: unknown) => writeFileSync(stateFile(root, id), JSON.stringify({ version: 4, outputs }));

describe('deployedStack', () => {
  test('reads the target, the settings and the url output', () => {
    state('wordpress-k8s', { url: { value: 'http://127.0.0.1:30080' } });
    writeFileSync(join(root, 'cdktf.json'), JSON.stringify({ context: { namespace: 'blog' } }));
    const stack = deployedStack('wordpress-k8s', { WPCDK_APP_NAME: 'x' }, root);
    expect(stack).toMatchObject({ id: 'wordpress-k8s', target: 'kubernetes', url: 'http://127.0.0.1:30080' });
    expect(stack.config).toMatchObject({ appName: 'x', namespace: 'blog' });
  });

  test('refuses an unknown stack, listing the known ones', () => {
    expect(() => deployedStack('wordpress', {}, root)).toThrow('unknown stack "wordpress": expected one of wordpress-docker, wordpress-swarm, wordpress-k8s');
  });

  test('refuses a stack that is not deployed (no state, or destroyed: no url)', () => {
    expect(() => deployedStack('wordpress-docker', {}, root)).toThrow(StackError);
    expect(() => deployedStack('wordpress-docker', {}, root)).toThrow(/wordpress-docker is not deployed: .*terraform.wordpress-docker.tfstate does not exist/);
    state('wordpress-docker', {});
    expect(() => deployedStack('wordpress-docker', {}, root)).toThrow(/has no output "url"/);
  });

  test('refuses a stack on an external database before reading anything else', () => {
    expect(() => deployedStack('wordpress-swarm', { WPCDK_DATABASE_HOST: 'db.example.com' }, root)).toThrow('uses an external database (WPCDK_DATABASE_HOST=db.example.com): backup, restore and migrate are not supported');
  });
});
