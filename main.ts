import { App } from 'cdktf';
import { STACKS, addStacks } from './stacks/app';

/**
 * The cdktf CLI shows the app's stdout as it comes, but its stderr only after
 * its own banner (and not at all when the app succeeds): under the CLI the
 * error goes to stdout so it is the first line the user reads.
 */
const report = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS ? console.log : console.error;

try {
  const app = new App();
  const errors = addStacks(app, process.env);
  errors.forEach((line) => report(line));
  // A setting every stack shares is wrong: nothing to deploy.
  if (errors.length === STACKS.length) process.exit(1);
  if (errors.length) report(`the other stacks synthesized; \`cdktf deploy\` of ${errors.length === 1 ? 'that stack' : 'those stacks'} stops with this error until it is fixed`);
  app.synth();
} catch (error) {
  report(`error: ${(error as Error).message}`);
  process.exit(1);
}
