import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1, DeploymentV1SpecTemplateSpecContainerEnv } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { DEFAULT_PUBLISH } from './app-model';
import { ACCESS_MODES, AccessMode, IMAGE_PULL_POLICIES, ImagePullPolicy, SERVICE_TYPES, ServiceType } from './choices';
import { DataProtectionOptions, HEALTH, SecretValue, ServiceDescription, ServicePort, checkService, dataLifecycle, isSecret, labelsOf, mainPort, selectorOf, terraformLiteral } from './service';
import { checkDnsLabel, checkDnsSubdomain, checkIntegerInRange, checkIpv4, checkNodePort, checkOneOf, checkPort, checkReplicas, fail } from './validation';

/** How a service runs on Kubernetes, whatever the service is. */
export interface KubernetesWorkloadOptions extends DataProtectionOptions {
  /** Namespace of every object. */
  readonly namespace: string;
  /** When the kubelet pulls the image. @default 'IfNotPresent' */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** Number of pods; more than one with volumes needs `volumeAccessMode` 'ReadWriteMany'. @default 1 */
  readonly replicas?: number;
  /** StorageClass of the volumes. @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /** Access mode of the volumes. @default 'ReadWriteOnce' */
  readonly volumeAccessMode?: AccessMode;
  /** A HorizontalPodAutoscaler (autoscaling/v2) on CPU utilization. @default - none: `replicas` pods */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * A PodDisruptionBudget keeping this many pods through voluntary disruptions (node drains).
   * @default 1 when the workload may run more than one pod (replicas or autoscaling), else none
   */
  readonly minAvailable?: number;
  /**
   * Mount the token of the workload's ServiceAccount into its pods (a workload that talks to the
   * API server, e.g. Prometheus' service discovery). @default false: the pods get no API credentials
   */
  readonly serviceAccountToken?: boolean;
}

/** How {@link KubernetesWorkload} scales itself. */
export interface AutoscalingOptions {
  /** @default the workload's `replicas` */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /** Average CPU use, in percent of the CPU request, the HPA keeps pods at. @default 60 */
  readonly targetCpuUtilization?: number;
}

/** Props for {@link KubernetesWorkload}. */
export interface KubernetesWorkloadProps extends KubernetesWorkloadOptions {
  readonly description: ServiceDescription;
}

/** How {@link KubernetesWorkload.exposeViaService} exposes the main port. */
export interface ExposeOptions {
  /** LoadBalancer is not waited for. @default 'NodePort' */
  readonly serviceType?: ServiceType;
  /** Fixed node port (30000-32767) for NodePort and LoadBalancer. @default - allocated by the cluster */
  readonly nodePort?: number;
  /** Address of a node as seen from where the URL is opened. @default '127.0.0.1' */
  readonly nodeAddress?: string;
}

/** Anything whose pods a NetworkPolicy can select. */
export interface IPodSelectable {
  readonly podSelector: Record<string, string>;
}

/** The NetworkPolicies {@link KubernetesWorkload.allowFrom} creates. */
export interface AllowedConnection {
  /** On the server's pods: the client's pods may connect to the ports. */
  readonly ingress: NetworkPolicyV1;
  /** On the client's pods, when the client is a workload: they may connect to the server's pods on the ports. */
  readonly egress?: NetworkPolicyV1;
}

/** What {@link KubernetesWorkload.exposeViaService} creates. */
export interface Exposure {
  readonly service: ServiceV1;
  /** The NetworkPolicy opening the main port to anyone. */
  readonly ingress: NetworkPolicyV1;
  readonly url: string;
  /** Node port (a token); undefined for ClusterIP. */
  readonly nodePort?: number;
}

/** Name of the PVC of a service's volume. */
export function claimNameOf(serviceName: string, volumeName: string): string {
  return `${serviceName}-${volumeName}`;
}

/** How long a stopping pod keeps serving while it leaves the endpoints, when there are several. */
const PRE_STOP_SECONDS = 5;

/** Probe timing from the health facts; the same numbers drive the Docker healthchecks. */
const PROBE = { periodSeconds: HEALTH.intervalSeconds, timeoutSeconds: HEALTH.timeoutSeconds, failureThreshold: HEALTH.failureThreshold };
/** Liveness waits for the startup probe, which allows a first start (DB init) its time. */
const STARTUP_PROBE = { ...PROBE, failureThreshold: Math.ceil(HEALTH.startupSeconds / HEALTH.intervalSeconds) };
/** Liveness is checked less often than readiness: a restart is a bigger hammer. */
const LIVENESS_PROBE = { ...PROBE, periodSeconds: 10 };

