import { HAPROXY_TLS_PATH, loadBalancerService } from '../../constructs/load-balancer';
import { ServiceDescription } from '../../constructs/service';
import { TlsCertificate } from '../../constructs/tls';
import { makeTlsFixtures } from '../tls-fixtures';

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

  describe('with tls', () => {
    const files = makeTlsFixtures();
    const tls = TlsCertificate.fromFiles('LB', 'wordpress.localhost', { certFile: files.cert, keyFile: files.key });
    const secure = loadBalancerService({ backend: web, tls, tlsPublicPort: 8443 });
    const cfg = secure.files?.[0].content ?? '';

    it('adds an HTTPS port with the certificate as a secret file, versioned by its content', () => {
      expect(secure.ports).toEqual([{ name: 'http', port: 8080 }, { name: 'https', port: 8443 }]);
      expect(secure.files?.[1]).toMatchObject({ path: HAPROXY_TLS_PATH, secret: true, version: tls.fingerprint });
      expect(cfg).toMatch(new RegExp(`^ {2}bind :8443 ssl crt ${HAPROXY_TLS_PATH} alpn http/1.1$`, 'm'));
    });

    it('redirects plain HTTP to the HTTPS URL, keeping the health URI answering', () => {
      expect(cfg).toMatch(/frontend http\n {2}bind :8080\n {2}monitor-uri \/lb-health\n {2}http-request redirect location https:\/\/wordpress\.localhost:8443%\[pathq\] code 301\n/);
    });

    it('replaces the client\'s forwarded headers with its own', () => {
      const https = cfg.slice(cfg.indexOf('frontend https'));
      expect(https).toMatch(/http-request del-header X-Forwarded-Proto\n {2}http-request del-header Forwarded\n {2}http-request set-header X-Forwarded-Proto https\n {2}option forwardfor/);
    });

    it('is unchanged without tls', () => {
      expect(config).not.toContain('X-Forwarded-Proto');
      expect(lb.ports).toHaveLength(1);
    });
  });
});
