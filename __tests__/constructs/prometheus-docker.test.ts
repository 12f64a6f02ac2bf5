import { Testing } from 'cdktf';
import { CadvisorDocker } from '../../constructs/cadvisor-docker';
import { PrometheusDocker, dockerScrapeJobs } from '../../constructs/prometheus-docker';
import { mysqldExporterService } from '../../constructs/metrics';
import { SecretValue, ServiceDescription } from '../../constructs/service';
import { containerNamed } from '../helpers';

const mysql: ServiceDescription = {
  name: 'mysql', appName: 'blog', image: 'mysql:8', env: {}, ports: [{ name: 'mysql', port: 3306 }], volumes: [],
  health: { command: ['true'] }, capabilities: [], resources: { cpuRequest: '10m', cpuLimit: '500m', memoryRequest: '16Mi', memoryLimit: '32Mi' }, security: { user: { uid: 1000, gid: 1000 } },
  sidecars: [mysqldExporterService({ password: SecretValue.fromTerraform('p', '${var.p}') })],
};

describe('PrometheusDocker', () => {
  it('finds each metrics port by the service name in Docker\'s DNS (every replica)', () => {
    expect(dockerScrapeJobs(mysql, 'blog')).toEqual([{
      job_name: 'mysqld-exporter', dns_sd_configs: [{ names: ['mysql'], type: 'A', port: 9104, refresh_interval: '5s' }],
      relabel_configs: [{ target_label: 'service', replacement: 'mysql' }],
    }]);
  });

  const json = Testing.synthScope((scope) => {
    const cadvisor = new CadvisorDocker(scope, 'cadvisor', { appName: 'blog' });
    new PrometheusDocker(scope, 'prometheus', { appName: 'blog', scrape: [cadvisor], publish: { hostPort: 19090 } });
  });
  const container = containerNamed(json, 'blog-prometheus');

  it('keeps only the app\'s containers from cAdvisor, and is published on the host', () => {
    const [config] = container.upload as { file: string; content: string }[];
    expect(config.file).toBe('/etc/prometheus/prometheus.yml');
    expect(config.content).toContain('"regex": "blog"');
    expect(container.ports).toEqual([{ internal: 9090, external: 19090, ip: '127.0.0.1', protocol: 'tcp' }]);
    expect(container.volumes).toEqual([{ volume_name: expect.stringContaining('docker_volume.prometheus_data'), container_path: '/prometheus' }]);
  });

  it('does not protect its samples by default', () => {
    const [volume] = Object.values(JSON.parse(json).resource.docker_volume) as Record<string, unknown>[];
    expect(volume.lifecycle).toEqual({ prevent_destroy: false });
  });

  it('needs something to scrape', () => {
    expect(() => Testing.synthScope((scope) => { new PrometheusDocker(scope, 'prometheus', { scrape: [] }); })).toThrow(/invalid scrape \[\]/);
  });
});
