import { DEFAULT_APP_NAME, DEFAULT_IMAGES, SERVICE } from './app-model';
import { ComputeResources, ServiceDescription, ServiceFile, mainPort } from './service';
import { TlsCertificate } from './tls';

/** HAProxy reads its configuration here, in the official image and in the local one. */
export const HAPROXY_CONFIG_PATH = '/usr/local/etc/haproxy/haproxy.cfg';
/** Inside the container: a port an unprivileged HAProxy may bind (the official image runs as `haproxy`). */
const LISTEN_PORT = 8080;
/** The official image's `haproxy` user and group. */
const HAPROXY_USER = { uid: 99, gid: 99 };
/** Inside the container: the HTTPS port, when the balancer terminates TLS. */
const TLS_LISTEN_PORT = 8443;
/** The certificate and its key, one PEM file (HAProxy's `crt`). */
export const HAPROXY_TLS_PATH = '/usr/local/etc/haproxy/tls/site.pem';
/** HAProxy answers here itself (`monitor-uri`): the probe of the balancer, not of its backends. */
const MONITOR_PATH = '/lb-health';

/** What the load balancer is on every target; the per-target props add where it runs. */
export interface LoadBalancerOptions {
  /** The service it balances: its name and main port. */
  readonly backend: ServiceDescription;
  /**
   * DNS name that resolves to every backend instance: Swarm `tasks.<name>`,
   * a Docker network alias shared by the containers. @default `tasks.<backend name>`
   */
  readonly backendHost?: string;
  /** Most instances it will ever route to (HAProxy server slots). @default 10 */
  readonly maxBackends?: number;
  /** Value of the `part-of` label and prefix of Docker names. @default 'wordpress' */
  readonly appName?: string;
  /** HAProxy image reading {@link HAPROXY_CONFIG_PATH}. @default 'haproxy:3.0.11' */
  readonly image?: string;
  /** Health-check path on the backend (2xx/3xx is healthy). @default - the backend's `health.httpPath`, else `/` */
  readonly healthPath?: string;
  /** @default 50m CPU requested, 500m limit, 32Mi requested, 128Mi limit */
  readonly resources?: ComputeResources;
  /**
   * Terminate TLS with this certificate: HTTPS on a second port, plain HTTP answers with a
   * redirect to it, and the balancer sets `X-Forwarded-Proto` itself (a client's value is
   * never passed on). @default - plain HTTP only
   */
  readonly tls?: TlsCertificate;
  /** With `tls`: the HTTPS port clients reach (the published one), where HTTP redirects to. @default 443 */
  readonly tlsPublicPort?: number;
}

/** Props of a target's load balancer construct: its services are `S`, run with `O`, published with `P`. */
export type LoadBalancerProps<S, O, P> = Omit<LoadBalancerOptions, 'backend' | 'backendHost'> & O & {
  /** The service it balances; the balancer joins networks it shares with it. */
  readonly backend: S;
  /** Where it is published. @default host port 8080 */
  readonly publish?: P;
  /** Where the HTTPS port is published, with `tls`. @default host port 8443 */
  readonly publishTls?: P;
};

/** Default host port of the HTTPS frontend. */
export const DEFAULT_TLS_HOST_PORT = 8443;

/** The URL of a balancer terminating TLS: its host name and published HTTPS port. */
export function httpsUrl(tls: TlsCertificate, hostPort: number): string {
  return hostPort === 443 ? `https://${tls.host}` : `https://${tls.host}:${hostPort}`;
}

/**
 * HAProxy in front of the replicas of a service: the compose chapter's
 * `scale` + HAProxy. It finds the instances by DNS (re-resolved every second,
 * so added and removed replicas are seen), checks their health, retries a
 * failed connection on another instance, and tells which instance answered
 * (`X-Served-By`).
 */
