/**
 * A service described once, as data, independent of where it runs: image,
 * env contract, ports, volumes, health, capabilities, resources and labels.
 * Each target renders it with one generic building block (`DockerService`,
 * `KubernetesWorkload`, the compose file); MySQL and WordPress are thin
 * configurations of those blocks.
 */
import { Token } from 'cdktf';
import { HEALTH, LABEL } from './app-model';
import {
  checkDnsLabel, checkImage, checkIntegerInRange, checkPort, checkQuantity, checkRequestWithinLimit, checkStorageSize, fail,
} from './validation';

/**
 * A sensitive value (a password). Each target reads it its own way: Docker
 * gets the Terraform value, Kubernetes a `secretKeyRef` (to a Secret the
 * workload writes, or to one that already exists), compose `${VAR}`.
 */
export class SecretValue {
  /** A value Terraform knows (a `random_password` result, a sensitive variable). */
  public static fromTerraform(name: string, value: string): SecretValue {
    return new SecretValue(name, value, undefined);
  }

  /** A key of a Kubernetes Secret that exists outside the stack (Kubernetes targets only). */
  public static fromKubernetesSecret(name: string, secretName: string, key: string): SecretValue {
    return new SecretValue(name, undefined, { name: secretName, key });
  }

  /** A value the deploying shell provides (compose interpolates `${NAME}`); Terraform never sees it. */
  public static fromEnvironment(name: string): SecretValue {
    return new SecretValue(name, undefined, undefined);
  }

  private constructor(
    /** A name for people and for compose's `${VAR}` (`db-password` -> `DB_PASSWORD`). */
    public readonly name: string,
    /** The Terraform expression of the value, when Terraform knows it. */
    public readonly terraformValue: string | undefined,
    /** Where the value lives in the cluster, when it already has a Secret. */
    public readonly kubernetesSecret: { readonly name: string; readonly key: string } | undefined,
  ) {
    checkDnsLabel('SecretValue', 'name', name);
  }

  /** The same value, known to live in the Kubernetes Secret `secretName` under `key`. */
  public storedIn(secretName: string, key: string): SecretValue {
    return new SecretValue(this.name, this.terraformValue, { name: secretName, key });
  }

  /** The value for targets that pass it as it is (Docker); throws where only the cluster has it. */
  public valueFor(owner: string): string {
    if (this.terraformValue === undefined) {
      const where = this.kubernetesSecret ? `only in the Kubernetes Secret "${this.kubernetesSecret.name}"` : 'only in the environment';
      fail(owner, 'secret', this.name, `the value lives ${where}; on this target give it as a Terraform value`);
    }
    return this.terraformValue;
  }

  /** The env variable compose interpolates it from. */
  public get composeVariable(): string {
    return this.name.toUpperCase().replace(/-/g, '_');
  }
}

/** An env entry: a plain value or a secret. */
export type EnvValue = { readonly value: string } | { readonly secret: SecretValue };

export const env = {
  value: (value: string | number): EnvValue => ({ value: String(value) }),
  secret: (secret: SecretValue): EnvValue => ({ secret }),
};

export function isSecret(entry: EnvValue): entry is { readonly secret: SecretValue } {
  return 'secret' in entry;
}

/**
 * Free text passed to Terraform literally: `${...}` and `%{...}` would
 * otherwise be read as Terraform template syntax (splicing another value in,
 * or failing validation). Tokens (values Terraform computes) pass unchanged.
 */
