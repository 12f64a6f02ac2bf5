import { Testing, TerraformStack } from 'cdktf';
import { dockerApp, dockerAppName } from '../../stacks/docker-app';
import { testConfig } from '../helpers';

describe('dockerApp', () => {
  it('names the app network after the app, with the stack suffix, overlay for Swarm', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const { appName } = dockerApp(stack, testConfig({ appName: 'blog' }), { suffix: '-swarm', overlay: true });
    expect(appName).toBe('blog-swarm');
    expect(Testing.synth(stack)).toHaveResourceWithProperties({ tfResourceType: 'docker_network' } as never, { name: 'blog-swarm', driver: 'overlay' });
  });

  it('leaves room for the suffix in the app name', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(() => dockerApp(stack, testConfig({ appName: 'x'.repeat(35) }), { suffix: '-swarm' })).toThrow(/invalid appName "x{35}".* at most 34 characters/);
  });

  it('dockerAppName: the configured or default name, plus the suffix (what backup and restore look up)', () => {
    expect(dockerAppName({ appName: 'blog' }, '-swarm')).toBe('blog-swarm');
    expect(dockerAppName({})).toBe('wordpress');
  });
});
