// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cdktfEnv } = require('../../../scripts/lib/cdktf-env.cjs') as {
  cdktfEnv(stack: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Record<string, string>;
};

describe('scripts/lib/cdktf-env.cjs', () => {
  it('synthesizes only the stack of the command, without telemetry, and Terraform talks to its providers without TLS on Linux', () => {
    expect(cdktfEnv('wordpress-k8s', {}, 'linux')).toEqual({ WPCDK_STACKS: 'wordpress-k8s', CHECKPOINT_DISABLE: '1', TF_DISABLE_PLUGIN_TLS: '1' });
    expect(cdktfEnv('wordpress-docker', {}, 'darwin').TF_DISABLE_PLUGIN_TLS).toBe('1');
  });

  it('keeps the provider TLS on Windows, where the providers listen on TCP', () => {
    expect(cdktfEnv('wordpress-docker', {}, 'win32')).toEqual({ WPCDK_STACKS: 'wordpress-docker', CHECKPOINT_DISABLE: '1' });
  });

  it("leaves the user's own settings alone: an empty TF_DISABLE_PLUGIN_TLS keeps the TLS on", () => {
    expect(cdktfEnv('wordpress-docker', { TF_DISABLE_PLUGIN_TLS: '' }, 'linux')).not.toHaveProperty('TF_DISABLE_PLUGIN_TLS');
    expect(cdktfEnv('wordpress-docker', { CHECKPOINT_DISABLE: 'true' }, 'linux').CHECKPOINT_DISABLE).toBe('true');
  });
});
