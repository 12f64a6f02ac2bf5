import { Construct } from 'constructs';
import { SwarmService, SwarmServiceOptions } from './swarm-service';
import { WordpressOptions, wordpressService } from './wordpress';

/** Props for {@link WordpressSwarm}. */
export interface WordpressSwarmProps extends WordpressOptions, SwarmServiceOptions {
  /** Number of tasks. @default 2 */
  readonly replicas?: number;
}

/**
 * WordPress on Docker Swarm: `docker-compose scale` as replicated tasks
 * sharing the content volume (node-local: one node, or a shared volume
 * driver), rolled start-first with rollback on failure, the database password
 * as a Swarm secret (`WORDPRESS_DB_PASSWORD_FILE`). A load balancer in front
 * publishes it (`LoadBalancerSwarm`).
 */
export class WordpressSwarm extends SwarmService {
  constructor(scope: Construct, id: string, props: WordpressSwarmProps) {
    super(scope, id, { ...props, replicas: props.replicas ?? 2, description: wordpressService(props) });
  }
}
