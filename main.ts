import { App } from 'cdktf';
import { ConfigError, loadConfig } from './stacks/config';
import { DOCKER_STACK, DockerStack } from './stacks/docker-stack';
import { KUBERNETES_STACK, KubernetesStack } from './stacks/kubernetes-stack';

try {
  const app = new App();
  const config = loadConfig(process.env, (key) => app.node.tryGetContext(key));
  new DockerStack(app, DOCKER_STACK, config);
  new KubernetesStack(app, KUBERNETES_STACK, config);
  app.synth();
} catch (error) {
  // Bad config or props: one clear line, not a stack trace.
  const message = error instanceof ConfigError ? `invalid configuration: ${error.message}` : (error as Error).message;
  console.error(`error: ${message}`);
  process.exit(1);
}
