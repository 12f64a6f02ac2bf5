/**
 * HTTPS end-to-end on Docker (TLS at the HAProxy balancer) and on Kubernetes
 * (an Ingress with TLS, served by the test cluster's Traefik), through the
 * user's path (`cdktf deploy`). A development CA is made with openssl and
 * trusted by Chromium through an NSS database under a HOME this run owns: no
 * flag that skips certificate errors. Writes e2e-results/https.json.
 * Run: npm run e2e:https
 */
import { request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../stacks/config';
import { DOCKER_STACK } from '../stacks/docker-stack';
import { KUBERNETES_STACK } from '../stacks/kubernetes-stack';
import { dockerName } from '../constructs/docker-common';
import { DEFAULT_IMAGES, SERVICE } from '../constructs/app-model';
import { installLoginAndPublish, withPage } from './lib/browser';
import { get, waitFor } from './lib/http';
import { ROOT, RESULTS_DIR, cdktf, log, need, run } from './lib/run';
import { check, writeResults } from './lib/results';
import { removeDockerLeftovers, runE2e } from './lib/leftovers';

const LOG = 'https';
const NAME = 'wpcdk-tls';
const HOST = 'wordpress.localhost';
const DOCKER_HTTP_PORT = 18682;
const DOCKER_HTTPS_PORT = 18683;
// Where the test cluster's Traefik serves (scripts/cluster/common.sh).
const INGRESS_HTTP_PORT = Number(process.env.WPCDK_CLUSTER_HTTP_PORT ?? 18680);
const INGRESS_HTTPS_PORT = Number(process.env.WPCDK_CLUSTER_HTTPS_PORT ?? 18681);
const FORGED = 'X-Forwarded-Proto: https';

type Target = 'docker' | 'k8s';

/** The development CA and server certificate (scripts/tls/dev-cert.sh) and a browser HOME trusting the CA. */
async function devCertificateAndTrustStore(work: string) {
  const certs = join(work, 'certs');
  await run(LOG, 'bash', [join(ROOT, 'scripts', 'tls', 'dev-cert.sh'), HOST, certs]);
  const home = join(work, 'home');
  const nssdb = join(home, '.pki', 'nssdb');
  mkdirSync(nssdb, { recursive: true });
  await run(LOG, 'certutil', ['-d', `sql:${nssdb}`, '-N', '--empty-password']);
  // C: a CA trusted to issue server certificates.
  await run(LOG, 'certutil', ['-d', `sql:${nssdb}`, '-A', '-t', 'C,,', '-n', 'wordpress-cdktf development CA', '-i', join(certs, 'ca.crt')]);
  const listed = await run(LOG, 'certutil', ['-d', `sql:${nssdb}`, '-L']);
  need(listed.stdout.includes('wordpress-cdktf development CA'), 'the development CA in the NSS database', 'certutil -A failed');
  return { cert: join(certs, 'server.crt'), key: join(certs, 'server.key'), home };
}

/** The install flow over HTTPS in Chromium, counting requests over plain http:// and mixed-content reports. */
async function browserInstall(target: Target, baseUrl: string, home: string) {
  const insecure: string[] = [];
  const postTitle = `Hello over HTTPS on ${target}`;
  const adminPassword = `pw-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const postId = await installLoginAndPublish({
    baseUrl, siteTitle: `wordpress-cdktf over HTTPS on ${target}`, adminUser: 'admin', adminPassword, postTitle,
    screenshot: join(RESULTS_DIR, `https-${target}-post.png`),
  }, {
    home,
    onRequest: (url, pageUrl) => { if (url.startsWith('http://')) insecure.push(`${url} (from ${pageUrl})`); },
    onResponse: (url, status) => { if (status >= 400) log(LOG, `${target} browser: ${status} for ${url}`); },
    onConsole: (text, pageUrl) => {
      if (/mixed content/i.test(text)) insecure.push(`console: ${text.slice(0, 200)} (on ${pageUrl})`);
      else if (/error|failed|refused/i.test(text)) log(LOG, `${target} browser console: ${text.slice(0, 300)} (on ${pageUrl})`);
    },
  }).catch((error: Error) => {
    log(LOG, `${target}: the install flow failed; insecure requests seen: ${JSON.stringify(insecure)}`);
    throw error;
  });
  // The admin area and the front page once more, screenshotted: the padlock's view of both.
  await withPage(async (page) => {
    await page.goto(`${baseUrl}/wp-login.php`);
    await page.fill('#user_login', 'admin');
    await page.fill('#user_pass', adminPassword);
    await Promise.all([page.waitForURL(/\/wp-admin\//), page.click('#wp-submit')]);
    await page.screenshot({ path: join(RESULTS_DIR, `https-${target}-admin.png`) });
    await page.goto(`${baseUrl}/`);
    await page.screenshot({ path: join(RESULTS_DIR, `https-${target}-front.png`), fullPage: true });
    if (!page.url().startsWith('https://')) insecure.push(`front page ended at ${page.url()}`);
  }, {
    home,
    onRequest: (url, pageUrl) => { if (url.startsWith('http://')) insecure.push(`${url} (from ${pageUrl})`); },
    onConsole: (text, pageUrl) => { if (/mixed content/i.test(text)) insecure.push(`console: ${text.slice(0, 200)} (on ${pageUrl})`); },
  });
  const post = await findPublishedPostOverHttps(baseUrl, postTitle, home);
  return { ok: post === postId, insecure };
}

/** The REST API read through the browser too (Node's fetch would not trust the development CA). */
async function findPublishedPostOverHttps(baseUrl: string, title: string, home: string): Promise<number | undefined> {
  return withPage(async (page) => {
    const response = await page.goto(`${baseUrl}/?rest_route=/wp/v2/posts&search=${encodeURIComponent(title)}`);
    const posts = JSON.parse(await response?.text() ?? '[]') as { id: number; title: { rendered: string } }[];
    return posts.find((p) => p.title.rendered === title)?.id;
  }, { home });
}

/** Plain HTTP answers with a permanent redirect to the https:// URL of the same path. */
async function redirectsToHttps(httpPort: number, httpsBase: string): Promise<{ ok: boolean; seen: string }> {
  // node:http, as a browser at http://<host>:<port> would ask: fetch() drops a Host header.
  const { status, location } = await new Promise<{ status: number; location: string }>((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: httpPort, path: '/wp-login.php?x=1', headers: { Host: `${HOST}:${httpPort}` }, timeout: 20_000 }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, location: String(response.headers.location ?? '') });
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from 127.0.0.1:${httpPort} in 20 s`)));
    request.on('error', reject);
    request.end();
  });
  return { ok: [301, 308].includes(status) && location === `${httpsBase}/wp-login.php?x=1`, seen: `${status} ${location}` };
}

