import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { Config } from '@cdktf/provider-docker/lib/config';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Secret } from '@cdktf/provider-docker/lib/secret';
import { Service, ServiceEndpointSpecPorts, ServiceTaskSpecNetworksAdvanced } from '@cdktf/provider-docker/lib/service';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { DEFAULT_PUBLISH } from './app-model';
import { ENDPOINT_MODES, EndpointMode, NETWORK_KEYS, NetworkKey, PUBLISH_MODES, PublishMode, UPDATE_ORDERS, UpdateOrder } from './choices';
import { DOCKER_LOG, DockerNetworkOptions, dockerHealthcheck, dockerImage, dockerLabels, dockerName, dockerVolumes, ownNetwork, swarmDuration } from './docker-common';
import { claimName } from './names';
import { DataProtectionOptions, ServiceDescription, checkService, isSecret, namedPort, terraformLiteral } from './service';
import { checkIntegerInRange, checkOneOf, checkPort, fail, quantityValue } from './validation';

/** How a service runs on Docker Swarm, whatever the service is. */
export interface SwarmServiceOptions extends DockerNetworkOptions, DataProtectionOptions {
  /** Number of tasks. Volumes are node-local named volumes: tasks share them on one node. @default 1 */
  readonly replicas?: number;
  /**
   * `dnsrr`: the service name resolves to every task (works without IPVS, publishes in host mode);
   * `vip`: one virtual IP balanced by IPVS, needed by the ingress routing mesh. @default 'dnsrr'
   */
  readonly endpointMode?: EndpointMode;
  /** Rolling updates: start the new task before stopping the old one, or the reverse. @default 'start-first' */
  readonly updateOrder?: UpdateOrder;
  /** Seconds `deploy` waits for every task to run. @default 300 */
  readonly convergeTimeoutSeconds?: number;
  /**
   * The attribute of `networks_advanced` that names a network: `name` in kreuzwerker/docker 3.x
   * (the pinned release), `id` in later builds, which deprecate `name` and replace the service on
   * every apply when it is used. @default 'name'
   */
  readonly networkKey?: NetworkKey;
}

/** Props for {@link SwarmService}. */
export interface SwarmServiceProps extends SwarmServiceOptions {
  readonly description: ServiceDescription;
}

/** Where {@link SwarmService.publish} binds the main port. */
export interface SwarmPublishOptions {
  /** @default 8080 */
  readonly hostPort?: number;
  /**
   * `host`: each task's node binds the port (works without IPVS; one task per node for the port);
   * `ingress`: the routing mesh answers on every node (needs IPVS and endpointMode 'vip'). @default 'host'
   */
  readonly mode?: PublishMode;
  /** Which of the service's ports (by name). @default - the main (first) port */
  readonly portName?: string;
}

/**
 * One service as a Docker Swarm service: replicated tasks with the image,
 * named volumes, healthcheck, labels and capabilities of the description;
 * secret env values become Swarm secrets mounted as files and read through
 * the images' `*_FILE` variables (no password in any env); files become
 * Swarm configs. Rolling updates roll back on failure.
 */
export class SwarmService extends Construct {
  public readonly description: ServiceDescription;
  public readonly image: Image;
  public readonly service: Service;
  public readonly volumes: Readonly<Record<string, Volume>>;
  /** Swarm secrets by env variable name. */
  public readonly secrets: Readonly<Record<string, Secret>>;
  /** The overlay network clients join to reach it, when `ownNetwork`. */
  public readonly network?: Network;
  public readonly replicas: number;
  protected readonly owner: string;
  private readonly attached: ServiceTaskSpecNetworksAdvanced[] = [];
  private readonly published: ServiceEndpointSpecPorts[] = [];
  private readonly endpointMode: EndpointMode;
  private readonly networkKey: NetworkKey;

