import { Construct } from 'constructs';
import { LoadBalancerProps, loadBalancerService } from './load-balancer';
import { SwarmPublishOptions, SwarmService, SwarmServiceOptions } from './swarm-service';

/** Props for {@link LoadBalancerSwarm}. */
export type LoadBalancerSwarmProps = LoadBalancerProps<SwarmService, SwarmServiceOptions, SwarmPublishOptions>;

/**
 * HAProxy on Docker Swarm in front of a service's tasks (`tasks.<service>`),
 * published on the host; `url` is where to open the site.
 */
export class LoadBalancerSwarm extends SwarmService {
  public readonly url: string;

  constructor(scope: Construct, id: string, props: LoadBalancerSwarmProps) {
    const { backend } = props;
    super(scope, id, {
      ...props,
      // A host-mode port is bound by one task per node: the new task can only start once the old one stopped.
      updateOrder: props.updateOrder ?? (props.publish?.mode === 'ingress' ? 'start-first' : 'stop-first'),
      description: loadBalancerService({ ...props, backend: backend.description }),
    });
    this.url = this.publish(props.publish);
  }
}