/**
 * What scheme WordPress believes a request to wp-login.php came with, from the raw
 * response (`curl -i`): with an https site URL WordPress forces the login over
 * HTTPS (FORCE_SSL_ADMIN), so a request it takes for plain HTTP is redirected to
 * https://, and one it takes for HTTPS gets the form, posting to https://.
 */
function believedScheme(raw: string): string {
  const status = /^HTTP\/[\d.]+ (\d+)/.exec(raw)?.[1];
  const location = /^location: (\S+)/im.exec(raw)?.[1] ?? '';
  if (status?.startsWith('3')) return location.startsWith('https://') || location.startsWith('http://') ? 'http' : `unknown (${status} ${location})`;
  return /<form[^>]*id="loginform"[^>]*action="(https?):/.exec(raw)?.[1] ?? `unknown (${raw.slice(0, 160).replace(/\s+/g, ' ')})`;
}

/** The login page through the proxy, as the browser gets it (the control: HTTPS is believed there). */
async function schemeThroughProxy(baseUrl: string, home: string): Promise<string> {
  return withPage(async (page) => {
    const response = await page.goto(`${baseUrl}/wp-login.php`);
    const html = (await response?.text()) ?? '';
    return /<form[^>]*id="loginform"[^>]*action="(https?):/.exec(html)?.[1] ?? `unknown (${page.url()})`;
  }, { home });
}

