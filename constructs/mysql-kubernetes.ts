import { Construct } from 'constructs';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { ComputeResources, DEFAULT_APP_NAME, DEFAULT_IMAGES, DEFAULT_RESOURCES, DEFAULT_STORAGE, MYSQL, MYSQL_ENV, labelsFor, selectorFor } from './app-model';
import { DatabaseCredentials } from './database-credentials';
import {
  IMAGE_PULL_POLICIES, ImagePullPolicy, LIVENESS_TIMING, POD_SECURITY_CONTEXT, PROBE_TIMING, STARTUP_PROBE_TIMING,
  checkResources, checkStorage, containerResources, containerSecurityContext, volumeClaim,
} from './kubernetes-common';
import { checkDnsLabel, checkImage, checkOneOf } from './validation';

/** Props for {@link MysqlKubernetes}. */
export interface MysqlKubernetesProps {
  /** Namespace of every object. */
  readonly namespace: string;
  /** Database name, user and generated passwords, stored in a Secret. */
  readonly credentials: DatabaseCredentials;
  /** Value of the `app.kubernetes.io/part-of` label. @default 'wordpress' */
  readonly appName?: string;
  /** MySQL-compatible image honoring the official image's MYSQL_* variables. @default 'mysql:8.4.6' */
  readonly image?: string;
  /** When the kubelet pulls the image. @default 'IfNotPresent' */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** Size of the data volume (a Kubernetes quantity). @default '1Gi' */
  readonly storageSize?: string;
  /** StorageClass of the data volume. @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /** CPU and memory requests and memory limit. @default 100m CPU, 256Mi requested, 1Gi limit */
  readonly resources?: ComputeResources;
  /** Labels of the only pods allowed to connect (NetworkPolicy). @default the WordPress pods of the same app */
  readonly allowedClientLabels?: Record<string, string>;
}

/**
 * MySQL on Kubernetes: the compose `db` service becomes a single-replica
 * Deployment with the `Recreate` strategy (the volume is ReadWriteOnce), a PVC
 * for the named volume, a Secret for the env passwords, a headless Service for
 * the network alias, and a NetworkPolicy for "reachable only by WordPress".
 */
export class MysqlKubernetes extends Construct {
  public readonly secret: SecretV1;
  public readonly dataClaim: PersistentVolumeClaimV1;
  public readonly deployment: DeploymentV1;
  public readonly service: ServiceV1;
  public readonly networkPolicy: NetworkPolicyV1;
  public readonly credentials: DatabaseCredentials;
  public readonly namespace: string;
  /** Host name WordPress connects to: the Service name. */
  public readonly host: string = MYSQL.host;
  public readonly port: number = MYSQL.port;

  constructor(scope: Construct, id: string, props: MysqlKubernetesProps) {
    super(scope, id);
    const owner = `MysqlKubernetes ${this.node.path}`;
    const appName = props.appName ?? DEFAULT_APP_NAME;
    const image = props.image ?? DEFAULT_IMAGES.mysql;
    const imagePullPolicy = props.imagePullPolicy ?? 'IfNotPresent';
    const resources = props.resources ?? DEFAULT_RESOURCES.mysql;
    const claim = { size: props.storageSize ?? DEFAULT_STORAGE.mysql, storageClass: props.storageClass, accessMode: 'ReadWriteOnce' as const };
    checkDnsLabel(owner, 'namespace', props.namespace);
    checkDnsLabel(owner, 'appName', appName);
    checkImage(owner, 'image', image);
    checkOneOf(owner, 'imagePullPolicy', imagePullPolicy, IMAGE_PULL_POLICIES);
    checkStorage(owner, claim.size, claim.storageClass);
    checkResources(owner, 'resources', resources);

    const namespace = (this.namespace = props.namespace);
    const credentials = (this.credentials = props.credentials);
    const labels = labelsFor(appName, 'mysql');
    const selector = selectorFor(appName, 'mysql');
    const metadata = (name: string) => ({ name, namespace, labels });

    this.secret = new SecretV1(this, 'credentials', {
      metadata: metadata(`${MYSQL.host}-credentials`),
      data: {
        [MYSQL_ENV.rootPassword]: credentials.rootPassword,
        [MYSQL_ENV.password]: credentials.userPassword,
      },
    });
    const fromSecret = (name: string) => ({ name, valueFrom: { secretKeyRef: { name: this.secret.metadata.name, key: name } } });

    this.dataClaim = volumeClaim(this, 'data', { ...claim, name: MYSQL.volumeName, namespace, labels });

    this.service = new ServiceV1(this, 'service', {
      metadata: metadata(MYSQL.host),
      spec: {
        clusterIp: 'None',
        // Resolve the name as soon as the pod exists: cluster DNS caches "no such
        // name" (30 s with kubeadm's CoreDNS), which would stall WordPress's first start.
        publishNotReadyAddresses: true,
        selector,
        port: [{ name: 'mysql', port: MYSQL.port, targetPort: String(MYSQL.port) }],
      },
    });

    const healthCommand = { command: [...MYSQL.healthCommand] };
    this.deployment = new DeploymentV1(this, 'deployment', {
      metadata: metadata(MYSQL.host),
      spec: {
        replicas: '1',
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            securityContext: POD_SECURITY_CONTEXT,
            container: [{
              name: 'mysql',
              image,
              imagePullPolicy,
              port: [{ name: 'mysql', containerPort: MYSQL.port }],
              env: [
                fromSecret(MYSQL_ENV.rootPassword),
                fromSecret(MYSQL_ENV.password),
                { name: MYSQL_ENV.database, value: credentials.databaseName },
                { name: MYSQL_ENV.user, value: credentials.username },
              ],
              volumeMount: [{ name: 'data', mountPath: MYSQL.dataPath }],
              startupProbe: { exec: healthCommand, ...STARTUP_PROBE_TIMING },
              readinessProbe: { exec: healthCommand, ...PROBE_TIMING },
              livenessProbe: { tcpSocket: [{ port: String(MYSQL.port) }], ...LIVENESS_TIMING },
              resources: containerResources(resources),
              securityContext: containerSecurityContext('mysql'),
            }],
            volume: [{ name: 'data', persistentVolumeClaim: { claimName: this.dataClaim.metadata.name } }],
          },
        },
      },
    });

    this.networkPolicy = new NetworkPolicyV1(this, 'network-policy', {
      metadata: metadata(`${MYSQL.host}-clients`),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{ podSelector: { matchLabels: props.allowedClientLabels ?? selectorFor(appName, 'wordpress') } }],
          ports: [{ port: String(MYSQL.port), protocol: 'TCP' }],
        }],
      },
    });
  }
}