  constructor(scope: Construct, id: string, props: SwarmServiceProps) {
    super(scope, id);
    const owner = (this.owner = `${new.target.name} ${this.node.path}`);
    const service = (this.description = props.description);
    const replicas = (this.replicas = props.replicas ?? 1);
    const endpointMode = (this.endpointMode = props.endpointMode ?? 'dnsrr');
    const updateOrder = props.updateOrder ?? 'start-first';
    const converge = props.convergeTimeoutSeconds ?? 300;
    const networkKey = (this.networkKey = props.networkKey ?? 'name');
    checkService(owner, service);
    if (service.sidecars?.length) fail(owner, 'sidecars', service.sidecars.map((c) => c.name), 'are not supported on Swarm (its tasks cannot share a network namespace)');
    checkOneOf(owner, 'networkKey', networkKey, NETWORK_KEYS);
    checkIntegerInRange(owner, 'replicas', replicas, 0, 100);
    checkOneOf(owner, 'endpointMode', endpointMode, ENDPOINT_MODES);
    checkOneOf(owner, 'updateOrder', updateOrder, UPDATE_ORDERS);
    checkIntegerInRange(owner, 'convergeTimeoutSeconds', converge, 1, 3600);
    const prefix = dockerName(service);
    claimName(this, 'Docker Swarm service', prefix);

    this.image = dockerImage(this, service);
    const volumes = (this.volumes = dockerVolumes(this, service, props));
    const env: Record<string, string> = {};
    const secrets: Record<string, Secret> = {};
    for (const [key, entry] of Object.entries(service.env)) {
      if (!isSecret(entry)) {
        env[key] = terraformLiteral(entry.value);
        continue;
      }
      const name = `${prefix}-${entry.secret.name}`;
      claimName(this, 'Docker Swarm secret', name);
      secrets[key] = new Secret(this, `secret-${entry.secret.name}`, { name, data: Fn.base64encode(entry.secret.valueFor(owner)) });
      // The official images read VAR_FILE for every secret VAR.
      env[`${key}_FILE`] = secretPath(name);
    }
    this.secrets = secrets;
    const files = service.files ?? [];
    const fileData = (file: (typeof files)[number]) => {
      // Configs and secrets are immutable: a new content gets a new name, created before the old one goes.
      const hash = file.version ?? createHash('sha256').update(file.content).digest('hex').slice(0, 10);
      // Literal content is encoded here: nothing in it is read as Terraform syntax.
      const data = Token.isUnresolved(file.content) ? Fn.base64encode(file.content) : Buffer.from(file.content).toString('base64');
      return { hash, data };
    };
    const configs = files.flatMap((file, i) => {
      if (file.secret) return [];
      const { hash, data } = fileData(file);
      const config = new Config(this, `file-${i}`, { name: `${prefix}-file${i}-${hash}`, data });
      config.lifecycle = { createBeforeDestroy: true };
      return [{ configId: config.id, configName: config.name, fileName: file.path }];
    });
    // A file holding a secret (a TLS key) is a Swarm secret mounted at its path.
    const secretFiles = files.flatMap((file, i) => {
      if (!file.secret) return [];
      const { hash, data } = fileData(file);
      const name = `${prefix}-file${i}-${hash}`;
      claimName(this, 'Docker Swarm secret', name);
      const secret = new Secret(this, `file-${i}`, { name, data });
      secret.lifecycle = { createBeforeDestroy: true };
      return [{ secretId: secret.id, secretName: secret.name, fileName: file.path }];
    });

    const { resources } = service;
    const nanoCpus = Math.round(quantityValue(resources.cpuRequest) * 1e9);
    const labels = dockerLabels(service);
    const rolling = { parallelism: 1, delay: '0s', failureAction: 'rollback', monitor: swarmDuration(5), maxFailureRatio: '0', order: updateOrder };
    this.service = new Service(this, 'service', {
      name: prefix,
      labels,
      mode: { replicated: { replicas } },
      endpointSpec: { mode: endpointMode },
      updateConfig: rolling,
      rollbackConfig: { ...rolling, failureAction: 'pause' },
      convergeConfig: { delay: '1s', timeout: swarmDuration(converge) },
      taskSpec: {
        containerSpec: {
          image: this.image.imageId,
          args: service.args?.map((arg) => terraformLiteral(arg)),
          // Empty lists and maps are left out: the provider reads them back as absent (no diff).
          env: Object.keys(env).length ? env : undefined,
          labels,
          capDrop: ['ALL'],
          capAdd: nonEmpty(service.capabilities.map((name) => `CAP_${name}`)),
          healthcheck: dockerHealthcheck(service, swarmDuration),
          // Files are configs (mounted, not copied): the root filesystem is read-only, a tmpfs on each writable path.
          readOnly: true,
          mounts: nonEmpty([
            ...service.volumes.map((v) => ({ type: 'volume', source: volumes[v.name].name, target: v.path })),
            ...(service.security.writablePaths ?? []).map((path) => ({ type: 'tmpfs', target: path })),
          ]),
          secrets: nonEmpty([...Object.values(secrets).map((s) => ({ secretId: s.id, secretName: s.name, fileName: secretPath(s.name) })), ...secretFiles]),
          configs: nonEmpty(configs),
        },
        restartPolicy: { condition: 'any', delay: swarmDuration(2), maxAttempts: 0, window: '0s' },
        logDriver: { name: DOCKER_LOG.driver, options: { ...DOCKER_LOG.options } },
        // No pids limit and no no-new-privileges: neither is in docker_service of kreuzwerker/docker
        // 3.6.2, and Swarm on Docker 20.10 (API 1.41) has no no-new-privileges for services.
        resources: {
          limits: { memoryBytes: quantityValue(resources.memoryLimit), nanoCpus: Math.round(quantityValue(resources.cpuLimit) * 1e9) },
          reservation: { memoryBytes: quantityValue(resources.memoryRequest), nanoCpus },
        },
      },
    });
    if (props.ownNetwork) {
      this.network = ownNetwork(this, service, 'overlay');
      this.joinNetwork(this.network);
    }
    for (const network of props.networks ?? []) this.joinNetwork(network);
  }