/** curl arguments of the forged request, straight to WordPress at `url`. */
const forgedRequest = (url: string, port: number) => ['-sS', '-i', '--max-time', '20', '-H', FORGED, '-H', `Host: ${HOST}:${port}`, url];

async function dockerRun(stackEnv: Record<string, string>, home: string) {
  const config = loadConfig({ ...process.env, ...stackEnv });
  const baseUrl = `https://${HOST}:${DOCKER_HTTPS_PORT}`;
  await removeDockerLeftovers(LOG, NAME); // what a run that died left, also in another clone (whose state is gone)
  await cdktf(LOG, ['destroy', DOCKER_STACK, '--auto-approve'], stackEnv); // a clean start
  try {
    await cdktf(LOG, ['deploy', DOCKER_STACK, '--auto-approve'], stackEnv);
    // Through the balancer, with a client that checks nothing: only to wait for WordPress.
    await waitFor(`http://127.0.0.1:${DOCKER_HTTP_PORT}${'/lb-health'}`, (r) => r.status === 200, 120_000, 250);
    const install = await browserInstall('docker', baseUrl, home);
    const redirect = await redirectsToHttps(DOCKER_HTTP_PORT, baseUrl);
    // Straight to WordPress from a container on the app network (bypassing HAProxy), header forged.
    const image = config.wordpressImage ?? DEFAULT_IMAGES.wordpress;
    const wordpress = dockerName({ appName: NAME, name: SERVICE.wordpress });
    const direct = await run(LOG, 'docker', ['run', '--rm', '--network', NAME, '--entrypoint', 'curl', image,
      ...forgedRequest(`http://${wordpress}/wp-login.php`, DOCKER_HTTPS_PORT)]);
    // Control: the same page through the proxy is believed to be HTTPS.
    return { install, redirect, spoofedScheme: believedScheme(direct.stdout), proxiedScheme: await schemeThroughProxy(baseUrl, home) };
  } finally {
    await cdktf(LOG, ['destroy', DOCKER_STACK, '--auto-approve'], stackEnv);
  }
}

