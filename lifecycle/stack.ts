import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, Target, loadConfig } from '../stacks/config';
import { STACK_TARGETS } from '../stacks/ids';

/** The project root: where cdktf.json and the stacks' state files are. */
export const ROOT = join(__dirname, '..');

export class StackError extends Error {}

/** A deployed stack: its target, the settings it was read with and its site URL. */
export interface DeployedStack {
  readonly id: string;
  readonly target: Target;
  readonly config: AppConfig;
  /** The stack's output `url`. */
  readonly url: string;
}

/** cdktf.json's `context`, as the stacks read it. */
export function cdktfContext(root: string): (key: string) => unknown {
  const file = join(root, 'cdktf.json');
  const context = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {}) : {};
  return (key) => context[key];
}

/** `terraform.<stack>.tfstate`: where the local backend keeps the stack's state. */
export function stateFile(root: string, id: string): string {
  return join(root, `terraform.${id}.tfstate`);
}

/**
 * The stack `id` as deployed, with the settings the stacks read (env, then
 * cdktf.json context). Refuses an unknown stack, one that is not deployed and
 * one using an external database (its data is not the stack's to move).
 */
export function deployedStack(id: string, env: NodeJS.ProcessEnv, root: string = ROOT): DeployedStack {
  const target = STACK_TARGETS[id];
  if (!target) throw new StackError(`unknown stack "${id}": expected one of ${Object.keys(STACK_TARGETS).join(', ')}`);
  const config = loadConfig(env, cdktfContext(root), target);
  if (config.databaseHost !== undefined) {
    throw new StackError(`${id} uses an external database (${config.sources.databaseHost}=${config.databaseHost}): backup, restore and migrate are not supported for it; use the database's own backups`);
  }
  const file = stateFile(root, id);
  const deploy = `deploy it first (cdktf deploy ${id}) with the same settings`;
  if (!existsSync(file)) throw new StackError(`${id} is not deployed: ${file} does not exist; ${deploy}`);
  let url: unknown;
  try {
    url = (JSON.parse(readFileSync(file, 'utf8')) as { outputs?: { url?: { value?: unknown } } }).outputs?.url?.value;
  } catch (error) {
    throw new StackError(`${id}: cannot read ${file}: ${(error as Error).message}`);
  }
  if (typeof url !== 'string' || url === '') throw new StackError(`${id} is not deployed: ${file} has no output "url"; ${deploy}`);
  return { id, target, config, url };
}
