import { Construct } from 'constructs';
import { DockerPublishOptions, DockerService, DockerServiceOptions } from './docker-service';
import { LoadBalancerProps, loadBalancerService } from './load-balancer';

/** Props for {@link LoadBalancerDocker}. */
export type LoadBalancerDockerProps = LoadBalancerProps<DockerService, DockerServiceOptions, DockerPublishOptions>;

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
