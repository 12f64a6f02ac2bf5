import { Token } from 'cdktf';
import { TlsCertificate, checkHostName, checkTrustedProxies, forwardedProtoGuard } from '../../constructs/tls';
import { makeTlsFixtures } from '../tls-fixtures';

const files = makeTlsFixtures();

describe('TlsCertificate.fromFiles', () => {
  it('accepts a certificate with its key for its host, and refers to the files: no PEM text in the configuration', () => {
    const tls = TlsCertificate.fromFiles('TLS', 'wordpress.localhost', { certFile: files.cert, keyFile: files.key });
    // Terraform expressions (file()), resolved at apply time; the stack tests read the synthesized text.
    expect(Token.isUnresolved(tls.certificatePem) && Token.isUnresolved(tls.privateKeyPem)).toBe(true);
    expect(tls.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(tls.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses a certificate without its key, naming the setting and what is expected', () => {
    expect(() => TlsCertificate.fromFiles('TLS', 'wordpress.localhost', { certFile: files.cert }))
      .toThrow(/invalid keyFile "": must be the path of the PEM private key of .*server\.crt: a certificate without its key/);
  });

  it('refuses a key that is not the certificate\'s', () => {
    expect(() => TlsCertificate.fromFiles('TLS', 'wordpress.localhost', { certFile: files.cert, keyFile: files.otherKey }))
      .toThrow(/invalid keyFile ".*other\.key": must be the private key of .*server\.crt .*it is another key/);
  });

  it('refuses an expired certificate, saying when it expired', () => {
    expect(() => TlsCertificate.fromFiles('TLS', 'wordpress.localhost', { certFile: files.cert, keyFile: files.key }, files.afterExpiry))
      .toThrow(/invalid certFile ".*server\.crt": must be a certificate valid now: it expired on \d{4}-\d\d-\d\dT/);
  });

  it('refuses a certificate for another host, listing the names it has', () => {
    expect(() => TlsCertificate.fromFiles('TLS', 'blog.example.com', { certFile: files.cert, keyFile: files.key }))
      .toThrow(/must be a certificate for blog\.example\.com: it names DNS:wordpress\.localhost/);
  });

  it('refuses files that are missing or not PEM', () => {
    expect(() => TlsCertificate.fromFiles('TLS', 'wordpress.localhost', { certFile: '/nonexistent.crt', keyFile: files.key }))
      .toThrow(/invalid certFile "\/nonexistent\.crt": must be a readable PEM file: ENOENT/);
    expect(() => TlsCertificate.fromFiles('TLS', 'wordpress.localhost', { certFile: files.garbage, keyFile: files.key }))
      .toThrow(/invalid certFile ".*garbage\.pem": must hold a PEM certificate/);
  });
});

describe('checkHostName', () => {
  it.each(['wordpress.localhost', 'blog.example.com', 'a-b.c9.io'])('accepts %s', (host) => {
    expect(() => checkHostName('TLS', 'host', host)).not.toThrow();
  });
  it.each(['https://wordpress.localhost', 'wordpress.localhost:8443', 'localhost', 'Blog.Example.com', 'bad_name.example', '-a.example', 'a..b'])('refuses %s', (host) => {
    expect(() => checkHostName('TLS', 'host', host)).toThrow(`TLS: invalid host ${JSON.stringify(host)}: must be a DNS host name such as 'wordpress.localhost'`);
  });
});

describe('the forwarded-proto guard', () => {
  it('accepts addresses, CIDRs and host names, and refuses anything else', () => {
    expect(() => checkTrustedProxies('W', 'p', ['10.244.0.1/32', '172.17.0.2', 'wordpress-lb', 'tasks.wordpress-swarm-lb'])).not.toThrow();
    expect(() => checkTrustedProxies('W', 'p', ['10.0.0.0/33'])).toThrow(/invalid p "10.0.0.0\/33": must be an IPv4 address, an IPv4 CIDR/);
    expect(() => checkTrustedProxies('W', 'p', ["x');phpinfo();//"])).toThrow(/must be an IPv4 address/);
    expect(() => checkTrustedProxies('W', 'p', [])).toThrow(/must list at least one/);
  });

  it('drops the header and HTTPS unless the peer is a trusted proxy', () => {
    const php = forwardedProtoGuard(['10.244.0.1/32', 'wordpress-lb']);
    expect(php).toContain("array('10.244.0.1/32', 'wordpress-lb')");
    expect(php).toContain("unset($_SERVER['HTTP_X_FORWARDED_PROTO'])");
    expect(php).toContain("unset($_SERVER['HTTPS'])");
    expect(php).toContain('gethostbynamel($proxy)');
  });
});
