import { Construct } from 'constructs';
import { ITerraformDependable, dependable } from 'cdktf';
import { Container, ContainerNetworksAdvanced, ContainerPorts } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { DEFAULT_PUBLISH } from './app-model';
import { DockerNetworkOptions, dockerHealthcheck, dockerImage, dockerLabels, dockerName, dockerVolumes, ownNetwork } from './docker-common';
import { claimName } from './names';
import { ServiceDescription, checkService, isSecret, mainPort, terraformLiteral } from './service';
import { checkIntegerInRange, checkIpv4, checkOneOf, checkPort, fail } from './validation';

/** Restart policies of `docker run --restart`. */
export const RESTART_POLICIES = ['no', 'on-failure', 'always', 'unless-stopped'] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

/** How a service runs on Docker, whatever the service is. */
export interface DockerServiceOptions extends DockerNetworkOptions {
  /** `docker run --restart` policy. @default 'unless-stopped' */
  readonly restart?: RestartPolicy;
  /** Whether `deploy` waits until the healthcheck passes. @default false */
  readonly waitForHealthy?: boolean;
  /** Seconds `deploy` waits for health when `waitForHealthy`. @default 300 */
  readonly waitTimeoutSeconds?: number;
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
}

/**
 * One service as one Docker container: its image (kept locally on destroy),
 * a named volume per volume, healthcheck, labels, `cap_drop ALL` plus what it
 * needs. Reachability is explicit: {@link allowFrom} puts a client on this
 * service's own network, {@link publish} binds a host port.
 */
export class DockerService extends Construct {
  public readonly description: ServiceDescription;
  public readonly image: Image;
  public readonly container: Container;
  /** Named volumes by volume name. */
  public readonly volumes: Readonly<Record<string, Volume>>;
  /** The network clients join to reach it, when `ownNetwork`. */
  public readonly network?: Network;
  protected readonly owner: string;
  private readonly attached: ContainerNetworksAdvanced[] = [];
  private readonly dependencies: ITerraformDependable[] = [];
  private readonly published: ContainerPorts[] = [];

  constructor(scope: Construct, id: string, props: DockerServiceProps) {
    super(scope, id);
    const owner = (this.owner = `${new.target.name} ${this.node.path}`);
    const service = props.description;
    const restart = props.restart ?? 'unless-stopped';
    checkService(owner, service);
    checkOneOf(owner, 'restart', restart, RESTART_POLICIES);
    this.description = service;
    const prefix = dockerName(service);
    claimName(this, 'Docker container', prefix);

    this.image = dockerImage(this, service);
    const volumes = (this.volumes = dockerVolumes(this, service));
    this.container = new Container(this, 'container', {
      name: prefix,
      image: this.image.imageId,
      restart,
      env: Object.entries(service.env).map(([key, entry]) =>
        `${key}=${isSecret(entry) ? entry.secret.valueFor(owner) : terraformLiteral(entry.value)}`),
      volumes: service.volumes.map((v) => ({ volumeName: volumes[v.name].name, containerPath: v.path })),
      upload: service.files?.map((f) => ({ file: f.path, content: terraformLiteral(f.content) })),
      // Spelled as the engine reports them back (`CAP_CHOWN`), so a re-apply replaces nothing.
      capabilities: { drop: ['ALL'], add: service.capabilities.map((name) => `CAP_${name}`) },
      healthcheck: dockerHealthcheck(service),
      labels: dockerLabels(service),
    });
    if (props.waitForHealthy) {
      const timeout = props.waitTimeoutSeconds ?? 300;
      checkIntegerInRange(owner, 'waitTimeoutSeconds', timeout, 1, 3600);
      this.container.wait = true;
      this.container.waitTimeout = timeout;
    }
    if (props.ownNetwork) {
      this.network = ownNetwork(this, service);
      this.joinNetwork(this.network);
    }
    for (const network of props.networks ?? []) this.joinNetwork(network);
  }

  /** Joins a network, reachable there by its service name. */
  public joinNetwork(network: Network): void {
    this.attached.push({ name: network.name, aliases: [this.description.name] });
    this.container.putNetworksAdvanced([...this.attached]);
  }

  /** Starts after `dependency` exists (e.g. the server a client connects to). */
  public addDependency(dependency: ITerraformDependable): void {
    this.dependencies.push(dependency);
    this.container.dependsOn = this.dependencies.map((d) => dependable(d));
  }

  /** Lets `client` connect: it joins this service's own network and starts after it. */
  public allowFrom(client: DockerService): void {
    if (!this.network) fail(this.owner, 'ownNetwork', false, 'must be true for allowFrom: clients reach a service on its own network');
    client.joinNetwork(this.network);
    client.addDependency(this.container);
  }

  /** Publishes the main port on the host; returns the URL it answers on. */
  public publish(options: DockerPublishOptions = {}): string {
    const hostPort = options.hostPort ?? DEFAULT_PUBLISH.port;
    const bindAddress = options.bindAddress ?? DEFAULT_PUBLISH.address;
    checkPort(this.owner, 'hostPort', hostPort);
    checkIpv4(this.owner, 'bindAddress', bindAddress);
    this.published.push({ internal: mainPort(this.description).port, external: hostPort, ip: bindAddress, protocol: 'tcp' });
    this.container.putPorts([...this.published]);
    const host = bindAddress === '0.0.0.0' ? DEFAULT_PUBLISH.address : bindAddress;
    return `http://${host}:${hostPort}`;
  }
}
