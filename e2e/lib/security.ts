/**
 * Security evidence read from the engine, not from the configuration: what each running
 * container really got (`docker inspect`), and Kubernetes pod security helpers.
 */
import { run } from './run';

/** One container's limits and privileges, as the engine reports them. */
export interface ContainerSecurity {
  readonly name: string;
  /** HostConfig.Memory; null when unlimited. */
  readonly memory_limit_bytes: number | null;
  /** HostConfig.PidsLimit; null when unlimited. */
  readonly pids_limit: number | null;
  readonly no_new_privileges: boolean;
  readonly read_only_rootfs: boolean;
  /** Why a value is false or absent; empty when every value is set. */
  readonly reason: string;
}

/** Why Docker containers have no pids limit here. */
export const DOCKER_PIDS_REASON = 'the docker provider (kreuzwerker/docker 3.6.2, and the later build of the offline mirror) has no pids_limit for docker_container; set a daemon-wide limit or use Kubernetes (the kubelet\'s podPidsLimit)';

export type SecurityField = 'memory_limit_bytes' | 'pids_limit' | 'no_new_privileges' | 'read_only_rootfs';

/** Why a field is false or absent on a target, by field (or by container and field). */
export type SecurityReasons = (container: string, field: SecurityField) => string | undefined;

interface Inspected {
  Name: string;
  HostConfig: { Memory?: number; PidsLimit?: number | null; SecurityOpt?: string[] | null; ReadonlyRootfs?: boolean };
}

/** `docker inspect`s `containers` (names or ids) and reports, per container, what it runs with. */
export async function containerSecurity(logName: string, containers: readonly string[], reasons: SecurityReasons = () => undefined): Promise<ContainerSecurity[]> {
  if (containers.length === 0) throw new Error('containerSecurity: no containers given');
  const inspected = JSON.parse((await run(logName, 'docker', ['inspect', ...containers])).stdout) as Inspected[];
  return inspected.map((c) => {
    const name = c.Name.replace(/^\//, '');
    const host = c.HostConfig;
    const memory = host.Memory && host.Memory > 0 ? host.Memory : null;
    const pids = host.PidsLimit && host.PidsLimit > 0 ? host.PidsLimit : null;
    // `no-new-privileges`, `no-new-privileges:true` or `no-new-privileges=true` (docker run's spellings).
    const noNewPrivileges = (host.SecurityOpt ?? []).some((o) => /^no-new-privileges([:=]true)?$/.test(o));
    const readOnly = host.ReadonlyRootfs === true;
    const missing: [SecurityField, boolean][] = [
      ['memory_limit_bytes', memory === null], ['pids_limit', pids === null], ['no_new_privileges', !noNewPrivileges], ['read_only_rootfs', !readOnly],
    ];
    const reason = missing.filter(([, absent]) => absent)
      .map(([field]) => `${field}: ${reasons(name, field) ?? 'not set (no reason known: a regression?)'}`)
      .join('; ');
    return { name, memory_limit_bytes: memory, pids_limit: pids, no_new_privileges: noNewPrivileges, read_only_rootfs: readOnly, reason };
  });
}

/** Fields every container must have set unless `allowed` (target limits with a reason) says otherwise. */
export function securityGaps(containers: readonly ContainerSecurity[], allowed: readonly SecurityField[] = []): string[] {
  const fields: SecurityField[] = ['memory_limit_bytes', 'pids_limit', 'no_new_privileges', 'read_only_rootfs'];
  return containers.flatMap((c) => fields
    .filter((f) => !allowed.includes(f) && (c[f] === null || c[f] === false))
    .map((f) => `${c.name}: ${f} = ${JSON.stringify(c[f])}`));
}

/**
 * A pod spec fragment that passes Pod Security `restricted`: non-root, no privilege
 * escalation, every capability dropped, RuntimeDefault seccomp, read-only root.
 */
export function restrictedSecurityContext(uid: number): { pod: Record<string, unknown>; container: Record<string, unknown> } {
  return {
    pod: { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } },
    container: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
  };
}
