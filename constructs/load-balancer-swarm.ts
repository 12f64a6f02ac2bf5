import { Construct } from 'constructs';
import { DEFAULT_TLS_HOST_PORT, LoadBalancerProps, httpsUrl, loadBalancerService } from './load-balancer';
import { SwarmPublishOptions, SwarmService, SwarmServiceOptions } from './swarm-service';

/** Props for {@link LoadBalancerSwarm}. */
export type LoadBalancerSwarmProps = LoadBalancerProps<SwarmService, SwarmServiceOptions, SwarmPublishOptions>;

/**
 * HAProxy on Docker Swarm in front of a service's tasks (`tasks.<service>`),
 * published on the host; `url` is where to open the site. With `tls`, HTTPS is
 * published too (`publishTls`) and `url` is `https://<host>:<port>`.
 */
export class LoadBalancerSwarm extends SwarmService {
  public readonly url: string;

  constructor(scope: Construct, id: string, props: LoadBalancerSwarmProps) {
    const { backend } = props;
    const tlsHostPort = props.publishTls?.hostPort ?? DEFAULT_TLS_HOST_PORT;
    super(scope, id, {
      ...props,
      // A host-mode port is bound by one task per node: the new task can only start once the old one stopped.
      updateOrder: props.updateOrder ?? (props.publish?.mode === 'ingress' ? 'start-first' : 'stop-first'),
      description: loadBalancerService({ ...props, tlsPublicPort: tlsHostPort, backend: backend.description }),
    });
    const httpUrl = this.publish(props.publish);
    if (props.tls) {
      const hostPort = tlsHostPort;
      this.publish({ ...props.publishTls, mode: props.publishTls?.mode ?? props.publish?.mode, hostPort, portName: 'https' });
      this.url = httpsUrl(props.tls, hostPort);
    } else {
      this.url = httpUrl;
    }
  }
}
