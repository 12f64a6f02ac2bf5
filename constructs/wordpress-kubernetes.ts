import { Construct } from 'constructs';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { AccessMode } from './choices';
import { ExposeOptions, Exposure, KubernetesWorkload, KubernetesWorkloadOptions } from './kubernetes-workload';
import { WordpressOptions, wordpressService } from './wordpress';

/** Props for {@link WordpressKubernetes}. */
export interface WordpressKubernetesProps extends WordpressOptions, Omit<KubernetesWorkloadOptions, 'volumeAccessMode'> {
  /** Access mode of the content volume; more than one replica needs 'ReadWriteMany'. @default 'ReadWriteOnce' */
  readonly contentAccessMode?: AccessMode;
}

/**
 * WordPress on Kubernetes: the compose `wordpress` service becomes a
 * Deployment (replicas = `docker-compose scale`) with its content volume as a
 * PVC; {@link exposeViaService} publishes it (NodePort, LoadBalancer or
 * ClusterIP) and sets {@link url}.
 */
export class WordpressKubernetes extends KubernetesWorkload {
  private exposed?: Exposure;

  constructor(scope: Construct, id: string, props: WordpressKubernetesProps) {
    super(scope, id, { ...props, volumeAccessMode: props.contentAccessMode, description: wordpressService(props) });
  }

  public override exposeViaService(options: ExposeOptions = {}): Exposure {
    this.exposed = super.exposeViaService(options);
    return this.exposed;
  }

  /** URL of the site: through the node port, or the in-cluster DNS name for ClusterIP. */
  public get url(): string {
    return this.exposure().url;
  }

  /** The Service {@link exposeViaService} created. */
  public get exposedService(): ServiceV1 {
    return this.exposure().service;
  }

  /** Node port of the Service (a token); undefined for ClusterIP. */
  public get nodePort(): number | undefined {
    return this.exposure().nodePort;
  }

  private exposure() {
    if (!this.exposed) throw new Error(`${this.owner}: not exposed: call exposeViaService() first`);
    return this.exposed;
  }
}
