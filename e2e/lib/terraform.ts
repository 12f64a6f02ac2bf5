import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from './run';

const TERRAFORM = process.env.TERRAFORM_BINARY_NAME ?? 'terraform';

/** Where `cdktf deploy` left the stack's Terraform working directory. */
export function stackDir(stack: string): string {
  return join(ROOT, 'cdktf.out', 'stacks', stack);
}

/** Terraform addresses of one resource type in the synthesized stack. */
export function addresses(stack: string, type: string): string[] {
  const config = JSON.parse(readFileSync(join(stackDir(stack), 'cdk.tf.json'), 'utf8'));
  return Object.keys(config.resource?.[type] ?? {}).map((name) => `${type}.${name}`);
}

/** Number of resources a fresh plan would add, change or destroy (0 = the deployed stack is up to date). */
export async function plannedChanges(logName: string, stack: string): Promise<{ count: number; changes: string[] }> {
  const cwd = stackDir(stack);
  await run(logName, TERRAFORM, ['plan', '-input=false', '-no-color', '-out=e2e.tfplan'], { cwd });
  const { stdout } = await run(logName, TERRAFORM, ['show', '-json', 'e2e.tfplan'], { cwd });
  const plan = JSON.parse(stdout) as { resource_changes?: { address: string; change: { actions: string[] } }[] };
  const changes = (plan.resource_changes ?? [])
    .filter((rc) => !rc.change.actions.every((a) => a === 'no-op' || a === 'read'))
    .map((rc) => `${rc.address}: ${rc.change.actions.join('+')}`);
  return { count: changes.length, changes };
}

/** `terraform apply -replace=...` on the deployed stack (cdktf deploy has no -replace). */
export async function applyReplacing(logName: string, stack: string, replace: string[]): Promise<void> {
  await run(logName, TERRAFORM, ['apply', '-input=false', '-no-color', '-auto-approve', ...replace.map((a) => `-replace=${a}`)], { cwd: stackDir(stack) });
}