export function terraformLiteral(value: string): string {
  if (Token.isUnresolved(value)) return value;
  return value.replace(/([$%])\{/g, (_match, sign: string) => `${sign}${sign}{`);
}

export interface ServicePort {
  /** Port name (Kubernetes port name, Service port name). */
  readonly name: string;
  readonly port: number;
}

export interface ServiceVolume {
  /** Short name: the construct id, and the suffix of the Docker volume / PVC name. */
  readonly name: string;
  /** Mount path inside the container. */
  readonly path: string;
  /** Requested size where the target sizes volumes (a Kubernetes quantity). */
  readonly size: string;
}

/** A file the service reads (a configuration), given by content. */
export interface ServiceFile {
  /** Absolute path inside the container. */
  readonly path: string;
  readonly content: string;
  /**
   * It holds a secret (a password): Kubernetes mounts it from the workload's Secret instead
   * of a ConfigMap; Docker uploads it like any file (the value lives in the Terraform state,
   * as secret env values do). @default false
   */
  readonly secret?: boolean;
  /**
   * Changes whenever the content does, for content Terraform reads at apply time (a
   * `file()` expression): Swarm names its immutable configs and secrets by it.
   * @default - a hash of `content`
   */
  readonly version?: string;
}

export interface ServiceHealth {
  /** A check run inside the container: Docker healthcheck, Kubernetes readiness (unless `httpPath`). */
  readonly command: readonly string[];
  /** Where the target can probe readiness over HTTP on the first port instead. @default - the command */
  readonly httpPath?: string;
}

export interface ComputeResources {
  readonly cpuRequest: string;
  /** Most CPU it may use (Kubernetes `limits.cpu`, Docker `cpus`, Swarm `nano_cpus` limit). */
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/** A numeric user and group: what an image runs its server as, and owns its files as. */
export interface UserIds {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Least privilege, written once: who the process runs as and what it may write. Every target
 * keeps the rest of the root filesystem read-only and drops every capability except
 * {@link ServiceDescription.capabilities} (which only a root entrypoint uses).
 */
export interface ServiceSecurity {
  /**
   * The user and group the image runs its server as (and writes its volumes as). Kubernetes runs
   * the whole container as it (`runAsUser`, `runAsGroup`, `fsGroup`, `runAsNonRoot`); Docker and
   * Swarm let the image's entrypoint start as root and drop to it, as the official images do by
   * default (they fix the ownership of a volume another image wrote).
   * @default - root: only for Docker-only agents (cAdvisor reads the engine's cgroups); Kubernetes refuses it
   */
  readonly user?: UserIds;
  /**
   * Paths outside its volumes it must write (sockets, pid files, a copy of the code): an emptyDir
   * on Kubernetes, a tmpfs on Docker and Swarm; the root filesystem itself is read-only.
   * @default - none
   */
  readonly writablePaths?: readonly string[];
  /**
   * The image reads each secret `VAR` from the file named by `VAR_FILE` (the official wordpress
   * and mysql images do): Kubernetes and Swarm mount secrets as files instead of env values.
   * @default false
   */
  readonly secretsAsFiles?: boolean;
}

/** How a target keeps a service's data (its volumes). */
export interface DataProtectionOptions {
  /**
   * Terraform's `prevent_destroy` on the volumes: a plan that would destroy or replace one
   * (`cdktf destroy`, a changed volume setting) stops with an error and changes nothing.
   * @default true
   */
  readonly protectData?: boolean;
}

/** The Terraform lifecycle of a resource holding data. */
export function dataLifecycle(options: DataProtectionOptions): { preventDestroy: boolean } {
  return { preventDestroy: options.protectData ?? true };
}

/** One service, every fact a target needs to run it. */
export interface ServiceDescription {
  /** Any DNS-1123 label: the Kubernetes object names, the Docker name suffix, the label value. */
  readonly name: string;
  readonly image: string;
  readonly env: Readonly<Record<string, EnvValue>>;
  /** Ports it listens on; the first is its main port (probes, published port). */
  readonly ports: readonly ServicePort[];
  readonly volumes: readonly ServiceVolume[];
  /** Configuration files, read-only. @default - none */
  readonly files?: readonly ServiceFile[];
  /** Arguments to the image's entrypoint (Docker `command`, Kubernetes `args`). @default - the image's CMD */
  readonly args?: readonly string[];
  /**
   * Containers that share this service's network namespace (a Kubernetes pod's other
   * containers; on Docker `network_mode: container:<this>`), e.g. an exporter reading an
   * endpoint that answers on the loopback address only. They have no volumes of their own;
   * their ports are reached at this service's address. @default - none
   */
  readonly sidecars?: readonly ServiceDescription[];
  readonly health: ServiceHealth;
  /**
   * Linux capabilities added after dropping all, for an entrypoint that starts as root (Docker,
   * Swarm). Kubernetes runs as {@link ServiceSecurity.user} from the start and adds none.
   */
  readonly capabilities: readonly string[];
  readonly resources: ComputeResources;
  readonly security: ServiceSecurity;
  /** Value of the `part-of` label and prefix of the Docker names. */
  readonly appName: string;
}

/** The labels that select a service's pods / containers (a subset that never changes). */
export function selectorOf(service: Pick<ServiceDescription, 'name' | 'appName'>): Record<string, string> {
  return { [LABEL.component]: service.name, [LABEL.partOf]: service.appName };
}

/** Labels put on every container, pod and object of a service. */
export function labelsOf(service: Pick<ServiceDescription, 'name' | 'appName'>): Record<string, string> {
  return { ...selectorOf(service), [LABEL.managedBy]: 'cdktf' };
}

export function mainPort(service: ServiceDescription): ServicePort {
  return service.ports[0];
}

/** The port named `name` (default: the main port); throws naming the ports there are. */
export function namedPort(owner: string, service: ServiceDescription, name?: string): ServicePort {
  if (name === undefined) return mainPort(service);
  return service.ports.find((p) => p.name === name)
    ?? fail(owner, 'portName', name, `must be one of the service's ports: ${service.ports.map((p) => `'${p.name}'`).join(', ')}`);
}

/** Health timing shared by every target. */
export { HEALTH };

/** Checks a description eagerly; `owner` names the construct in the error. */
export function checkService(owner: string, service: ServiceDescription): void {
  checkDnsLabel(owner, 'name', service.name);
  checkDnsLabel(owner, 'appName', service.appName, 40);
  checkImage(owner, 'image', service.image);
  if (service.ports.length === 0) fail(owner, 'ports', service.ports, 'must list at least one port');
  for (const [i, port] of service.ports.entries()) {
    checkPort(owner, `ports[${i}].port`, port.port);
    checkDnsLabel(owner, `ports[${i}].name`, port.name, 15);
  }
  for (const [i, volume] of service.volumes.entries()) {
    checkDnsLabel(owner, `volumes[${i}].name`, volume.name);
    checkStorageSize(owner, 'storageSize', volume.size);
    if (!volume.path.startsWith('/')) fail(owner, `volumes[${i}].path`, volume.path, 'must be an absolute path');
  }
  for (const [i, file] of (service.files ?? []).entries()) {
    if (!file.path.startsWith('/')) fail(owner, `files[${i}].path`, file.path, 'must be an absolute path');
  }
  for (const key of Object.keys(service.env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) fail(owner, 'env', key, 'must be an env variable name (letters, digits, _)');
  }
  const { resources } = service;
  checkQuantity(owner, 'resources.cpuRequest', resources.cpuRequest);
  checkQuantity(owner, 'resources.memoryRequest', resources.memoryRequest);
  checkQuantity(owner, 'resources.memoryLimit', resources.memoryLimit);
  checkRequestWithinLimit(owner, 'resources.memoryRequest', resources.memoryRequest, 'resources.memoryLimit', resources.memoryLimit);
  checkQuantity(owner, 'resources.cpuLimit', resources.cpuLimit);
  checkRequestWithinLimit(owner, 'resources.cpuRequest', resources.cpuRequest, 'resources.cpuLimit', resources.cpuLimit);
  const { user, writablePaths = [] } = service.security;
  if (user) {
    checkIntegerInRange(owner, 'security.user.uid', user.uid, 1, 2147483647);
    checkIntegerInRange(owner, 'security.user.gid', user.gid, 1, 2147483647);
  }
  for (const [i, path] of writablePaths.entries()) {
    if (!path.startsWith('/') || path === '/') fail(owner, `security.writablePaths[${i}]`, path, 'must be an absolute path below /');
  }
  checkSidecars(owner, service);
}

/** Sidecars share the network namespace: no port twice, unique names, no volumes, no nesting. */
function checkSidecars(owner: string, service: ServiceDescription): void {
  const ports = new Map(service.ports.map((p) => [p.port, service.name]));
  const names = new Set([service.name]);
  for (const [i, sidecar] of (service.sidecars ?? []).entries()) {
    const prop = `sidecars[${i}]`;
    checkService(`${owner} ${prop}`, sidecar);
    if (names.has(sidecar.name)) fail(owner, `${prop}.name`, sidecar.name, 'must differ from the service\'s and the other sidecars\' names');
    names.add(sidecar.name);
    if (sidecar.volumes.length > 0) fail(owner, `${prop}.volumes`, sidecar.volumes.map((v) => v.name), 'must be empty: a sidecar keeps no data of its own');
    if (sidecar.sidecars?.length) fail(owner, `${prop}.sidecars`, sidecar.sidecars.map((s) => s.name), 'must be empty: sidecars do not nest');
    for (const { port } of sidecar.ports) {
      const user = ports.get(port);
      if (user !== undefined) fail(owner, `${prop}.ports`, port, `is already used by ${user} in the same network namespace`);
      ports.set(port, sidecar.name);
    }
  }
}
