import { loadBalancerService } from '../../constructs/load-balancer';
import { ServiceDescription } from '../../constructs/service';

const web = { name: 'web', appName: 'demo', ports: [{ name: 'http', port: 80 }], health: { command: ['true'], httpPath: '/healthz' } } as unknown as ServiceDescription;

describe('loadBalancerService', () => {
  const lb = loadBalancerService({ backend: web });
  const config = lb.files?.[0].content ?? '';

  it('is HAProxy with its configuration as a file, unprivileged on port 8080', () => {
    expect(lb).toMatchObject({ name: 'lb', appName: 'demo', image: 'haproxy:3.0.11', ports: [{ port: 8080 }], capabilities: [] });
    expect(lb.files?.[0].path).toBe('/usr/local/etc/haproxy/haproxy.cfg');
    expect(config).toMatch(/^ {2}bind :8080$/m);
  });

  it('finds every instance by DNS, re-resolved every second, and health-checks it', () => {
    expect(config).toMatch(/^ {2}server-template web 10 tasks\.web:80$/m);
    expect(config).toMatch(/^ {2}nameserver dns 127\.0\.0\.11:53$/m);
    expect(config).toMatch(/^ {2}hold valid 1s$/m);
    expect(config).toMatch(/^ {2}option httpchk GET \/healthz$/m);
  });

  it('retries a failed connection on another instance and names the one that answered', () => {
    expect(config).toMatch(/^ {2}option redispatch 1$/m);
    expect(config).toMatch(/^ {2}retry-on conn-failure empty-response response-timeout$/m);
    expect(config).toMatch(/X-Served-By %\[srv_name\]/);
  });

  it('takes another DNS name, slot count and health path', () => {
    const other = loadBalancerService({ backend: web, backendHost: 'web', maxBackends: 3, healthPath: '/' }).files?.[0].content;
    expect(other).toMatch(/server-template web 3 web:80/);
    expect(other).toMatch(/option httpchk GET \/$/m);
  });
});
