import { IConstruct } from 'constructs';
import { TerraformStack, Token } from 'cdktf';

/**
 * Names that must be unique outside Terraform's view: two stacks of one app
 * creating the same Docker container or the same namespace would fight over
 * it at deploy time. Each claim is recorded per app, so a clash fails at synth
 * and names both stacks.
 */
const claims = new WeakMap<IConstruct, Map<string, string>>();

export function claimName(scope: IConstruct, kind: string, name: string): void {
  if (Token.isUnresolved(name)) return;
  const root = scope.node.root;
  const byName = claims.get(root) ?? new Map<string, string>();
  claims.set(root, byName);
  const stack = TerraformStack.of(scope).node.id;
  const key = `${kind} "${name}"`;
  const owner = byName.get(key);
  if (owner !== undefined) {
    const where = owner === stack ? `twice in stack "${stack}"` : `by both stack "${owner}" and stack "${stack}"`;
    throw new Error(`${key} would be created ${where}: give one of them another name (e.g. WPCDK_APP_NAME or WPCDK_NAMESPACE)`);
  }
  byName.set(key, stack);
}

/** Forgets the claims of a stack that was dropped from the app (it failed to build). */
export function releaseNames(root: IConstruct, stackId: string): void {
  const byName = claims.get(root);
  for (const [key, owner] of byName ?? []) if (owner === stackId) byName!.delete(key);
}
