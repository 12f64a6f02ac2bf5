import { Construct } from 'constructs';
import { DEFAULT_METRICS_IMAGES, LABEL, METRICS } from './app-model';
import { DockerService, DockerServiceOptions } from './docker-service';
import { exporterService } from './metrics';
import { ComputeResources, ServiceDescription } from './service';

/** Props for {@link CadvisorDocker}. */
export interface CadvisorDockerProps extends Omit<DockerServiceOptions, 'replicas' | 'hostMounts'> {
  /** @default 'gcr.io/cadvisor/cadvisor:v0.49.1' */
  readonly image?: string;
  /** @default 'wordpress' */
  readonly appName?: string;
  /** @default 20m CPU, 64Mi requested, 256Mi limit */
  readonly resources?: ComputeResources;
}

/** cAdvisor as a service: Docker containers only, the two app labels, CPU, memory, network and disk I/O. */
export function cadvisorService(props: CadvisorDockerProps): ServiceDescription {
  const port = METRICS.cadvisorPort;
  return exporterService({
    name: 'cadvisor',
    appName: props.appName,
    image: props.image ?? DEFAULT_METRICS_IMAGES.cadvisor,
    args: [
      `--port=${port}`, '--docker_only=true', '--housekeeping_interval=5s', '--enable_metrics=cpu,memory,network,diskIO',
      '--store_container_labels=false', `--whitelisted_container_labels=${LABEL.component},${LABEL.partOf}`,
    ],
    port,
    healthPath: '/healthz',
    resources: props.resources ?? { cpuRequest: '20m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
    // Root, as the official image: it reads the engine's cgroups and state (host mounts).
    security: {},
  });
}

/**
 * cAdvisor on Docker: CPU and memory of every container from the engine's cgroups, labelled
 * with the containers' `app.kubernetes.io/*` labels, on `/metrics` (port 8080) for Prometheus.
 * It reads the host's /sys (cgroups), the engine's state directory and its socket, all
 * read-only: the socket makes it as trusted as the engine, so it publishes no port.
 */
export class CadvisorDocker extends DockerService {
  constructor(scope: Construct, id: string, props: CadvisorDockerProps = {}) {
    super(scope, id, {
      ...props,
      description: cadvisorService(props),
      hostMounts: [
        { hostPath: '/sys', path: '/sys' },
        { hostPath: '/var/run/docker.sock', path: '/var/run/docker.sock' },
        { hostPath: '/var/lib/docker', path: '/var/lib/docker' },
      ],
    });
  }
}
