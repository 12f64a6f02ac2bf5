import { Construct } from 'constructs';
import { ITerraformDependable, dependable } from 'cdktf';
import { Container, ContainerNetworksAdvanced, ContainerPorts } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { DEFAULT_PUBLISH } from './app-model';
import { DOCKER_LOG, DockerNetworkOptions, dockerHealthcheck, dockerImage, dockerLabels, dockerName, dockerVolumes, ownNetwork } from './docker-common';
import { claimName } from './names';
import { DataProtectionOptions, ServiceDescription, checkService, isSecret, namedPort, terraformLiteral } from './service';
import { checkIntegerInRange, checkIpv4, checkOneOf, checkPort, fail, quantityValue } from './validation';

/** Restart policies of `docker run --restart`. */
export const RESTART_POLICIES = ['no', 'on-failure', 'always', 'unless-stopped'] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

/** How a service runs on Docker, whatever the service is. */
export interface DockerServiceOptions extends DockerNetworkOptions, DataProtectionOptions {
  /** `docker run --restart` policy. @default 'unless-stopped' */
  readonly restart?: RestartPolicy;
  /** Whether `deploy` waits until the healthcheck passes. @default false */
  readonly waitForHealthy?: boolean;
  /** Seconds `deploy` waits for health when `waitForHealthy`. @default 300 */
  readonly waitTimeoutSeconds?: number;
  /**
   * Containers of the service (`docker-compose scale`): `<appName>-<name>`, then `-2`, `-3`...,
   * sharing its volumes and answering to its name on every network (a load balancer in front
   * publishes them). Changing it adds or removes containers only. @default 1
   */
  readonly replicas?: number;
  /**
   * Host paths bind-mounted into the container (a host agent such as cAdvisor reads the
   * engine's cgroups and state this way). Docker only. @default - none
   */
  readonly hostMounts?: readonly DockerHostMount[];
}

/** Options of the tmpfs mounted on each writable path of a read-only container. */
const TMPFS_OPTIONS = 'rw,nosuid,nodev,noexec';

/**
 * The CPU limit as `docker_container.cpus`, spelled as the provider reads it back (one decimal:
 * "1.0"), so a re-apply replaces nothing; a limit it cannot spell exactly is refused.
 */
export function dockerCpus(owner: string, service: ServiceDescription): string {
  const limit = service.resources.cpuLimit;
  const tenths = quantityValue(limit) * 10;
  if (Math.abs(tenths - Math.round(tenths)) > 1e-9 || tenths < 1) {
    fail(owner, `${service.name} resources.cpuLimit`, limit, "must be a multiple of 100m on Docker (its CPU limit has one decimal, e.g. '500m', '1', '1.5')");
  }
  return (Math.round(tenths) / 10).toFixed(1);
}

/**
 * Whether a container of `service` can run with a read-only root filesystem on Docker, and if
 * not, why: the provider uploads files into the container before it starts (`docker cp`), which
 * the engine refuses on a read-only root.
 */
export function dockerReadOnlyRoot(service: ServiceDescription): { readOnly: boolean; reason: string } {
  if (service.files?.length) {
    return { readOnly: false, reason: `its files (${service.files.map((f) => f.path).join(', ')}) are uploaded into the root filesystem, which the engine refuses when it is read-only` };
  }
  return { readOnly: true, reason: '' };
}

/**
 * How a container of `service` runs on a Docker engine, whichever tool creates it: the Docker
 * stack's containers and the docker-compose file they are measured against (e2e/compose.ts) both
 * render this. Privileges, root filesystem, memory and CPU limits, logs.
 */
export function dockerRuntime(owner: string, service: ServiceDescription) {
  const { readOnly } = dockerReadOnlyRoot(service);
  const writable = service.security.writablePaths ?? [];
  return {
    // The entrypoint may drop from root to the image's user, never gain privileges (setuid binaries).
    securityOpts: ['no-new-privileges:true'],
    readOnly,
    /** A tmpfs on each writable path of a read-only root, by path. */
    tmpfs: readOnly && writable.length > 0 ? Object.fromEntries(writable.map((path) => [path, TMPFS_OPTIONS])) : undefined,
    /** The memory limit, which is also the memory + swap limit (no swap beyond it). */
    memoryMb: Math.round(quantityValue(service.resources.memoryLimit) / 2 ** 20),
    cpus: dockerCpus(owner, service),
    log: DOCKER_LOG,
  };
}