type FileKey = (member: ServiceDescription, index: number) => string;

/** Where a container reads its secret env values as files (`VAR_FILE=<dir>/VAR`), read-only. */
export const SECRETS_DIR = '/run/secrets/wpcdk';

/** Its files, mounted read-only from the workload's ConfigMap. */
function fileMounts(service: ServiceDescription, fileKey: FileKey) {
  return (service.files ?? []).map((f, i) => ({ name: f.secret ? 'secret-files' : 'files', mountPath: f.path, subPath: fileKey(service, i), readOnly: true }));
}

/** Volume name prefix of a pod member's own volumes: '' for the service, `<sidecar>-` for a sidecar. */
type MemberPrefix = (member: ServiceDescription) => string;

/** An emptyDir per writable path (the root filesystem is read-only), and the secrets-as-files volume. */
function writableMounts(member: ServiceDescription, prefix: MemberPrefix, secretFiles: boolean) {
  return [
    ...(member.security.writablePaths ?? []).map((path, i) => ({ name: `${prefix(member)}writable-${i}`, mountPath: path })),
    ...(secretFiles ? [{ name: `${prefix(member)}secrets`, mountPath: SECRETS_DIR, readOnly: true }] : []),
  ];
}

/**
 * The container's security context: its image's user from the start (never root), read-only
 * root filesystem, no privilege escalation, every capability dropped and none added (a non-root
 * process could not use them; WordPress binds port 80 through the pod's sysctl instead).
 */
