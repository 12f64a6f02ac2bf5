import { get, waitFor } from './http';

/** The published posts whose title matches, through the REST API (no pretty permalinks needed). */
export async function findPublishedPost(baseUrl: string, title: string): Promise<{ id: number; link: string } | undefined> {
  const { status, body } = await get(`${baseUrl}/?rest_route=/wp/v2/posts&search=${encodeURIComponent(title)}`);
  if (status !== 200) return undefined;
  const posts = JSON.parse(body) as { id: number; link: string; title: { rendered: string }; status?: string }[];
  return posts.find((p) => p.title.rendered === title);
}

/** True once the post's own page is served with its title (WordPress and MySQL both up). */
export async function postIsServed(baseUrl: string, postId: number, title: string): Promise<boolean> {
  const { status, body } = await get(`${baseUrl}/?p=${postId}`);
  return status === 200 && body.includes(title);
}

/** Waits until the post's page is served again; returns when (ms since epoch). */
export function waitForPost(baseUrl: string, postId: number, title: string, timeoutMs = 120_000): Promise<number> {
  return waitFor(`${baseUrl}/?p=${postId}`, (r) => r.status === 200 && r.body.includes(title), timeoutMs, 100);
}