/** A host path bind-mounted into a container. */
export interface DockerHostMount {
  /** Absolute path on the Docker host. */
  readonly hostPath: string;
  /** Absolute path inside the container. */
  readonly path: string;
  /** @default true */
  readonly readOnly?: boolean;
}

/** Props for {@link DockerService}. */
export interface DockerServiceProps extends DockerServiceOptions {
  readonly description: ServiceDescription;
}

/** Where {@link DockerService.publish} binds a port on the host. */
export interface DockerPublishOptions {
  /** @default 8080 */
  readonly hostPort?: number;
  /** '0.0.0.0' exposes it to the LAN. @default '127.0.0.1' */
  readonly bindAddress?: string;
  /** Which of the service's ports (by name). @default - the main (first) port */
  readonly portName?: string;
}

/**
 * One service as Docker containers (one, or `replicas`): its image (kept locally on destroy),
 * a named volume per volume, healthcheck, labels, `cap_drop ALL` plus what it
 * needs, `no-new-privileges`, memory and CPU limits, rotated logs and a
 * read-only root filesystem with a tmpfs per writable path. Reachability is explicit: {@link allowFrom} puts a client on this
 * service's own network, {@link publish} binds a host port.
 */
export class DockerService extends Construct {
  public readonly description: ServiceDescription;
  public readonly image: Image;
  /** The first container. */
  public readonly container: Container;
  /** Every container, the first first. */
  public readonly containers: readonly Container[];
  /** Named volumes by volume name. */
  public readonly volumes: Readonly<Record<string, Volume>>;
  /** The containers of each sidecar (one per replica, in its network namespace), by sidecar name. */
  public readonly sidecarContainers: Readonly<Record<string, readonly Container[]>>;
  /** The network clients join to reach it, when `ownNetwork`. */
  public readonly network?: Network;
  protected readonly owner: string;
  private readonly attached: ContainerNetworksAdvanced[] = [];
  private readonly dependencies: ITerraformDependable[] = [];
  private readonly published: ContainerPorts[] = [];
  private readonly restart: RestartPolicy;
  private readonly hostMounts: readonly DockerHostMount[];

  constructor(scope: Construct, id: string, props: DockerServiceProps) {
    super(scope, id);
    const owner = (this.owner = `${new.target.name} ${this.node.path}`);
    const service = props.description;
    const restart = (this.restart = props.restart ?? 'unless-stopped');
    const replicas = props.replicas ?? 1;
    checkService(owner, service);
    checkOneOf(owner, 'restart', restart, RESTART_POLICIES);
    checkIntegerInRange(owner, 'replicas', replicas, 1, 20);
    this.hostMounts = props.hostMounts ?? [];
    for (const [i, mount] of this.hostMounts.entries()) {
      if (!mount.hostPath.startsWith('/')) fail(owner, `hostMounts[${i}].hostPath`, mount.hostPath, 'must be an absolute path');
      if (!mount.path.startsWith('/')) fail(owner, `hostMounts[${i}].path`, mount.path, 'must be an absolute path');
    }
    this.description = service;
    const prefix = dockerName(service);

    this.image = dockerImage(this, service);
    this.volumes = dockerVolumes(this, service, props);
    // The first container keeps the address and name of a single one: scaling adds and removes the others.
    this.containers = Array.from({ length: replicas }, (_, i) => this.newContainer(i === 0 ? 'container' : `container-${i + 1}`, i === 0 ? prefix : `${prefix}-${i + 1}`));
    [this.container] = this.containers;
    this.sidecarContainers = Object.fromEntries((service.sidecars ?? []).map((sidecar) => [sidecar.name, this.newSidecars(sidecar)]));
    if (props.waitForHealthy) {
      const timeout = props.waitTimeoutSeconds ?? 300;
      checkIntegerInRange(owner, 'waitTimeoutSeconds', timeout, 1, 3600);
      for (const container of this.containers) {
        container.wait = true;
        container.waitTimeout = timeout;
      }
    }
    if (props.ownNetwork) {
      this.network = ownNetwork(this, service);
      this.joinNetwork(this.network);
    }
    for (const network of props.networks ?? []) this.joinNetwork(network);
  }

  /** Joins a network, reachable there by its service name (every container: DNS lists them all). */
  public joinNetwork(network: Network): void {
    this.attached.push({ name: network.name, aliases: [this.description.name] });
    for (const container of this.containers) container.putNetworksAdvanced([...this.attached]);
  }

