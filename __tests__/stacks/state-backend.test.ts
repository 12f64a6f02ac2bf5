import { TerraformStack, Testing } from 'cdktf';
import { stateBackend } from '../../stacks/state-backend';
import { testConfig } from '../helpers';

function backendOf(config = testConfig()) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'wordpress-k8s');
  const backend = stateBackend(stack, config);
  return { backend, terraform: (JSON.parse(Testing.synth(stack)).terraform ?? {}) as { backend?: Record<string, unknown> } };
}

describe('stateBackend', () => {
  it('keeps the local state file by default (laptops)', () => {
    const { backend, terraform } = backendOf();
    expect(backend).toBeUndefined();
    expect(terraform.backend).toBeUndefined(); // cdktf's app synth then writes its local backend
  });

  it('puts the state in a Secret of the cluster with WPCDK_STATE_BACKEND=kubernetes', () => {
    const { terraform } = backendOf(testConfig({ stateBackend: 'kubernetes', stateNamespace: 'ci-state' }));
    expect(terraform.backend).toEqual({ kubernetes: { secret_suffix: 'wordpress-k8s', config_path: '/kube/config', namespace: 'ci-state' } });
  });

  it('writes an empty http block (GitLab managed state: TF_HTTP_* configure it, nothing secret synthesized)', () => {
    const { terraform } = backendOf(testConfig({ stateBackend: 'http' }));
    expect(terraform.backend).toEqual({ http: {} });
  });
});
