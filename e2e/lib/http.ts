import { sleep } from './run';

/** GET with a short timeout; network errors become status 0. */
export async function get(url: string, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  } catch {
    return { status: 0, body: '' };
  }
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