async function kubernetesRun(stackEnv: Record<string, string>, home: string) {
  const config = loadConfig({ ...process.env, ...stackEnv });
  const kubectl = (args: string[], allowFailure = false) => run(LOG, 'kubectl', ['--kubeconfig', config.kubeconfig, ...(config.kubeContext ? ['--context', config.kubeContext] : []), ...args], { allowFailure });
  await kubectl(['get', '--raw=/readyz']).catch((e) => need(false, `a reachable cluster (${e.message})`, 'Run scripts/cluster/up.sh.'));
  const ping = await get(`http://127.0.0.1:${process.env.WPCDK_CLUSTER_INGRESS_PING_PORT ?? 18689}/ping`);
  need(ping.status === 200, 'the cluster\'s Ingress controller (Traefik)', 'Run scripts/cluster/up.sh (it starts Traefik).');
  const baseUrl = `https://${HOST}:${INGRESS_HTTPS_PORT}`;
  await cdktf(LOG, ['destroy', KUBERNETES_STACK, '--auto-approve'], stackEnv);
  try {
    await cdktf(LOG, ['deploy', KUBERNETES_STACK, '--auto-approve'], stackEnv);
    // Afterwards, WordPress's access log (the peer address of the controller's requests) goes into the log.
    const install = await browserInstall('k8s', baseUrl, home).finally(() => kubectl(['logs', '-n', config.namespace, 'deploy/wordpress', '--tail=15'], true));
    const redirect = await redirectsToHttps(INGRESS_HTTP_PORT, baseUrl);
    // Straight to the WordPress Service from a pod (bypassing the Ingress), header forged. The pod
    // runs in a namespace of its own: the app's namespace admits only `restricted` pods and denies
    // their egress by default; WordPress's HTTP port is open to any pod (its NetworkPolicy).
    const image = config.wordpressImage ?? DEFAULT_IMAGES.wordpress;
    const probeNamespace = `${NAME}-probe`;
    await kubectl(['delete', 'namespace', probeNamespace, '--ignore-not-found', '--wait=true']);
    await kubectl(['create', 'namespace', probeNamespace]);
    const direct = await kubectl(['run', `${NAME}-spoof`, '-n', probeNamespace, '--image', image, `--image-pull-policy=${config.imagePullPolicy ?? 'IfNotPresent'}`,
      '--restart=Never', '--rm', '-i', '--quiet', '--command', '--', 'curl', ...forgedRequest(`http://wordpress.${config.namespace}.svc.cluster.local/wp-login.php`, INGRESS_HTTPS_PORT)])
      .finally(() => kubectl(['delete', 'namespace', probeNamespace, '--ignore-not-found', '--wait=false'], true));
    return { install, redirect, spoofedScheme: believedScheme(direct.stdout), proxiedScheme: await schemeThroughProxy(baseUrl, home) };
  } finally {
    await cdktf(LOG, ['destroy', KUBERNETES_STACK, '--auto-approve'], stackEnv);
  }
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), `${NAME}-`));
  try {
    const { cert, key, home } = await devCertificateAndTrustStore(work);
    const common = {
      WPCDK_TLS_HOST: HOST, WPCDK_TLS_CERT_FILE: cert, WPCDK_TLS_KEY_FILE: key,
      WPCDK_APP_NAME: NAME, WPCDK_PROTECT_DATA: 'false', WPCDK_WORDPRESS_CONFIG_EXTRA: "define('WP_HTTP_BLOCK_EXTERNAL', true);",
    };
    log(LOG, '1. Docker: TLS at the HAProxy balancer');
    const docker = await dockerRun({ ...common, WPCDK_HOST_PORT: String(DOCKER_HTTP_PORT), WPCDK_HTTPS_PORT: String(DOCKER_HTTPS_PORT) }, home);
    log(LOG, `docker: ${JSON.stringify(docker)}`);
    log(LOG, '2. Kubernetes: an Ingress with TLS, served by Traefik');
    const k8s = await kubernetesRun({ ...common, WPCDK_NAMESPACE: NAME, WPCDK_IMAGE_PULL_POLICY: 'Never', WPCDK_INGRESS_HTTPS_PORT: String(INGRESS_HTTPS_PORT) }, home);
    log(LOG, `k8s: ${JSON.stringify(k8s)}`);

    const insecure = [...docker.install.insecure, ...k8s.install.insecure];
    const results = {
      https_browser_install_ok: { docker: docker.install.ok, k8s: k8s.install.ok },
      mixed_content: insecure.length,
      ...(insecure.length ? { mixed_content_list: insecure } : {}),
      http_redirects_to_https: docker.redirect.ok && k8s.redirect.ok,
      http_redirect_seen: { docker: docker.redirect.seen, k8s: k8s.redirect.seen },
      forwarded_proto_spoofing_blocked: docker.spoofedScheme === 'http' && k8s.spoofedScheme === 'http'
        && docker.proxiedScheme === 'https' && k8s.proxiedScheme === 'https',
      login_form_scheme: {
        docker: { direct_with_forged_header: docker.spoofedScheme, through_proxy: docker.proxiedScheme },
        k8s: { direct_with_forged_header: k8s.spoofedScheme, through_proxy: k8s.proxiedScheme },
      },
      browser_trust: 'development CA in an NSS database under the run\'s HOME (certutil); no certificate-error flags',
      screenshots: ['docker', 'k8s'].flatMap((t) => [`https-${t}-post.png`, `https-${t}-admin.png`, `https-${t}-front.png`]),
    };
    writeResults('https', results);
    check(results, {
      https_browser_install_ok: (v) => JSON.stringify(v) === JSON.stringify({ docker: true, k8s: true }),
      mixed_content: (v) => v === 0,
      http_redirects_to_https: (v) => v === true,
      forwarded_proto_spoofing_blocked: (v) => v === true,
    });
    log(LOG, 'e2e https: all checks passed');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runE2e('e2e https', LOG, [NAME], main);
