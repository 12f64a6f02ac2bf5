import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { ComputeResources, DEFAULT_APP_NAME, DEFAULT_PUBLISH, DEFAULT_IMAGES, DEFAULT_RESOURCES, DEFAULT_STORAGE, MYSQL_ENV, WORDPRESS, WORDPRESS_ENV, labelsFor, selectorFor } from './app-model';
import {
  ACCESS_MODES, AccessMode, IMAGE_PULL_POLICIES, ImagePullPolicy, LIVENESS_TIMING, POD_SECURITY_CONTEXT, PROBE_TIMING,
  STARTUP_PROBE_TIMING, checkResources, checkStorage, containerResources, containerSecurityContext, volumeClaim,
} from './kubernetes-common';
import { MysqlKubernetes } from './mysql-kubernetes';
import { checkDnsLabel, checkImage, checkIpv4, checkNodePort, checkOneOf, checkReplicas } from './validation';

export const SERVICE_TYPES = ['NodePort', 'LoadBalancer', 'ClusterIP'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** Props for {@link WordpressKubernetes}. */
export interface WordpressKubernetesProps {
  /** The database WordPress connects to; its namespace and Secret are used. */
  readonly database: MysqlKubernetes;
  /** Value of the `app.kubernetes.io/part-of` label. @default 'wordpress' */
  readonly appName?: string;
  /** Image honoring the official wordpress image's WORDPRESS_DB_* variables. @default 'wordpress:6.8.3-apache' */
  readonly image?: string;
  /** When the kubelet pulls the image. @default 'IfNotPresent' */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** Number of WordPress pods; more than one needs a ReadWriteMany content volume. @default 1 */
  readonly replicas?: number;
  /** Size of the content volume (a Kubernetes quantity). @default '1Gi' */
  readonly storageSize?: string;
  /** StorageClass of the content volume. @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /** Access mode of the content volume. @default 'ReadWriteOnce' */
  readonly contentAccessMode?: AccessMode;
  /** How the site is exposed. LoadBalancer is not waited for. @default 'NodePort' */
  readonly serviceType?: ServiceType;
  /** Fixed node port (30000-32767) for NodePort and LoadBalancer services. @default - allocated by the cluster */
  readonly nodePort?: number;
  /** Address of a node as seen from where the URL is opened. @default '127.0.0.1' */
  readonly nodeAddress?: string;
  /** PHP added to wp-config.php (WORDPRESS_CONFIG_EXTRA). @default - none */
  readonly configExtra?: string;
  /** CPU and memory requests and memory limit. @default 100m CPU, 128Mi requested, 512Mi limit */
  readonly resources?: ComputeResources;
}

/**
 * WordPress on Kubernetes: the compose `wordpress` service becomes a
 * Deployment (replicas = `docker-compose scale`), its content volume a PVC,
 * and its published port a NodePort (or LoadBalancer) Service.
 */
export class WordpressKubernetes extends Construct {
  public readonly contentClaim: PersistentVolumeClaimV1;
  public readonly deployment: DeploymentV1;
  public readonly service: ServiceV1;
  /** Node port of the Service (a token), undefined for ClusterIP. */
  public readonly nodePort?: number;
  /** URL of the site: through the node port, or the in-cluster DNS name for ClusterIP. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: WordpressKubernetesProps) {
    super(scope, id);
    const owner = `WordpressKubernetes ${this.node.path}`;
    const appName = props.appName ?? DEFAULT_APP_NAME;
    const image = props.image ?? DEFAULT_IMAGES.wordpress;
    const imagePullPolicy = props.imagePullPolicy ?? 'IfNotPresent';
    const replicas = props.replicas ?? 1;
    const serviceType = props.serviceType ?? 'NodePort';
    const nodeAddress = props.nodeAddress ?? DEFAULT_PUBLISH.address;
    const resources = props.resources ?? DEFAULT_RESOURCES.wordpress;
    const claim = {
      size: props.storageSize ?? DEFAULT_STORAGE.wordpress,
      storageClass: props.storageClass,
      accessMode: props.contentAccessMode ?? 'ReadWriteOnce',
    };
    checkDnsLabel(owner, 'appName', appName);
    checkImage(owner, 'image', image);
    checkOneOf(owner, 'imagePullPolicy', imagePullPolicy, IMAGE_PULL_POLICIES);
    checkReplicas(owner, 'replicas', replicas);
    checkStorage(owner, claim.size, claim.storageClass);
    checkOneOf(owner, 'contentAccessMode', claim.accessMode, ACCESS_MODES);
    const sharedContent = claim.accessMode === 'ReadWriteMany';
    if (replicas > 1 && !sharedContent) {
      throw new Error(
        `${owner}: invalid replicas ${replicas}: more than one WordPress pod needs a shared content volume, ` +
          `but contentAccessMode is "${claim.accessMode}"; use contentAccessMode 'ReadWriteMany' with a StorageClass that supports it, or replicas 1`,
      );
    }
    checkOneOf(owner, 'serviceType', serviceType, SERVICE_TYPES);
    if (props.nodePort !== undefined) {
      checkNodePort(owner, 'nodePort', props.nodePort);
      if (serviceType === 'ClusterIP') throw new Error(`${owner}: invalid nodePort ${props.nodePort}: a ClusterIP service has no node port`);
    }
    checkIpv4(owner, 'nodeAddress', nodeAddress);
    checkResources(owner, 'resources', resources);

    const { database } = props;
    const { namespace } = database;
    const labels = labelsFor(appName, 'wordpress');
    const selector = selectorFor(appName, 'wordpress');
    const name = 'wordpress';

    this.contentClaim = volumeClaim(this, 'content', { ...claim, name: WORDPRESS.volumeName, namespace, labels });

    const env = [
      { name: WORDPRESS_ENV.dbHost, value: `${database.host}:${database.port}` },
      { name: WORDPRESS_ENV.dbUser, value: database.credentials.username },
      { name: WORDPRESS_ENV.dbName, value: database.credentials.databaseName },
      {
        name: WORDPRESS_ENV.dbPassword,
        valueFrom: { secretKeyRef: { name: database.secret.metadata.name, key: MYSQL_ENV.password } },
      },
      ...(props.configExtra ? [{ name: WORDPRESS_ENV.configExtra, value: props.configExtra }] : []),
    ];
    const port = String(WORDPRESS.port);
    this.deployment = new DeploymentV1(this, 'deployment', {
      metadata: { name, namespace, labels },
      spec: {
        replicas: String(replicas),
        // Two pods cannot mount a ReadWriteOnce volume on different nodes during a rolling update.
        strategy: { type: sharedContent ? 'RollingUpdate' : 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            securityContext: POD_SECURITY_CONTEXT,
            container: [{
              name,
              image,
              imagePullPolicy,
              port: [{ name: 'http', containerPort: WORDPRESS.port }],
              env,
              volumeMount: [{ name: 'content', mountPath: WORDPRESS.contentPath }],
              startupProbe: { tcpSocket: [{ port }], ...STARTUP_PROBE_TIMING },
              readinessProbe: { httpGet: { path: WORDPRESS.healthPath, port }, ...PROBE_TIMING },
              livenessProbe: { tcpSocket: [{ port }], ...LIVENESS_TIMING },
              resources: containerResources(resources),
              securityContext: containerSecurityContext('wordpress'),
            }],
            volume: [{ name: 'content', persistentVolumeClaim: { claimName: this.contentClaim.metadata.name } }],
          },
        },
      },
    });

    this.service = new ServiceV1(this, 'service', {
      metadata: { name, namespace, labels },
      spec: {
        type: serviceType,
        selector,
        port: [{ name: 'http', port: WORDPRESS.port, targetPort: port, nodePort: props.nodePort }],
      },
      waitForLoadBalancer: false,
    });

    if (serviceType === 'ClusterIP') {
      this.url = `http://${name}.${namespace}.svc.cluster.local`;
    } else {
      this.nodePort = this.service.spec.port.get(0).nodePort;
      this.url = `http://${nodeAddress}:${Token.asString(this.nodePort)}`;
    }
  }
}
