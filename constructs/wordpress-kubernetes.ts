import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { AccessMode } from './choices';
import { ExposeOptions, Exposure, KubernetesWorkload, KubernetesWorkloadOptions } from './kubernetes-workload';
import { labelsOf, mainPort } from './service';
import { TlsCertificate, checkHostName } from './tls';
import { checkDnsSubdomain, checkPort, fail } from './validation';
import { WordpressOptions, wordpressService } from './wordpress';

/** Props for {@link WordpressKubernetes}. */
export interface WordpressKubernetesProps extends WordpressOptions, Omit<KubernetesWorkloadOptions, 'volumeAccessMode'> {
  /** Access mode of the content volume; more than one replica needs 'ReadWriteMany'. @default 'ReadWriteOnce' */
  readonly contentAccessMode?: AccessMode;
}

/** How {@link WordpressKubernetes.exposeViaIngress} serves the site over HTTPS. */
export interface IngressOptions {
  /** The site's host name (the Ingress rule's host and the certificate's name). */
  readonly host: string;
  /**
   * The certificate: one checked from the user's files (a `kubernetes.io/tls` Secret is
   * created from it), or the name of an existing `kubernetes.io/tls` Secret in the namespace.
   */
  readonly tls: { readonly certificate: TlsCertificate } | { readonly secretName: string };
  /** IngressClass of the controller. @default - the cluster's default class */
  readonly ingressClassName?: string;
  /** Port the controller serves HTTPS on, as seen from where the URL is opened. @default 443 */
  readonly httpsPort?: number;
}

/**
 * WordPress on Kubernetes: the compose `wordpress` service becomes a
 * Deployment (replicas = `docker-compose scale`) with its content volume as a
 * PVC; {@link exposeViaService} publishes it (NodePort, LoadBalancer or
 * ClusterIP) and sets {@link url}; {@link exposeViaIngress} then serves it over
 * HTTPS through the cluster's ingress controller.
 */
export class WordpressKubernetes extends KubernetesWorkload {
  /** The Ingress {@link exposeViaIngress} created. */
  public ingress?: IngressV1;
  /** The TLS Secret {@link exposeViaIngress} created from the user's certificate. */
  public tlsSecret?: SecretV1;
  private exposed?: Exposure;

  constructor(scope: Construct, id: string, props: WordpressKubernetesProps) {
    super(scope, id, { ...props, volumeAccessMode: props.contentAccessMode, description: wordpressService(props) });
  }

  public override exposeViaService(options: ExposeOptions = {}): Exposure {
    this.exposed = super.exposeViaService(options);
    return this.exposed;
  }

  /**
   * An Ingress with TLS for `host`, to the Service {@link exposeViaService} made; the
   * controller terminates TLS and redirects plain HTTP. {@link url} becomes
   * `https://<host>[:<httpsPort>]`. Returns the Ingress.
   */
  public exposeViaIngress(options: IngressOptions): IngressV1 {
    const { service } = this.exposure();
    if (this.ingress) fail(this.owner, 'exposeViaIngress', options.host, 'is already exposed via an Ingress');
    checkHostName(this.owner, 'host', options.host);
    const httpsPort = options.httpsPort ?? 443;
    checkPort(this.owner, 'httpsPort', httpsPort);
    if (options.ingressClassName !== undefined) checkDnsSubdomain(this.owner, 'ingressClassName', options.ingressClassName);
    const labels = labelsOf(this.description);
    let secretName: string;
    if ('certificate' in options.tls) {
      const { certificate } = options.tls;
      if (!Token.isUnresolved(options.host) && certificate.host !== options.host) {
        fail(this.owner, 'host', options.host, `must be the host name the certificate was checked for (${certificate.host})`);
      }
      this.tlsSecret = new SecretV1(this, 'tls-secret', {
        metadata: { name: `${this.description.name}-tls`, namespace: this.namespace, labels },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': certificate.certificatePem, 'tls.key': certificate.privateKeyPem },
      });
      secretName = this.tlsSecret.metadata.name;
    } else {
      checkDnsSubdomain(this.owner, 'tls.secretName', options.tls.secretName);
      secretName = options.tls.secretName;
    }
    const { name, port } = mainPort(this.description);
    this.ingress = new IngressV1(this, 'ingress', {
      metadata: { name: this.description.name, namespace: this.namespace, labels },
      spec: {
        ingressClassName: options.ingressClassName,
        tls: [{ hosts: [options.host], secretName }],
        rule: [{
          host: options.host,
          http: { path: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service.metadata.name, port: { name: name ?? undefined, number: name ? undefined : port } } } }] },
        }],
      },
      waitForLoadBalancer: false,
    });
    this.exposed = { ...this.exposure(), url: httpsPort === 443 ? `https://${options.host}` : `https://${options.host}:${httpsPort}` };
    return this.ingress;
  }

  /** URL of the site: through the Ingress, the node port, or the in-cluster DNS name for ClusterIP. */
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
