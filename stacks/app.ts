import { App, TerraformLocal, TerraformOutput, TerraformStack } from 'cdktf';
import { releaseNames } from '../constructs/names';
import { terraformLiteral } from '../constructs/service';
import { ValidationError } from '../constructs/validation';
import { ConfigError, Target, loadConfig } from './config';
import { DOCKER_STACK, DockerStack } from './docker-stack';
import { KUBERNETES_STACK, KubernetesStack } from './kubernetes-stack';
import { SWARM_STACK, SwarmStack } from './swarm-stack';

export const STACKS: readonly { id: string; target: Target; Stack: typeof DockerStack | typeof SwarmStack | typeof KubernetesStack }[] = [
  { id: DOCKER_STACK, target: 'docker', Stack: DockerStack },
  { id: SWARM_STACK, target: 'swarm', Stack: SwarmStack },
  { id: KUBERNETES_STACK, target: 'kubernetes', Stack: KubernetesStack },
];

/**
 * A stack whose settings are wrong: `cdktf deploy` of it stops at plan with
 * the error, and changes nothing; the other stacks deploy as usual.
 */
export class RefusedStack extends TerraformStack {
  constructor(scope: App, id: string, message: string) {
    super(scope, id);
    const error = new TerraformLocal(this, 'error', terraformLiteral(message));
    const output = new TerraformOutput(this, 'configuration_error', { value: error.asString });
    // (TerraformOutput's own `precondition` option is not synthesized by cdktf 0.21;
    // Terraform wants the condition to refer to something, hence the local.)
    output.addOverride('precondition', {
      condition: `\${${error.fqn} == ""}`,
      error_message: terraformLiteral(`${id} is not deployable: ${message}`),
    });
  }
}

/**
 * Adds every stack to the app, each from the settings it reads. A stack with
 * bad settings becomes a {@link RefusedStack}; returns one error line per such
 * stack, naming it. cdktf synthesizes all stacks on every command, so this is
 * what keeps a Docker-only mistake from stopping `cdktf deploy wordpress-k8s`.
 */
export function addStacks(app: App, env: NodeJS.ProcessEnv): string[] {
  const context = (key: string) => app.node.tryGetContext(key);
  const errors: string[] = [];
  for (const { id, target, Stack } of STACKS) {
    try {
      new Stack(app, id, loadConfig(env, context, target));
    } catch (error) {
      if (!(error instanceof ConfigError || error instanceof ValidationError)) throw error;
      app.node.tryRemoveChild(id);
      releaseNames(app, id);
      new RefusedStack(app, id, error.message);
      errors.push(`error: ${id}: ${error.message}`);
    }
  }
  return errors;
}
