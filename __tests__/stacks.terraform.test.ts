import { Testing } from 'cdktf';
import { DOCKER_STACK, DockerStack } from '../stacks/docker-stack';
import { KUBERNETES_STACK, KubernetesStack } from '../stacks/kubernetes-stack';
import { testConfig } from './helpers';

// `terraform init` + `terraform validate` against the real provider schemas.
// The providers come from the registry, or offline from the mirror that
// TF_CLI_CONFIG_FILE names (scripts/offline/setup.sh). Without them this fails.
describe.each([
  [DOCKER_STACK, DockerStack],
  [KUBERNETES_STACK, KubernetesStack],
] as const)('%s', (name, Stack) => {
  it('is valid Terraform for the pinned providers', () => {
    const app = Testing.app();
    const stack = new Stack(app, name, testConfig({ serviceType: 'LoadBalancer', nodePort: 30080, storageClass: 'standard' }));
    expect(Testing.fullSynth(stack)).toBeValidTerraform();
  });
});
