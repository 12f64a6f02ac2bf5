import { Construct } from 'constructs';
import { LoadBalancerOptions, loadBalancerService } from './load-balancer';
import { SwarmPublishOptions, SwarmService, SwarmServiceOptions } from './swarm-service';

/** Props for {@link LoadBalancerSwarm}. */
export interface LoadBalancerSwarmProps extends Omit<LoadBalancerOptions, 'backend'>, SwarmServiceOptions {
  /** The Swarm service it balances; the load balancer joins its networks. */
  readonly backend: SwarmService;
  /** Where it is published. @default host port 8080, host mode */
  readonly publish?: SwarmPublishOptions;
}

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
