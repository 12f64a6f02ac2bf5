import { LABEL } from '../../constructs/app-model';
import { log, run } from './run';

/**
 * What a Docker deployment named `name` (WPCDK_APP_NAME) holds on the engine: its containers
 * (by the part-of label), its networks (`name`, `name-*`) and its volumes (`name-*`).
 */
export async function dockerLeftovers(logName: string, name: string): Promise<string[]> {
  const lines = async (...args: string[]) => (await run(logName, 'docker', args)).stdout.split('\n').filter(Boolean);
  const containers = await lines('ps', '-a', '--filter', `label=${LABEL.partOf}=${name}`, '--format', '{{.Names}}');
  const networks = await lines('network', 'ls', '--filter', `name=^${name}(-|$)`, '--format', '{{.Name}}');
  const volumes = await lines('volume', 'ls', '--filter', `name=^${name}-`, '--format', '{{.Name}}');
  return [...containers.map((c) => `container ${c}`), ...networks.map((n) => `network ${n}`), ...volumes.map((v) => `volume ${v}`)];
}

/**
 * Removes what `dockerLeftovers` lists, for e2e names only: a run that died (or ran in another
 * clone, whose Terraform state is gone) leaves containers, networks and volumes that `cdktf
 * destroy` of this clone's state does not know, and the next deploy fails on "already exists".
 * Returns what it removed.
 */
export async function removeDockerLeftovers(logName: string, name: string): Promise<string[]> {
  if (!/^wpcdk-/.test(name)) throw new Error(`removeDockerLeftovers: "${name}" is not an e2e name (wpcdk-*); it removes volumes`);
  const found = await dockerLeftovers(logName, name);
  const of = (kind: string) => found.filter((f) => f.startsWith(`${kind} `)).map((f) => f.slice(kind.length + 1));
  if (of('container').length) await run(logName, 'docker', ['rm', '-f', '-v', ...of('container')]);
  if (of('network').length) await run(logName, 'docker', ['network', 'rm', ...of('network')]);
  if (of('volume').length) await run(logName, 'docker', ['volume', 'rm', '-f', ...of('volume')]);
  if (found.length) log(logName, `removed what an earlier run left of ${name}: ${found.join(', ')}`);
  return found;
}

/**
 * Runs an e2e's main; on failure prints `<title> FAILED: ...`, removes what the run left of
 * its Docker deployments (`names`: the machine is left as found) and exits 1.
 */
export function runE2e(title: string, logName: string, names: readonly string[], main: () => Promise<void>): void {
  main().catch(async (error) => {
    console.error(`${title} FAILED: ${error instanceof Error ? error.message : error}`);
    for (const name of names) {
      await removeDockerLeftovers(logName, name).catch((e) => console.error(`could not remove what the run left of ${name}: ${e instanceof Error ? e.message : e}`));
    }
    process.exit(1);
  });
}
