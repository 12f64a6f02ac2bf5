import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { sleep } from './run';

/**
 * GET on a connection of its own (node:http, no keep-alive); network errors become status 0.
 * Node's fetch reused pooled connections: it held the first poll of a process 2 s on a connection
 * the server had closed (a published port whose container did not listen yet, docker-proxy
 * closing it), and a check right after a browser run is as exposed to a server closing an idle
 * connection. One connection per request has neither problem.
 */
export function get(url: string, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const request = (url.startsWith('https:') ? httpsGet : httpGet)(url, { agent: false, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', () => resolve({ status: 0, body: '' }));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve({ status: 0, body: '' }));
  });
}

/**
 * Polls `url` every `intervalMs` until `accept` says yes; returns the time it
 * happened (ms since epoch). Throws with the last status after `timeoutMs`.
 */
export async function waitFor(
  url: string,
  accept: (response: { status: number; body: string }) => boolean,
  timeoutMs: number,
  intervalMs = 50,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = { status: 0, body: '' };
  while (Date.now() < deadline) {
    last = await get(url, 2000);
    if (accept(last)) return Date.now();
    await sleep(intervalMs);
  }
  throw new Error(`${url} did not answer as expected within ${timeoutMs} ms (last status ${last.status}: ${last.body.slice(0, 200)})`);
}

/** The WordPress install page, rendered with a working DB connection. */
export const isInstallPage = (r: { status: number; body: string }) =>
  r.status === 200 && /id="setup"|name="weblog_title"|Already Installed/.test(r.body);
