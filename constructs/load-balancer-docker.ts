import { Construct } from 'constructs';
import { DockerPublishOptions, DockerService, DockerServiceOptions } from './docker-service';
import { LoadBalancerOptions, loadBalancerService } from './load-balancer';

/** Props for {@link LoadBalancerDocker}. */
export interface LoadBalancerDockerProps extends Omit<LoadBalancerOptions, 'backend' | 'backendHost'>, DockerServiceOptions {
  /** The containers it balances: they answer to their service name on a network the balancer joins. */
  readonly backend: DockerService;
  /** Where it is published. @default 127.0.0.1:8080 */
  readonly publish?: DockerPublishOptions;
}

/**
 * HAProxy on Docker in front of a service's containers (`docker-compose scale`
 * + HAProxy): Docker's DNS lists every container under the service name.
 * `url` is where to open the site.
 */
export class LoadBalancerDocker extends DockerService {
  public readonly url: string;

  constructor(scope: Construct, id: string, props: LoadBalancerDockerProps) {
    const { backend } = props;
    super(scope, id, { ...props, description: loadBalancerService({ ...props, backend: backend.description, backendHost: backend.description.name }) });
    // After the backends: a re-deploy from one published container to several frees the host port first.
    for (const container of backend.containers) this.addDependency(container);
    this.url = this.publish(props.publish);
  }
}