  /** Is created after `dependency` (e.g. the load balancer after its backends, whose host port it takes over). */
  public addDependency(dependency: ITerraformDependable): void {
    this.dependencies.push(dependency);
    for (const container of this.containers) container.dependsOn = this.dependencies.map((d) => dependable(d));
  }

  /**
   * Lets `client` connect: it joins this service's own network. Its containers are created beside
   * this service's, not after them: a client looks the service up by name on each connection and
   * retries (WordPress answers "Error establishing a database connection" until MySQL is ready,
   * health checks and probes wait for that), and Terraform can only order whole resources, so an
   * order would hold the client's create until the server's container has started (~0.3 s of every
   * first deploy here). What must come after another resource says so with {@link addDependency}
   * (the load balancer, after its backends).
   */
  public allowFrom(client: DockerService): void {
    if (!this.network) fail(this.owner, 'ownNetwork', false, 'must be true for allowFrom: clients reach a service on its own network');
    client.joinNetwork(this.network);
  }

  private newContainer(id: string, name: string): Container {
    const service = this.description;
    claimName(this, 'Docker container', name);
    const hostMounts = this.hostMounts.map((m) => ({ hostPath: m.hostPath, containerPath: m.path, readOnly: m.readOnly ?? true }));
    return new Container(this, id, {
      ...this.containerConfig(service, this.image),
      name,
      volumes: [...service.volumes.map((v) => ({ volumeName: this.volumes[v.name].name, containerPath: v.path })), ...hostMounts],
    });
  }

  /** What every container of `service` runs with (the service's own, or a sidecar's). */
  private containerConfig(service: ServiceDescription, image: Image) {
    const runtime = dockerRuntime(this.owner, service);
    return {
      image: image.imageId,
      restart: this.restart,
      env: Object.entries(service.env).map(([key, entry]) =>
        `${key}=${isSecret(entry) ? entry.secret.valueFor(this.owner) : terraformLiteral(entry.value)}`),
      command: service.args?.map((arg) => terraformLiteral(arg)),
      upload: service.files?.map((f) => ({ file: f.path, content: terraformLiteral(f.content) })),
      // Spelled as the engine reports them back (`CAP_CHOWN`), so a re-apply replaces nothing.
      capabilities: { drop: ['ALL'], add: service.capabilities.map((cap) => `CAP_${cap}`) },
      securityOpts: [...runtime.securityOpts],
      readOnly: runtime.readOnly,
      tmpfs: runtime.tmpfs,
      memory: runtime.memoryMb,
      // Memory and swap together: no swap beyond the limit (and the engine reports it back as set: no diff).
      memorySwap: runtime.memoryMb,
      cpus: runtime.cpus,
      logDriver: runtime.log.driver,
      logOpts: { ...runtime.log.options },
      healthcheck: dockerHealthcheck(service),
      labels: dockerLabels(service),
    };
  }

  /** A sidecar's container next to each container of the service, in its network namespace. */
  private newSidecars(sidecar: ServiceDescription): Container[] {
    const image = new Image(this, `${sidecar.name}-image`, { name: sidecar.image, keepLocally: true });
    return this.containers.map((main, i) => {
      const name = `${dockerName(this.description)}-${sidecar.name}${i === 0 ? '' : `-${i + 1}`}`;
      claimName(this, 'Docker container', name);
      // By id: the engine reports `container:<id>` back, and a replaced service container replaces its sidecar.
      return new Container(this, i === 0 ? sidecar.name : `${sidecar.name}-${i + 1}`, {
        ...this.containerConfig(sidecar, image), name, networkMode: `container:${main.id}`,
      });
    });
  }

  /** Publishes the main port on the host; returns the URL it answers on. */
  public publish(options: DockerPublishOptions = {}): string {
    const hostPort = options.hostPort ?? DEFAULT_PUBLISH.port;
    const bindAddress = options.bindAddress ?? DEFAULT_PUBLISH.address;
    checkPort(this.owner, 'hostPort', hostPort);
    checkIpv4(this.owner, 'bindAddress', bindAddress);
    if (this.containers.length > 1) {
      fail(this.owner, 'replicas', this.containers.length, 'a host port is bound by one container: publish replicas through a load balancer (LoadBalancerDocker)');
    }
    this.published.push({ internal: namedPort(this.owner, this.description, options.portName).port, external: hostPort, ip: bindAddress, protocol: 'tcp' });
    this.container.putPorts([...this.published]);
    const host = bindAddress === '0.0.0.0' ? DEFAULT_PUBLISH.address : bindAddress;
    return `http://${host}:${hostPort}`;
  }
}
