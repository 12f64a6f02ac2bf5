import { get, waitFor } from './http';
import { sleep } from './run';

/**
 * The published post titled `title`, as the REST API lists it to a visitor (no pretty permalinks
 * needed). Asks up to `attempts` times, `intervalMs` apart; every answer that does not list it is logged
 * (status and the start of the body), so a failed check shows what the server said.
 */
export async function findPublishedPost(
  baseUrl: string,
  title: string,
  { attempts = 5, intervalMs = 1000 }: { readonly attempts?: number; readonly intervalMs?: number } = {},
): Promise<{ id: number; link: string } | undefined> {
  const url = `${baseUrl}/?rest_route=/wp/v2/posts&search=${encodeURIComponent(title)}`;
  for (let attempt = 1; ; attempt += 1) {
    const { status, body } = await get(url);
    const post = status === 200 ? parsePosts(body)?.find((p) => p.title.rendered === title) : undefined;
    if (post) return post;
    console.error(`GET ${url} (${attempt}/${attempts}) did not list the post: status ${status}, ${body.length} bytes: ${body.slice(0, 400)}`);
    if (attempt >= attempts) return undefined;
    await sleep(intervalMs);
  }
}

function parsePosts(body: string): { id: number; link: string; title: { rendered: string } }[] | undefined {
  try {
    const posts: unknown = JSON.parse(body);
    return Array.isArray(posts) ? posts : undefined;
  } catch {
    return undefined;
  }
}

/** True once the post's own page is served with its title (WordPress and MySQL both up). */
export async function postIsServed(baseUrl: string, postId: number, title: string): Promise<boolean> {
  const { status, body } = await get(`${baseUrl}/?p=${postId}`);
  return status === 200 && body.includes(title);
}

/**
 * Whether the post's page is served with its title `times` times in a row, `intervalMs` apart,
 * within `timeoutMs`: after a recovery, that the site stays up, not one answer. A site whose
 * database just came back can answer and then fail again for a moment (the Kubernetes e2e saw it
 * once after a MySQL pod was replaced; see README, "End-to-end runs"): every answer that is not
 * the post is logged (status and the start of the body) and the count starts again.
 */
export async function postServedSteadily(
  baseUrl: string,
  postId: number,
  title: string,
  { times = 3, intervalMs = 500, timeoutMs = 60_000 }: { readonly times?: number; readonly intervalMs?: number; readonly timeoutMs?: number } = {},
): Promise<boolean> {
  const url = `${baseUrl}/?p=${postId}`;
  const deadline = Date.now() + timeoutMs;
  for (let inRow = 0; Date.now() < deadline; await sleep(intervalMs)) {
    const { status, body } = await get(url);
    if (status === 200 && body.includes(title)) {
      inRow += 1;
      if (inRow >= times) return true;
    } else {
      inRow = 0;
      console.error(`GET ${url} did not serve the post: status ${status}, ${body.length} bytes: ${body.slice(0, 400)}`);
    }
  }
  return false;
}

/** Waits until the post's page is served again; returns when (ms since epoch). */
export function waitForPost(baseUrl: string, postId: number, title: string, timeoutMs = 120_000): Promise<number> {
  return waitFor(`${baseUrl}/?p=${postId}`, (r) => r.status === 200 && r.body.includes(title), timeoutMs, 100);
}