function containerSecurity(service: ServiceDescription, owner: string) {
  const { user } = service.security;
  if (!user) fail(owner, `${service.name} security.user`, user, 'must be set on Kubernetes: every container runs as a non-root user');
  return {
    runAsNonRoot: true,
    runAsUser: String(user.uid),
    runAsGroup: String(user.gid),
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** A container of the pod for `service` (the workload's own, or a sidecar): image, args, probes, resources, security. */
function podContainer(service: ServiceDescription, env: DeploymentV1SpecTemplateSpecContainerEnv[], imagePullPolicy: ImagePullPolicy, owner: string) {
  const port = String(mainPort(service).port);
  const readiness = service.health.httpPath
    ? { httpGet: { path: service.health.httpPath, port } }
    : { exec: { command: [...service.health.command] } };
  return {
    name: service.name,
    image: service.image,
    imagePullPolicy,
    args: service.args ? service.args.map((arg) => terraformLiteral(arg)) : undefined,
    port: service.ports.map((p) => ({ name: p.name, containerPort: p.port })),
    env,
    startupProbe: { tcpSocket: [{ port }], ...STARTUP_PROBE },
    readinessProbe: { ...readiness, ...PROBE },
    livenessProbe: { tcpSocket: [{ port }], ...LIVENESS_PROBE },
    resources: {
      requests: { cpu: service.resources.cpuRequest, memory: service.resources.memoryRequest },
      limits: { cpu: service.resources.cpuLimit, memory: service.resources.memoryLimit },
    },
    securityContext: containerSecurity(service, owner),
  };
}

/**
 * One service as a Deployment: a PVC per volume (never blocking the apply),
 * a Secret for its secret env values (mounted as files where the image reads
 * `*_FILE`), probes, requests and limits, its own ServiceAccount without a
 * token, and a restricted security context: non-root, read-only root with an
 * emptyDir per writable path, no capabilities, RuntimeDefault seccomp. Exposure and reachability are explicit:
 * {@link exposeHeadless} / {@link exposeViaService} return the Service they
 * create, {@link allowFrom} the NetworkPolicy.
 */
export class KubernetesWorkload extends Construct implements IPodSelectable {
  public readonly description: ServiceDescription;
  public readonly namespace: string;
  public readonly deployment: DeploymentV1;
  /** PVCs by volume name. */
  public readonly claims: Readonly<Record<string, PersistentVolumeClaimV1>>;
  /** The HorizontalPodAutoscaler, with `autoscaling`. */
  public readonly autoscaler?: HorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget, when more than one pod may run. */
  public readonly disruptionBudget?: PodDisruptionBudgetV1;
  /** The ConfigMap holding its files, if any. */
  public readonly configMap?: ConfigMapV1;
  /** The Secret holding its secret env values that Terraform knows, if any. */
  public readonly secret?: SecretV1;
  /** The pods' own ServiceAccount (no token mounted unless `serviceAccountToken`). */
  public readonly serviceAccount: ServiceAccountV1;
  public readonly podSelector: Record<string, string>;
  protected readonly owner: string;
  private readonly secretEnv: Record<string, SecretValue> = {};

  constructor(scope: Construct, id: string, props: KubernetesWorkloadProps) {
    super(scope, id);
    const owner = (this.owner = `${new.target.name} ${this.node.path}`);
    const service = props.description;
    const imagePullPolicy = props.imagePullPolicy ?? 'IfNotPresent';
    const replicas = props.replicas ?? 1;
    const accessMode = props.volumeAccessMode ?? 'ReadWriteOnce';
    checkService(owner, service);
    checkDnsLabel(owner, 'namespace', props.namespace);
    checkOneOf(owner, 'imagePullPolicy', imagePullPolicy, IMAGE_PULL_POLICIES);
    checkReplicas(owner, 'replicas', replicas);
    checkOneOf(owner, 'volumeAccessMode', accessMode, ACCESS_MODES);
    if (props.storageClass !== undefined) checkDnsSubdomain(owner, 'storageClass', props.storageClass);
    const shared = accessMode === 'ReadWriteMany';
    const autoscaling = props.autoscaling;
    const maxPods = Math.max(replicas, autoscaling?.maxReplicas ?? 0);
    if (autoscaling) {
      checkReplicas(owner, 'autoscaling.maxReplicas', autoscaling.maxReplicas);
      checkIntegerInRange(owner, 'autoscaling.minReplicas', autoscaling.minReplicas ?? replicas, 1, autoscaling.maxReplicas);
      checkIntegerInRange(owner, 'autoscaling.targetCpuUtilization', autoscaling.targetCpuUtilization ?? 60, 1, 100);
    }
    if (maxPods > 1 && service.volumes.length > 0 && !shared) {
      fail(owner, autoscaling && autoscaling.maxReplicas > replicas ? 'autoscaling.maxReplicas' : 'replicas', maxPods,
        `more than one ${service.name} pod needs shared volumes (${service.volumes.map((v) => v.name).join(', ')}), but their access mode is "${accessMode}"; ` +
          "use 'ReadWriteMany' with a StorageClass that supports it, or replicas 1");
    }
    this.description = service;
    const namespace = (this.namespace = props.namespace);
    const labels = labelsOf(service);
    this.podSelector = selectorOf(service);
    const metadata = (name: string) => ({ name, namespace, labels });

    const claims: Record<string, PersistentVolumeClaimV1> = {};
    for (const volume of service.volumes) {
      // waitUntilBound false: a WaitForFirstConsumer class binds only once the pod is scheduled, after the claim.
      claims[volume.name] = new PersistentVolumeClaimV1(this, volume.name, {
        metadata: metadata(claimNameOf(service.name, volume.name)),
        spec: { accessModes: [accessMode], storageClassName: props.storageClass, resources: { requests: { storage: volume.size } } },
        lifecycle: dataLifecycle(props),
        waitUntilBound: false,
      });
    }
    this.claims = claims;

    // The pod's containers: the service, then its sidecars (one Secret and one ConfigMap for all).
    const members = [service, ...(service.sidecars ?? [])];
    const stored = new Map<string, string>();
    for (const member of members) {
      for (const [key, e] of Object.entries(member.env)) {
        if (!isSecret(e) || e.secret.kubernetesSecret) continue;
        const value = e.secret.valueFor(owner);
        if (stored.has(key) && stored.get(key) !== value) fail(owner, `${member.name} env`, key, 'names another secret value in the same pod: use another variable name');
        stored.set(key, value);
      }
    }
    const secretFiles = members.flatMap((member) => (member.files ?? []).flatMap((f, i) =>
      (f.secret ? [[member === service ? `file-${i}` : `${member.name}-file-${i}`, terraformLiteral(f.content)] as const] : [])));
    if (stored.size > 0 || secretFiles.length > 0) {
      this.secret = new SecretV1(this, 'credentials', {
        metadata: metadata(`${service.name}-credentials`),
        data: Object.fromEntries([...stored, ...secretFiles]),
      });
    }
    // Secret env values: where they live, per pod member. An image that reads `VAR_FILE` gets
    // them as files (a projected volume of the Secret keys, `VAR_FILE=<SECRETS_DIR>/VAR`); one
    // that does not (the mysqld_exporter's password) a `secretKeyRef`.
    const secretRefs = (member: ServiceDescription) => Object.entries(member.env).flatMap(([name, entry]) => {
      if (!isSecret(entry)) return [];
      const ref = entry.secret.kubernetesSecret ?? { name: this.secret!.metadata.name, key: name };
      if (member === service) this.secretEnv[name] = entry.secret.storedIn(ref.name, ref.key);
      return [{ name, ref }];
    });
    const asFiles = (member: ServiceDescription) => (member.security.secretsAsFiles ?? false) && secretRefs(member).length > 0;
    const envOf = (member: ServiceDescription) => {
      const refs = new Map(secretRefs(member).map(({ name, ref }) => [name, ref]));
      return Object.entries(member.env).map(([name, entry]) => {
        if (!isSecret(entry)) return { name, value: terraformLiteral(entry.value) };
        if (asFiles(member)) return { name: `${name}_FILE`, value: `${SECRETS_DIR}/${name}` };
        return { name, valueFrom: { secretKeyRef: refs.get(name)! } };
      });
    };
    const prefix: MemberPrefix = (member) => (member === service ? '' : `${member.name}-`);
    const secretsVolume = (member: ServiceDescription) => {
      const bySecret = new Map<string, { key: string; path: string }[]>();
      for (const { name, ref } of secretRefs(member)) bySecret.set(ref.name, [...(bySecret.get(ref.name) ?? []), { key: ref.key, path: name }]);
      return {
        name: `${prefix(member)}secrets`,
        projected: [{ defaultMode: '0440', sources: [...bySecret].map(([name, items]) => ({ secret: [{ name, items }] })) }],
      };
    };

    // File keys: `file-<i>` for the service's files, `<sidecar>-file-<i>` for a sidecar's; secret
    // files go into the Secret (mounted from a `secret-files` volume), the others into a ConfigMap.
    const fileKey = (member: ServiceDescription, i: number) => (member === service ? `file-${i}` : `${member.name}-file-${i}`);
    const files = members.flatMap((member) => (member.files ?? []).map((f, i) => ({ ...f, key: fileKey(member, i) })));
    const plainFiles = files.filter((f) => !f.secret);
    if (plainFiles.length > 0) {
      this.configMap = new ConfigMapV1(this, 'files', {
        metadata: metadata(`${service.name}-files`),
        data: Object.fromEntries(plainFiles.map((f) => [f.key, terraformLiteral(f.content)])),
      });
    }

    // A ServiceAccount of its own: no other workload's permissions, and no API token unless asked.
    const token = props.serviceAccountToken ?? false;
    this.serviceAccount = new ServiceAccountV1(this, 'service-account', {
      metadata: metadata(service.name),
      automountServiceAccountToken: token,
    });
    // The pod: its users' group owns the volumes (fsGroup); a privileged port is bound non-root
    // through the safe (namespaced) sysctl the official wordpress image documents for this.
    const mainUser = service.security.user;
    const privilegedPort = members.some((m) => m.ports.some((p) => p.port < 1024));
    this.deployment = new DeploymentV1(this, 'deployment', {
      metadata: metadata(service.name),
      spec: {
        replicas: String(autoscaling?.minReplicas ?? replicas),
        // Two pods cannot mount a ReadWriteOnce volume on different nodes during a rolling update;
        // otherwise a new pod is Ready before an old one goes, so an update keeps serving.
        strategy: shared || service.volumes.length === 0
          ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '1', maxUnavailable: '0' } }
          : { type: 'Recreate' },
        selector: { matchLabels: this.podSelector },
        template: {
          metadata: { labels },
          spec: {
            securityContext: {
              runAsNonRoot: true,
              fsGroup: mainUser ? String(mainUser.gid) : undefined,
              seccompProfile: { type: 'RuntimeDefault' },
              sysctl: privilegedPort ? [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] : undefined,
            },
            serviceAccountName: this.serviceAccount.metadata.name,
            automountServiceAccountToken: token,
            container: [
              {
                ...podContainer(service, envOf(service), imagePullPolicy, owner),
                volumeMount: [
                  ...service.volumes.map((v) => ({ name: v.name, mountPath: v.path })),
                  ...fileMounts(service, fileKey),
                  ...writableMounts(service, prefix, asFiles(service)),
                ],
                // With several pods, a stopping one first waits until it is out of the Service's
                // endpoints everywhere (kube-proxy, DNS), then stops gracefully: no request is refused.
                lifecycle: maxPods > 1 ? { preStop: [{ exec: { command: ['sleep', String(PRE_STOP_SECONDS)] } }] } : undefined,
              },
              ...(service.sidecars ?? []).map((sidecar) => ({
                ...podContainer(sidecar, envOf(sidecar), imagePullPolicy, owner),
                volumeMount: [...fileMounts(sidecar, fileKey), ...writableMounts(sidecar, prefix, asFiles(sidecar))],
              })),
            ],
            volume: [
              ...service.volumes.map((v) => ({ name: v.name, persistentVolumeClaim: { claimName: claims[v.name].metadata.name } })),
              ...members.flatMap((m) => (m.security.writablePaths ?? []).map((_, i) => ({ name: `${prefix(m)}writable-${i}`, emptyDir: {} }))),
              ...members.filter(asFiles).map(secretsVolume),
              ...(this.configMap ? [{ name: 'files', configMap: { name: this.configMap.metadata.name } }] : []),
              ...(secretFiles.length > 0 ? [{ name: 'secret-files', secret: { secretName: this.secret!.metadata.name } }] : []),
            ],
          },
        },
      },
    });
    ({ autoscaler: this.autoscaler, disruptionBudget: this.disruptionBudget } = this.scaling(props, maxPods));
  }

  /** HPA and PodDisruptionBudget, once the Deployment exists. */
  private scaling(props: KubernetesWorkloadProps, maxPods: number) {
    const metadata = (name: string) => ({ name, namespace: this.namespace, labels: labelsOf(this.description) });
    const { autoscaling } = props;
    let autoscaler: HorizontalPodAutoscalerV2 | undefined;
    let disruptionBudget: PodDisruptionBudgetV1 | undefined;
    if (autoscaling) {
      autoscaler = new HorizontalPodAutoscalerV2(this, 'autoscaler', {
        metadata: metadata(this.description.name),
        spec: {
          minReplicas: autoscaling.minReplicas ?? props.replicas ?? 1,
          maxReplicas: autoscaling.maxReplicas,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.deployment.metadata.name },
          metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.targetCpuUtilization ?? 60 } } }],
        },
      });
      // The HPA owns the replica count from now on: Terraform must not reset it on the next apply.
      this.deployment.lifecycle = { ignoreChanges: ['spec[0].replicas'] };
    }
    const minAvailable = props.minAvailable ?? (maxPods > 1 ? 1 : undefined);
    if (minAvailable !== undefined) {
      checkIntegerInRange(this.owner, 'minAvailable', minAvailable, 0, maxPods);
      disruptionBudget = new PodDisruptionBudgetV1(this, 'disruption-budget', {
        metadata: metadata(this.description.name),
        spec: { minAvailable: String(minAvailable), selector: { matchLabels: this.podSelector } },
      });
    }
    return { autoscaler, disruptionBudget };
  }

  /** Where the value of the secret env variable `name` lives in the cluster. */
  public secretValueOf(name: string): SecretValue {
    const value = this.secretEnv[name];
    if (!value) fail(this.owner, 'secret env', name, `must be one of ${Object.keys(this.secretEnv).join(', ')}`);
    return value;
  }

  /** A headless Service named after the service: the DNS name clients use, like a compose service name. */
  public exposeHeadless(): ServiceV1 {
    return new ServiceV1(this, 'service', {
      metadata: { name: this.description.name, namespace: this.namespace, labels: labelsOf(this.description) },
      spec: {
        clusterIp: 'None',
        // Resolve the name as soon as the pod exists: cluster DNS caches "no such
        // name" (30 s with kubeadm's CoreDNS), which would stall a client's first start.
        publishNotReadyAddresses: true,
        selector: this.podSelector,
        port: this.description.ports.map((p) => ({ name: p.name, port: p.port, targetPort: String(p.port) })),
      },
    });
  }

  /**
   * A Service for the main port, and the URL it answers on; the main port is opened to anyone
   * ({@link allowFromAnywhere}): a NodePort's clients reach the pods from outside the namespace.
   */
  public exposeViaService(options: ExposeOptions = {}): Exposure {
    const serviceType = options.serviceType ?? 'NodePort';
    const nodeAddress = options.nodeAddress ?? DEFAULT_PUBLISH.address;
    checkOneOf(this.owner, 'serviceType', serviceType, SERVICE_TYPES);
    if (options.nodePort !== undefined) {
      checkNodePort(this.owner, 'nodePort', options.nodePort);
      if (serviceType === 'ClusterIP') fail(this.owner, 'nodePort', options.nodePort, 'a ClusterIP service has no node port');
    }
    checkIpv4(this.owner, 'nodeAddress', nodeAddress);
    const { port, name } = mainPort(this.description);
    const service = new ServiceV1(this, 'service', {
      metadata: { name: this.description.name, namespace: this.namespace, labels: labelsOf(this.description) },
      spec: {
        type: serviceType,
        selector: this.podSelector,
        port: [{ name, port, targetPort: String(port), nodePort: options.nodePort }],
      },
      waitForLoadBalancer: false,
    });
    const ingress = this.allowFromAnywhere();
    if (serviceType === 'ClusterIP') {
      return { service, ingress, url: `http://${this.description.name}.${this.namespace}.svc.cluster.local` };
    }
    const nodePort = service.spec.port.get(0).nodePort;
    return { service, ingress, url: `http://${nodeAddress}:${Token.asString(nodePort)}`, nodePort };
  }

  /**
   * Only pods of `client` may connect to the ports of this workload; `ports` narrows it (e.g. a
   * monitor reaches a sidecar's metrics port, not the database). Returns the NetworkPolicies:
   * `ingress` on this workload's pods and, when the client is a workload (whose egress the
   * namespace's default deny closes), `egress` on the client's pods to exactly these pods and ports.
   */
  public allowFrom(client: IPodSelectable & { readonly description?: ServiceDescription }, ports?: readonly ServicePort[]): AllowedConnection {
    const clientName = client.description?.name ?? 'clients';
    const allowed = (ports ?? this.description.ports).map((p) => ({ port: String(p.port), protocol: 'TCP' }));
    const ingress = new NetworkPolicyV1(this, `allow-from-${clientName}`, {
      metadata: { name: `${this.description.name}-from-${clientName}`, namespace: this.namespace, labels: labelsOf(this.description) },
      spec: {
        podSelector: { matchLabels: this.podSelector },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: client.podSelector } }], ports: allowed }],
      },
    });
    if (!(client instanceof KubernetesWorkload)) return { ingress };
    const egress = new NetworkPolicyV1(client, `allow-to-${this.description.name}`, {
      metadata: { name: `${client.description.name}-to-${this.description.name}`, namespace: client.namespace, labels: labelsOf(client.description) },
      spec: {
        podSelector: { matchLabels: client.podSelector },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: this.podSelector } }], ports: allowed.map((p) => ({ ...p })) }],
      },
    });
    return { ingress, egress };
  }

  /**
   * Anyone (any pod, node or NodePort client) may connect to `ports` of this workload
   * (a NetworkPolicy, returned). {@link exposeViaService} does this for the main port.
   */
  public allowFromAnywhere(ports: readonly ServicePort[] = [mainPort(this.description)]): NetworkPolicyV1 {
    const name = `${this.description.name}-from-anywhere`;
    return new NetworkPolicyV1(this, 'allow-from-anywhere', {
      metadata: { name, namespace: this.namespace, labels: labelsOf(this.description) },
      spec: {
        podSelector: { matchLabels: this.podSelector },
        policyTypes: ['Ingress'],
        ingress: [{ ports: ports.map((p) => ({ port: String(p.port), protocol: 'TCP' })) }],
      },
    });
  }

  /**
   * The pods may open TCP connections to `ports` on any address (a NetworkPolicy, returned): for
   * peers outside the namespace whose address the stack does not know (an existing database, the
   * API server). `why` names the peer in the policy's name: `<service>-to-<why>`.
   */
  public allowToAnyAddress(why: string, ports: readonly number[]): NetworkPolicyV1 {
    checkDnsLabel(this.owner, 'allowToAnyAddress why', why, 40);
    if (ports.length === 0) fail(this.owner, `allowToAnyAddress ${why} ports`, ports, 'must name at least one port');
    ports.forEach((port, i) => checkPort(this.owner, `allowToAnyAddress ${why} ports[${i}]`, port));
    return new NetworkPolicyV1(this, `allow-to-${why}`, {
      metadata: { name: `${this.description.name}-to-${why}`, namespace: this.namespace, labels: labelsOf(this.description) },
      spec: {
        podSelector: { matchLabels: this.podSelector },
        policyTypes: ['Egress'],
        egress: [{ ports: ports.map((port) => ({ port: String(port), protocol: 'TCP' })) }],
      },
    });
  }
}
