import { App, TerraformLocal, TerraformOutput, TerraformStack } from 'cdktf';
import { releaseNames } from '../constructs/names';
import { terraformLiteral } from '../constructs/service';
import { ValidationError } from '../constructs/validation';
import { ConfigError, Target, loadConfig } from './config';
import { DOCKER_STACK, DockerStack } from './docker-stack';
import { KUBERNETES_STACK, KubernetesStack } from './kubernetes-stack';
import { stateBackend } from './state-backend';
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

/** Where the app prints its error lines (the cdktf CLI passes CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS). */
export function errorStream(env: NodeJS.ProcessEnv): 'stdout' | 'stderr' {
  // The CLI shows the app's stdout as it comes, but its stderr only after its own banner
  // (and not at all when the app succeeds): under the CLI errors go to stdout, first in view.
  return env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS ? 'stdout' : 'stderr';
}

/**
 * Builds and synthesizes the app as `cdktf synth` runs it; returns the exit
 * code: 1 when no stack can be deployed (a shared setting is wrong), else 0,
 * with one line per stack that refuses to deploy.
 */
export function runApp(app: App, env: NodeJS.ProcessEnv, print: (line: string) => void): number {
  try {
    const errors = addStacks(app, env);
    errors.forEach((line) => print(line));
    if (errors.length === STACKS.length) return 1;
    if (errors.length) print(`the other stacks synthesized; \`cdktf deploy\` of ${errors.length === 1 ? 'that stack' : 'those stacks'} stops with this error until it is fixed`);
    app.synth();
    return 0;
  } catch (error) {
    print(`error: ${(error as Error).message}`);
    return 1;
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
      const config = loadConfig(env, context, target);
      stateBackend(new Stack(app, id, config), config);
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
