import { App, TerraformLocal, TerraformOutput, TerraformStack } from 'cdktf';
import { releaseNames } from './constructs/names';
import { terraformLiteral } from './constructs/service';
import { ValidationError } from './constructs/validation';
import { ConfigError, Target, loadConfig } from './stacks/config';
import { DOCKER_STACK, DockerStack } from './stacks/docker-stack';
import { KUBERNETES_STACK, KubernetesStack } from './stacks/kubernetes-stack';

const STACKS: readonly { id: string; target: Target; Stack: typeof DockerStack | typeof KubernetesStack }[] = [
  { id: DOCKER_STACK, target: 'docker', Stack: DockerStack },
  { id: KUBERNETES_STACK, target: 'kubernetes', Stack: KubernetesStack },
];

/**
 * The cdktf CLI shows the app's stdout as it comes, but its stderr only after
 * its own banner (and not at all when the app succeeds): under the CLI the
 * error goes to stdout so it is the first line the user reads.
 */
const report = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS ? console.log : console.error;

/**
 * A stack whose settings are wrong: `cdktf deploy` of it stops at plan with
 * the error, and changes nothing; the other stacks deploy as usual.
 */
class RefusedStack extends TerraformStack {
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

try {
  const app = new App();
  const context = (key: string) => app.node.tryGetContext(key);
  const errors: string[] = [];
  for (const { id, target, Stack } of STACKS) {
    try {
      new Stack(app, id, loadConfig(process.env, context, target));
    } catch (error) {
      if (!(error instanceof ConfigError || error instanceof ValidationError)) throw error;
      app.node.tryRemoveChild(id);
      releaseNames(app, id);
      new RefusedStack(app, id, error.message);
      errors.push(`error: ${id}: ${error.message}`);
    }
  }
  errors.forEach((line) => report(line));
  // A setting every stack shares is wrong: nothing to deploy.
  if (errors.length === STACKS.length) process.exit(1);
  if (errors.length) report(`the other stacks synthesized; \`cdktf deploy\` of ${errors.length === 1 ? 'that stack' : 'those stacks'} stops with this error until it is fixed`);
  app.synth();
} catch (error) {
  report(`error: ${(error as Error).message}`);
  process.exit(1);
}
