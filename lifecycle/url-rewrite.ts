import { rewriteString } from './php-serialized';
import { fromByteString, mapStringLiterals, toByteString, utf8Bytes } from './sql-literals';

/**
 * Moving a site: WordPress stores its address in the database (options,
 * post content, GUIDs, PHP-serialized widget and theme settings, JSON in
 * blocks). These rewrite a mysqldump file from one address to another.
 */

export class SiteUrlError extends Error {}

/** `http(s)://host[:port][/path]` without a trailing slash; throws naming `what` otherwise. */
export function normalizeSiteUrl(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SiteUrlError(`${what} ${JSON.stringify(url)} is not a URL: expected http://host[:port][/path]`);
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search || parsed.hash || parsed.username) {
    throw new SiteUrlError(`${what} ${JSON.stringify(url)} is not a site address: expected http://host[:port][/path], no query or credentials`);
  }
  return url.replace(/\/+$/, '');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** After a match: nothing that would make it a longer host, port or path segment. */
const END = '(?![A-Za-z0-9_~:@%-]|\\.[A-Za-z0-9])';
/** Before a match: not inside a longer scheme or word. */
const START = '(?<![A-Za-z0-9+.-])';

/**
 * Replaces the site address `from` by `to` in a text (a byte string): the URL
 * (`http://old`), its JSON-escaped form (`http:\/\/old`) and the address
 * without scheme (`//old`, `\/\/old`). A longer host, port or path is not a
 * match: `http://127.0.0.1:18080` leaves `http://127.0.0.1:180801` alone.
 */
export function urlReplacer(from: string, to: string): (text: string) => string {
  const oldUrl = utf8Bytes(normalizeSiteUrl(from, 'old site URL'));
  const newUrl = utf8Bytes(normalizeSiteUrl(to, 'new site URL'));
  const withoutScheme = (url: string) => url.slice(url.indexOf('//'));
  const json = (text: string) => text.replace(/\//g, '\\/');
  const pairs: [string, string][] = [
    [oldUrl, newUrl],
    [json(oldUrl), json(newUrl)],
    [withoutScheme(oldUrl), withoutScheme(newUrl)],
    [json(withoutScheme(oldUrl)), json(withoutScheme(newUrl))],
  ];
  const replacement = new Map(pairs);
  // One pass, leftmost match first: a replaced address is never matched again.
  const pattern = new RegExp(pairs.map(([old]) => `${old.startsWith('http') ? START : ''}${escapeRegExp(old)}${END}`).join('|'), 'g');
  // Every form holds the host: a text without it is left as it is, quickly.
  const host = withoutScheme(oldUrl).slice(2).split('/')[0];
  if (oldUrl === newUrl) return (text) => text;
  return (text) => (text.includes(host) ? text.replace(pattern, (match) => replacement.get(match)!) : text);
}

/** One stored value: PHP-serialized data with its lengths recomputed, anything else as text. */
export function rewriteValue(value: string, replace: (text: string) => string): string {
  return rewriteString(value, replace);
}

/** A mysqldump file with every string literal moved from the site address `from` to `to`. */
export function rewriteSiteUrl(sql: Buffer, from: string, to: string): Buffer {
  const replace = urlReplacer(from, to);
  return fromByteString(mapStringLiterals(toByteString(sql), (value) => rewriteValue(value, replace)));
}
