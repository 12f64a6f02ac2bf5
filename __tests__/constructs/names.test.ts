import { App, TerraformStack } from 'cdktf';
import { claimName, releaseNames } from '../../constructs/names';

describe('claimName', () => {
  it('refuses a name two stacks of one app would both create, naming both', () => {
    const app = new App();
    claimName(new TerraformStack(app, 'first'), 'Docker container', 'blog-mysql');
    expect(() => claimName(new TerraformStack(app, 'second'), 'Docker container', 'blog-mysql'))
      .toThrow('Docker container "blog-mysql" would be created by both stack "first" and stack "second"');
  });

  it('keeps kinds and apps apart, and forgets a released stack', () => {
    const app = new App();
    const first = new TerraformStack(app, 'first');
    claimName(first, 'Docker container', 'x');
    expect(() => claimName(first, 'Docker volume', 'x')).not.toThrow();
    expect(() => claimName(new TerraformStack(new App(), 'other'), 'Docker container', 'x')).not.toThrow();
    releaseNames(app, 'first');
    expect(() => claimName(new TerraformStack(app, 'second'), 'Docker container', 'x')).not.toThrow();
  });
});