export function loadBalancerService(options: LoadBalancerOptions): ServiceDescription {
  const { backend } = options;
  const backendHost = options.backendHost ?? `tasks.${backend.name}`;
  const healthPath = options.healthPath ?? backend.health.httpPath ?? '/';
  const config = [
    'global',
    '  log stdout format raw local0 notice',
    '  maxconn 2048',
    '',
    // Docker's embedded DNS; short holds so a replaced task is dropped within ~1 s.
    'resolvers docker',
    '  nameserver dns 127.0.0.11:53',
    '  resolve_retries 3',
    '  timeout resolve 1s',
    '  timeout retry 1s',
    '  hold valid 1s',
    '  hold other 1s',
    '  hold refused 1s',
    '  hold nx 1s',
    '  hold timeout 1s',
    '  hold obsolete 1s',
    '  accepted_payload_size 8192',
    '',
    'defaults',
    '  mode http',
    '  log global',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure empty-response response-timeout',
    '',
    ...frontends(backend.name, options.tls && { url: httpsUrl(options.tls, options.tlsPublicPort ?? 443) }),
    `backend ${backend.name}`,
    '  balance roundrobin',
    `  option httpchk GET ${healthPath}`,
    '  http-check expect status 200-399',
    '  http-response set-header X-Served-By %[srv_name]',
    '  default-server check inter 1s fall 2 rise 1 resolvers docker init-addr none',
    `  server-template ${backend.name} ${options.maxBackends ?? 10} ${backendHost}:${mainPort(backend).port}`,
    '',
  ].join('\n');
  return {
    name: SERVICE.loadBalancer,
    appName: options.appName ?? backend.appName ?? DEFAULT_APP_NAME,
    image: options.image ?? DEFAULT_IMAGES.haproxy,
    env: {},
    ports: [{ name: 'http', port: LISTEN_PORT }, ...(options.tls ? [{ name: 'https', port: TLS_LISTEN_PORT }] : [])],
    volumes: [],
    files: [{ path: HAPROXY_CONFIG_PATH, content: config }, ...(options.tls ? [tlsFile(options.tls)] : [])],
    // The official image has no HTTP client: check that HAProxy accepts its configuration.
    health: { command: ['haproxy', '-c', '-q', '-f', HAPROXY_CONFIG_PATH], httpPath: MONITOR_PATH },
    capabilities: [],
    resources: options.resources ?? { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '32Mi', memoryLimit: '128Mi' },
    // The official image's `haproxy` user (uid 99); it writes nothing (no pid file, no state).
    security: { user: HAPROXY_USER },
  };
}

/** The frontends: plain HTTP only, or HTTPS with HTTP redirecting to it. */
function frontends(backendName: string, tls: { url: string } | undefined): string[] {
  // The client's forwarded headers are never passed on: the balancer says what it saw.
  const forwarded = (proto: string) => [
    '  http-request del-header X-Forwarded-Proto',
    '  http-request del-header Forwarded',
    `  http-request set-header X-Forwarded-Proto ${proto}`,
    '  option forwardfor',
  ];
  if (!tls) return ['frontend http', `  bind :${LISTEN_PORT}`, `  monitor-uri ${MONITOR_PATH}`, `  default_backend ${backendName}`, ''];
  return [
    'frontend http',
    `  bind :${LISTEN_PORT}`,
    `  monitor-uri ${MONITOR_PATH}`,
    // To the certificate's host and the published HTTPS port (not the HTTP port in the Host header).
    `  http-request redirect location ${tls.url}%[pathq] code 301`,
    '',
    'frontend https',
    `  bind :${TLS_LISTEN_PORT} ssl crt ${HAPROXY_TLS_PATH} alpn http/1.1`,
    `  monitor-uri ${MONITOR_PATH}`,
    ...forwarded('https'),
    `  default_backend ${backendName}`,
    '',
  ];
}

function tlsFile(tls: TlsCertificate): ServiceFile {
  return { path: HAPROXY_TLS_PATH, content: tls.combinedPem, secret: true, version: tls.fingerprint };
}
