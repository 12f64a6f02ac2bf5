import { Construct } from 'constructs';
import { METRICS } from './app-model';
import { DockerPublishOptions, DockerService, DockerServiceOptions } from './docker-service';
import { PrometheusOptions, ScrapeJob, prometheusConfig, prometheusService } from './metrics';
import { ServiceDescription } from './service';
import { fail } from './validation';

/** Props for {@link PrometheusDocker}. */
export interface PrometheusDockerProps extends Omit<PrometheusOptions, 'config'>, Omit<DockerServiceOptions, 'replicas'> {
  /**
   * Services whose `metrics` ports (their own or their sidecars') it scrapes, found by their
   * name in Docker's DNS (every replica). It must share a network with each of them.
   */
  readonly scrape: readonly DockerService[];
  /** Where it is published. @default 127.0.0.1:9090 */
  readonly publish?: DockerPublishOptions;
  /** @default 5 */
  readonly scrapeIntervalSeconds?: number;
  /** `prevent_destroy` on its samples' volume. @default false: they are a record of the app, not its data */
  readonly protectData?: boolean;
}

/** One job per `metrics` port of a service and its sidecars, all its containers by DNS. */
export function dockerScrapeJobs(service: ServiceDescription, appName: string): ScrapeJob[] {
  const members = [service, ...(service.sidecars ?? [])];
  return members.flatMap((member) => member.ports.filter((p) => p.name === 'metrics').map((port) => ({
    job_name: member.name,
    dns_sd_configs: [{ names: [service.name], type: 'A', port: port.port, refresh_interval: '5s' }],
    relabel_configs: [{ target_label: 'service', replacement: service.name }],
    // cAdvisor reports every container of the engine: keep this app's.
    ...(member.name === 'cadvisor'
      ? { metric_relabel_configs: [{ source_labels: ['container_label_app_kubernetes_io_part_of'], regex: appName, action: 'keep' }] }
      : {}),
  })));
}

/**
 * Prometheus on Docker: scrapes the exporters (sidecars in the network namespace of the
 * service they watch) and cAdvisor over the networks it shares with them, keeps its
 * samples in a named volume and is published on the host ({@link url}).
 */
export class PrometheusDocker extends DockerService {
  public readonly url: string;

  constructor(scope: Construct, id: string, props: PrometheusDockerProps) {
    const appName = props.appName ?? 'wordpress';
    if (props.scrape.length === 0) fail(`PrometheusDocker ${id}`, 'scrape', [], 'must name at least one service to scrape');
    const jobs = props.scrape.flatMap((s) => dockerScrapeJobs(s.description, appName));
    const config = prometheusConfig(jobs, props.scrapeIntervalSeconds ?? METRICS.scrapeIntervalSeconds);
    super(scope, id, { ...props, protectData: props.protectData ?? false, description: prometheusService({ ...props, appName, config }) });
    for (const service of props.scrape) this.addDependency(service.container);
    this.url = this.publish({ ...props.publish, hostPort: props.publish?.hostPort ?? METRICS.hostPort });
  }
}
