import { TlsCertificate } from '../constructs/tls';
import { AppConfig, ConfigError, SETTINGS, Target, fromSettings } from './config';

/** What a stack serves HTTPS with: the host name and a checked certificate or an existing Secret. */
export interface StackTls {
  readonly host: string;
  readonly certificate?: TlsCertificate;
  /** Kubernetes: an existing `kubernetes.io/tls` Secret. */
  readonly secretName?: string;
}

/**
 * Default trusted proxies on Kubernetes: the addresses a host-process controller (the test
 * cluster's Traefik) connects to pods from: the node's pod bridge, and the node address
 * (traffic through a Service's cluster IP).
 */
export const DEFAULT_INGRESS_TRUSTED_PROXIES = '10.244.0.1/32,10.201.0.1/32';

/**
 * The HTTPS settings of one stack, checked: undefined when none is set. Errors name the
 * setting, the bad value and what is expected; `now` is when certificates must be valid.
 */
export function stackTls(config: AppConfig, target: Target, now: Date = new Date()): StackTls | undefined {
  const { tlsHost: host, tlsCertFile: certFile, tlsKeyFile: keyFile } = config;
  const tlsSecret = target === 'kubernetes' ? config.tlsSecret : undefined;
  const given = (key: 'tlsHost' | 'tlsCertFile' | 'tlsKeyFile' | 'tlsSecret') => config.sources[key] ?? SETTINGS[key].env;
  if (host === undefined && certFile === undefined && keyFile === undefined && tlsSecret === undefined) return undefined;
  if (host === undefined) {
    throw new ConfigError(`${given('tlsHost')} is not set: HTTPS needs the site's host name (e.g. wordpress.localhost) with ${certFile !== undefined ? given('tlsCertFile') : given('tlsSecret')}`);
  }
  if (certFile !== undefined && keyFile === undefined) {
    throw new ConfigError(`${given('tlsCertFile')}=${JSON.stringify(certFile)} is given without its key: set ${given('tlsKeyFile')} to the PEM private key of that certificate`);
  }
  if (keyFile !== undefined && certFile === undefined) {
    throw new ConfigError(`${given('tlsKeyFile')}=${JSON.stringify(keyFile)} is given without its certificate: set ${given('tlsCertFile')} to the PEM certificate`);
  }
  if (certFile !== undefined && tlsSecret !== undefined) {
    throw new ConfigError(`${given('tlsSecret')}=${JSON.stringify(tlsSecret)} and ${given('tlsCertFile')} are both set: give the certificate one way`);
  }
  if (certFile === undefined && tlsSecret === undefined) {
    const secret = target === 'kubernetes' ? ` (or ${given('tlsSecret')}, an existing kubernetes.io/tls Secret)` : '';
    throw new ConfigError(`${given('tlsHost')}=${JSON.stringify(host)} needs a certificate: set ${given('tlsCertFile')} and ${given('tlsKeyFile')}${secret}`);
  }
  const settings = { host: 'tlsHost', certFile: 'tlsCertFile', keyFile: 'tlsKeyFile' } as const;
  return fromSettings(config, settings, () => {
    if (tlsSecret !== undefined) {
      TlsCertificate.checkHost('TLS', host);
      return { host, secretName: tlsSecret };
    }
    return { host, certificate: TlsCertificate.fromFiles('TLS', host, { certFile, keyFile }, now) };
  });
}
