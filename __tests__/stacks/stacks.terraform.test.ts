import { Testing } from 'cdktf';
import { DOCKER_STACK, DockerStack } from '../../stacks/docker-stack';
import { KUBERNETES_STACK, KubernetesStack } from '../../stacks/kubernetes-stack';
import { SWARM_STACK, SwarmStack } from '../../stacks/swarm-stack';
import { AppConfig } from '../../stacks/config';
import { testConfig } from '../helpers';

// `terraform init` + `terraform validate` against the real provider schemas.
// The providers come from the registry, or offline from the mirror that
// TF_CLI_CONFIG_FILE names (scripts/offline/setup.sh). Without them this fails.
const variants: [string, Partial<AppConfig>][] = [
  ['every option set', { serviceType: 'LoadBalancer', nodePort: 30080, storageClass: 'standard' }],
  // Free text with Terraform template syntax must reach the container literally.
  ['template syntax in free text', { wordpressConfigExtra: "${HOME} %{ if true }x%{ endif } define('A', 1);" }],
  ['an existing database', { databaseHost: 'db.example.com:3306' }],
  // The offline mirror's docker provider is a later build: networks by id (3.6.2: by name).
  ['networks by id', { swarmNetworkKey: 'id', swarmPublishMode: 'ingress' }],
  // Exporters as sidecars, Prometheus, cAdvisor / RBAC (Swarm does not read the setting).
  ['metrics', { metrics: true, prometheusNodePort: 30090 }],
  ['metrics with replicas and an existing database', { metrics: true, wordpressReplicas: 2, contentAccessMode: 'ReadWriteMany', databaseHost: 'db.example.com' }],
];

describe.each([
  [DOCKER_STACK, DockerStack],
  [SWARM_STACK, SwarmStack],
  [KUBERNETES_STACK, KubernetesStack],
] as const)('%s', (name, Stack) => {
  it.each(variants)('is valid Terraform for the pinned providers: %s', (_variant, overrides) => {
    const app = Testing.app();
    const stack = new Stack(app, name, testConfig(overrides));
    expect(Testing.fullSynth(stack)).toBeValidTerraform();
  });
});