  /** Joins an overlay network, reachable there by its service name (and `tasks.<name>`: every task). */
  public joinNetwork(network: Network): void {
    this.attached.push({ name: network.id, aliases: [this.description.name] });
    if (this.networkKey === 'name') {
      this.service.taskSpec.putNetworksAdvanced([...this.attached]);
    } else {
      // Not in the generated bindings (made from 3.6.2's schema): an override.
      this.service.addOverride('task_spec.networks_advanced', this.attached.map((n) => ({ id: n.name, aliases: n.aliases })));
    }
  }

  /** Lets `client` connect: its tasks join this service's own overlay network. */
  public allowFrom(client: SwarmService): void {
    if (!this.network) fail(this.owner, 'ownNetwork', false, 'must be true for allowFrom: clients reach a service on its own network');
    client.joinNetwork(this.network);
  }

  /** Publishes the main port; returns the URL it answers on from this machine. */
  public publish(options: SwarmPublishOptions = {}): string {
    const hostPort = options.hostPort ?? DEFAULT_PUBLISH.port;
    const mode = options.mode ?? 'host';
    checkPort(this.owner, 'hostPort', hostPort);
    checkOneOf(this.owner, 'mode', mode, PUBLISH_MODES);
    if (mode === 'ingress' && this.endpointMode === 'dnsrr') {
      fail(this.owner, 'mode', mode, "needs endpointMode 'vip' (the routing mesh balances over a virtual IP, which needs IPVS)");
    }
    this.published.push({ targetPort: namedPort(this.owner, this.description, options.portName).port, publishedPort: hostPort, publishMode: mode, protocol: 'tcp' });
    this.service.endpointSpec.putPorts([...this.published]);
    return `http://${DEFAULT_PUBLISH.address}:${hostPort}`;
  }
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length ? list : undefined;
}

function secretPath(secretName: string): string {
  return `/run/secrets/${secretName}`;
}
