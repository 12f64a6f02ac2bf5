import { Construct } from 'constructs';
import { DockerPublishOptions, DockerService, DockerServiceOptions } from './docker-service';
import { DEFAULT_TLS_HOST_PORT, LoadBalancerProps, httpsUrl, loadBalancerService } from './load-balancer';

/** Props for {@link LoadBalancerDocker}. */
export type LoadBalancerDockerProps = LoadBalancerProps<DockerService, DockerServiceOptions, DockerPublishOptions>;

/**
 * HAProxy on Docker in front of a service's containers (`docker-compose scale`
 * + HAProxy): Docker's DNS lists every container under the service name.
 * `url` is where to open the site. With `tls`, HTTPS is published too
 * (`publishTls`) and `url` is `https://<host>:<port>`; plain HTTP redirects there.
 */
export class LoadBalancerDocker extends DockerService {
  public readonly url: string;

  constructor(scope: Construct, id: string, props: LoadBalancerDockerProps) {
    const { backend } = props;
    const tlsHostPort = props.publishTls?.hostPort ?? DEFAULT_TLS_HOST_PORT;
    super(scope, id, { ...props, description: loadBalancerService({ ...props, tlsPublicPort: tlsHostPort, backend: backend.description, backendHost: backend.description.name }) });
    // After the backends: a re-deploy from one published container to several frees the host port first.
    for (const container of backend.containers) this.addDependency(container);
    const httpUrl = this.publish(props.publish);
    if (props.tls) {
      const hostPort = tlsHostPort;
      this.publish({ ...props.publishTls, hostPort, portName: 'https' });
      this.url = httpsUrl(props.tls, hostPort);
    } else {
      this.url = httpUrl;
    }
  }
}
