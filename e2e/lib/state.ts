import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './run';

interface State { resources?: { type: string; instances: { attributes?: { name?: string; metadata?: { name?: string }[] } }[] }[] }

/**
 * The e2e deploys and destroys the stack with its own names, but the stack's
 * state file is the user's too. Refuses to touch a state that holds anything
 * else (the user's own deployment) instead of replacing it.
 */
export function assertStateHoldsOnly(stack: string, types: string[], isOurs: (name: string) => boolean): void {
  const file = join(ROOT, `terraform.${stack}.tfstate`);
  if (!existsSync(file)) return;
  const state = JSON.parse(readFileSync(file, 'utf8')) as State;
  const foreign = (state.resources ?? [])
    .filter((r) => types.includes(r.type))
    .flatMap((r) => r.instances.map((i) => i.attributes?.name ?? i.attributes?.metadata?.[0]?.name ?? ''))
    .filter((name) => !isOurs(name));
  if (foreign.length > 0) {
    throw new Error(`${file} holds a deployment that is not the e2e's (${foreign.join(', ')}); ` +
      `destroy it (cdktf destroy ${stack}) or move the state file away, then run the e2e again`);
  }
}
