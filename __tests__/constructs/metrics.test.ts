import { DEFAULT_METRICS_IMAGES, METRICS } from '../../constructs/app-model';
import {
  EXPORTER_INIT_FILE, apacheExporterService, apacheStatusConfig, exporterUserInitFile, mysqldExporterService, prometheusConfig, prometheusService,
} from '../../constructs/metrics';
import { SecretValue, checkService } from '../../constructs/service';

const password = SecretValue.fromTerraform('exporter-password', '${random_password.x.result}');

describe('metrics descriptions', () => {
  it('mysqld_exporter: official image, its own user on 127.0.0.1, the password as a secret', () => {
    const exporter = mysqldExporterService({ password });
    expect(exporter).toMatchObject({
      name: 'mysqld-exporter', image: DEFAULT_METRICS_IMAGES.mysqldExporter, ports: [{ name: 'metrics', port: 9104 }], volumes: [], capabilities: [],
      args: ['--mysqld.address=127.0.0.1:3306', '--mysqld.username=exporter'],
    });
    expect(exporter.env[METRICS.exporterPasswordEnv]).toEqual({ secret: password });
    expect(() => checkService('T', exporter)).not.toThrow();
  });

  it('the exporter user: least privilege, loopback only, the generated password, a secret file', () => {
    const file = exporterUserInitFile(password);
    expect(file).toMatchObject({ path: EXPORTER_INIT_FILE, secret: true });
    expect(file.content).toContain("GRANT PROCESS, REPLICATION CLIENT ON *.* TO 'exporter'@'127.0.0.1';");
    expect(file.content).toContain("GRANT SELECT ON performance_schema.* TO 'exporter'@'localhost';");
    expect(file.content).toContain("ALTER USER 'exporter'@'127.0.0.1' IDENTIFIED BY '${random_password.x.result}'");
    expect(file.content).not.toMatch(/GRANT ALL|'%'|--|#/);
  });

  it('apache_exporter reads mod_status on the loopback port of its own virtual host', () => {
    expect(apacheExporterService().args).toEqual(['--scrape_uri=http://127.0.0.1:8081/server-status?auto']);
    const config = apacheStatusConfig().content;
    expect(config).toContain('Listen 127.0.0.1:8081');
    expect(config).toMatch(/<Location \/server-status>\s+SetHandler server-status\s+Require local/);
    expect(apacheStatusConfig().path).toBe('/etc/apache2/conf-enabled/zz-metrics-status.conf');
  });

  it('Prometheus: its config as a file, its samples in a volume, ready on /-/ready', () => {
    const prometheus = prometheusService({ config: 'x', retention: '1d' });
    expect(prometheus).toMatchObject({
      image: DEFAULT_METRICS_IMAGES.prometheus, files: [{ path: '/etc/prometheus/prometheus.yml', content: 'x' }],
      volumes: [{ name: 'data', path: '/prometheus', size: '1Gi' }], health: { httpPath: '/-/ready' },
    });
    expect(prometheus.args).toContain('--storage.tsdb.retention.time=1d');
  });

  it('prometheus.yml scrapes itself and the given jobs at the interval', () => {
    const config = JSON.parse(prometheusConfig([{ job_name: 'x', static_configs: [] }], 7).split('\n').slice(1).join('\n'));
    expect(config.global.scrape_interval).toBe('7s');
    expect(config.scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(['prometheus', 'x']);
  });
});
