import { App, TerraformLocal, TerraformOutput, TerraformStack } from 'cdktf';
import { releaseNames } from '../constructs/names';
import { terraformLiteral } from '../constructs/service';
import { ValidationError } from '../constructs/validation';
import { ConfigError, SETTINGS, Target, loadConfig } from './config';
import type { DockerStack } from './docker-stack';
import { DOCKER_STACK, KUBERNETES_STACK, SWARM_STACK } from './ids';
import type { KubernetesStack } from './kubernetes-stack';
import { stateBackend } from './state-backend';
import type { SwarmStack } from './swarm-stack';

type StackClass = typeof DockerStack | typeof SwarmStack | typeof KubernetesStack;

/**
 * The stacks, each loaded when it is built: a stack's module loads its provider's bindings
 * (the Kubernetes ones are the heaviest), so an app building one stack loads only its own.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const STACKS: readonly { id: string; target: Target; load: () => StackClass }[] = [
  { id: DOCKER_STACK, target: 'docker', load: () => require('./docker-stack').DockerStack },
  { id: SWARM_STACK, target: 'swarm', load: () => require('./swarm-stack').SwarmStack },
  { id: KUBERNETES_STACK, target: 'kubernetes', load: () => require('./kubernetes-stack').KubernetesStack },
];
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The stacks the app builds: `WPCDK_STACKS` (comma-separated ids, as `npm run deploy` and the
 * other npm scripts set it to the one stack they deploy), else every stack. `cdktf deploy
 * <stack>` needs only that stack synthesized; the others cost their synth time for nothing.
 */
export function selectedStacks(env: NodeJS.ProcessEnv, context: (key: string) => unknown = () => undefined): typeof STACKS {
  const fromEnv = env[SETTINGS.stacks.env];
  const raw = fromEnv !== undefined && fromEnv !== '' ? fromEnv : context('stacks');
  if (raw === undefined || raw === '') return STACKS;
  const source = fromEnv ? SETTINGS.stacks.env : 'cdktf.json context "stacks"';
  const ids = SETTINGS.stacks.parse(raw, source).split(',').map((id) => id.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !STACKS.some((s) => s.id === id));
  if (unknown.length || !ids.length) {
    throw new ConfigError(`${source}=${JSON.stringify(raw)} is invalid: must be a comma-separated list of ${STACKS.map((s) => s.id).join(', ')}`);
  }
  return STACKS.filter((s) => ids.includes(s.id));
}

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
    const stacks = selectedStacks(env, (key) => app.node.tryGetContext(key));
    const errors = addStacks(app, env, stacks);
    errors.forEach((line) => print(line));
    if (errors.length === stacks.length) return 1;
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
export function addStacks(app: App, env: NodeJS.ProcessEnv, stacks: typeof STACKS = STACKS): string[] {
  const context = (key: string) => app.node.tryGetContext(key);
  const errors: string[] = [];
  for (const { id, target, load } of stacks) {
    try {
      const config = loadConfig(env, context, target);
      const Stack = load();
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
