import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Fn } from 'cdktf';
import { checkDnsSubdomain, fail, isToken } from './validation';

/**
 * HTTPS facts shared by every target: the site's host name, its certificate
 * (PEM files of the user's, or an existing Kubernetes TLS Secret) and which
 * peers may tell WordPress that the client used HTTPS.
 */

/** Where a certificate and its key come from. */
export interface TlsFiles {
  /** PEM certificate (the server's first, then any intermediates). */
  readonly certFile: string;
  /** PEM private key of that certificate. */
  readonly keyFile: string;
}

/**
 * A server certificate checked at synth time: it parses, has its key, covers
 * the host name and is valid now. The PEM text never enters the synthesized
 * configuration: Terraform reads the files (`file()`), so the key lives only in
 * the Terraform state, like the generated passwords.
 */
export class TlsCertificate {
  /**
   * Reads and checks `certFile` and `keyFile` for `host`; `owner` names the
   * construct in errors, whose prop is `certFile` / `keyFile` / `host`.
   */
  public static fromFiles(owner: string, host: string, files: Partial<TlsFiles>, now: Date = new Date()): TlsCertificate {
    checkHostName(owner, 'host', host);
    if (!files.certFile) fail(owner, 'certFile', files.certFile ?? '', 'must be the path of a PEM certificate (given with keyFile)');
    if (!files.keyFile) fail(owner, 'keyFile', files.keyFile ?? '', `must be the path of the PEM private key of ${files.certFile}: a certificate without its key cannot serve HTTPS`);
    const certFile = resolve(files.certFile);
    const keyFile = resolve(files.keyFile);
    const certPem = readPem(owner, 'certFile', certFile);
    const keyPem = readPem(owner, 'keyFile', keyFile);
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(certPem);
    } catch (error) {
      fail(owner, 'certFile', files.certFile, `must hold a PEM certificate (-----BEGIN CERTIFICATE-----): ${(error as Error).message}`);
    }
    let key;
    try {
      key = createPrivateKey(keyPem);
    } catch (error) {
      fail(owner, 'keyFile', files.keyFile, `must hold a PEM private key (-----BEGIN PRIVATE KEY-----): ${(error as Error).message}`);
    }
    if (!cert.checkPrivateKey(key)) fail(owner, 'keyFile', files.keyFile, `must be the private key of ${files.certFile} (${cert.subject.replace(/\n/g, ', ')}): it is another key`);
    const notAfter = new Date(cert.validTo);
    const notBefore = new Date(cert.validFrom);
    if (notAfter.getTime() <= now.getTime()) fail(owner, 'certFile', files.certFile, `must be a certificate valid now: it expired on ${notAfter.toISOString()}`);
    if (notBefore.getTime() > now.getTime()) fail(owner, 'certFile', files.certFile, `must be a certificate valid now: it is valid only from ${notBefore.toISOString()}`);
    if (!isToken(host) && cert.checkHost(host) === undefined) {
      fail(owner, 'certFile', files.certFile, `must be a certificate for ${host}: it names ${cert.subjectAltName ?? cert.subject.replace(/\n/g, ', ')}`);
    }
    const fingerprint = createHash('sha256').update(certPem).update(keyPem).digest('hex').slice(0, 16);
    return new TlsCertificate(host, Fn.file(certFile), Fn.file(keyFile), notAfter, fingerprint);
  }

  /** Checks a host name as {@link fromFiles} does (for a certificate held elsewhere, e.g. a Secret). */
  public static checkHost(owner: string, host: string): void {
    checkHostName(owner, 'host', host);
  }

  private constructor(
    /** The host name it serves. */
    public readonly host: string,
    /** Terraform expression of the PEM certificate (chain). */
    public readonly certificatePem: string,
    /** Terraform expression of the PEM private key (sensitive). */
    public readonly privateKeyPem: string,
    /** When it expires. */
    public readonly notAfter: Date,
    /** Changes with the certificate or the key (a hash of both files). */
    public readonly fingerprint: string,
  ) {}

  /** Certificate then key, one PEM file: what HAProxy's `crt` reads. */
  public get combinedPem(): string {
    return Fn.join('\n', [Fn.chomp(this.certificatePem), Fn.chomp(this.privateKeyPem), '']);
  }
}

function readPem(owner: string, prop: string, path: string): string {
  if (!isAbsolute(path)) throw new Error(`not absolute: ${path}`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    return fail(owner, prop, path, `must be a readable PEM file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** A host name a certificate and an Ingress rule can name: a lowercase DNS name with at least one dot. */
export function checkHostName(owner: string, prop: string, value: string): void {
  if (isToken(value)) return;
  const expected = "must be a DNS host name such as 'wordpress.localhost' or 'blog.example.com' (lowercase labels of letters, digits and '-', joined by dots; no scheme, port or path)";
  if (typeof value !== 'string' || !value.includes('.')) fail(owner, prop, value, expected);
  try {
    checkDnsSubdomain(owner, prop, value);
  } catch {
    fail(owner, prop, value, expected);
  }
  if (value.split('.').some((label) => label.length > 63)) fail(owner, prop, value, expected);
}

const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\/(3[0-2]|[12]?\d))?$/;
const HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The proxies WordPress takes `X-Forwarded-Proto` from: IPv4 addresses or
 * CIDRs, or DNS names (resolved by WordPress on each request: a Docker or
 * Swarm service name). Throws on anything else.
 */
export function checkTrustedProxies(owner: string, prop: string, values: readonly string[]): void {
  if (values.length === 0) fail(owner, prop, values, 'must list at least one address, CIDR or host name of the proxy');
  for (const value of values) {
    if (isToken(value)) continue;
    if (!IPV4_CIDR.test(value) && !(HOST.test(value) && /[a-z]/.test(value))) {
      fail(owner, prop, value, "must be an IPv4 address, an IPv4 CIDR such as '10.244.0.1/32', or a host name such as 'wordpress-lb'");
    }
  }
}

/**
 * PHP for wp-config.php (it runs after the image's wp-config-docker.php, which
 * sets `$_SERVER['HTTPS']` from any client's `X-Forwarded-Proto`): keeps that
 * only when the peer is one of `proxies`; from anyone else the header is dropped
 * and the request counts as plain HTTP.
 */
export function forwardedProtoGuard(proxies: readonly string[]): string {
  const list = proxies.map((p) => `'${p}'`).join(', ');
  return [
    '/* wordpress-cdktf: X-Forwarded-Proto is believed only from the proxy. */',
    '(function () {',
    "  $peer = $_SERVER['REMOTE_ADDR'] ?? '';",
    '  $trusted = false;',
    `  foreach (array(${list}) as $proxy) {`,
    "    if (preg_match('/^[0-9.]+(\\/[0-9]+)?$/', $proxy)) {",
    "      list($net, $bits) = array_pad(explode('/', $proxy), 2, '32');",
    '      $mask = $bits == 0 ? 0 : (~0 << (32 - (int) $bits)) & 0xFFFFFFFF;',
    '      $ip = ip2long($peer);',
    '      if ($ip !== false && ($ip & $mask) === (ip2long($net) & $mask)) { $trusted = true; }',
    '    } elseif (in_array($peer, gethostbynamel($proxy) ?: array(), true)) {',
    '      $trusted = true;',
    '    }',
    '  }',
    '  if (!$trusted) {',
    "    unset($_SERVER['HTTP_X_FORWARDED_PROTO']);",
    "    if (($_SERVER['REQUEST_SCHEME'] ?? 'http') !== 'https') { unset($_SERVER['HTTPS']); }",
    '  }',
    '})();',
  ].join('\n');
}
