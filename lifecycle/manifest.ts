import type { Target } from '../stacks/config';

/** What a backup archive holds, besides its manifest. */
export const PARTS = ['database.sql', 'content.tar'] as const;
export type PartName = (typeof PARTS)[number];
export const MANIFEST_FILE = 'manifest.json';
export const FORMAT = 'wordpress-cdktf-backup/1';
const TARGETS: readonly Target[] = ['docker', 'swarm', 'kubernetes'];

export interface PartInfo {
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * `manifest.json`. `site_url`, `db_version` and `table_prefix` are null for a
 * site whose WordPress is not installed yet (a safety backup of a fresh stack).
 */
export interface Manifest extends SiteFacts {
  readonly format: typeof FORMAT;
  readonly created_at: string;
  readonly stack: string;
  readonly target: Target;
  readonly parts: Readonly<Record<PartName, PartInfo>>;
}

/** What the manifest records about a site (read from its containers by `siteFacts`). */
export interface SiteFacts {
  readonly site_url: string | null;
  readonly wordpress_version: string;
  readonly db_version: string | null;
  readonly db_server_version: string;
  readonly table_prefix: string | null;
  readonly counts: { readonly posts: number; readonly attachments: number };
}

export class ManifestError extends Error {}

type Check = (value: unknown) => boolean;
const text: Check = (v) => typeof v === 'string' && v.length > 0;
const textOrNull: Check = (v) => v === null || text(v);
const count: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const FIELDS: Readonly<Record<Exclude<keyof Manifest, 'format' | 'counts' | 'parts'>, [Check, string]>> = {
  created_at: [(v) => text(v) && !Number.isNaN(Date.parse(v as string)), 'an ISO date'],
  stack: [text, 'a stack name'],
  target: [(v) => (TARGETS as readonly unknown[]).includes(v), TARGETS.join(', ')],
  site_url: [textOrNull, 'a URL or null'],
  wordpress_version: [text, 'a version'],
  db_version: [textOrNull, 'a version or null'],
  db_server_version: [text, 'a version'],
  table_prefix: [textOrNull, 'a table prefix or null'],
};

/**
 * Reads a manifest, refusing (with every problem, named by field) anything
 * this version does not know how to restore.
 */
export function parseManifest(json: string, where: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new ManifestError(`${where}: ${MANIFEST_FILE} is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(data)) throw new ManifestError(`${where}: ${MANIFEST_FILE} must be a JSON object`);
  if (data.format !== FORMAT) {
    throw new ManifestError(`${where}: unknown format ${JSON.stringify(data.format)} in ${MANIFEST_FILE}: expected "${FORMAT}"`);
  }
  const problems: string[] = [];
  const show = (v: unknown) => (v === undefined ? 'missing' : `got ${JSON.stringify(v)}`);
  for (const [field, [check, expected]] of Object.entries(FIELDS)) {
    if (!check(data[field])) problems.push(`${field} must be ${expected} (${show(data[field])})`);
  }
  const counts = data.counts;
  if (!isObject(counts)) problems.push(`counts must be an object { posts, attachments } (${show(counts)})`);
  else for (const key of ['posts', 'attachments']) if (!count(counts[key])) problems.push(`counts.${key} must be a whole number (${show(counts[key])})`);
  const parts = data.parts;
  if (!isObject(parts)) problems.push(`parts must be an object naming ${PARTS.join(' and ')} (${show(parts)})`);
  else {
    for (const name of Object.keys(parts)) if (!(PARTS as readonly string[]).includes(name)) problems.push(`parts names an unknown part "${name}"`);
    for (const name of PARTS) {
      const part = parts[name];
      if (!isObject(part)) problems.push(`parts["${name}"] must be { bytes, sha256 } (${show(part)})`);
      else {
        if (!count(part.bytes)) problems.push(`parts["${name}"].bytes must be a whole number (${show(part.bytes)})`);
        if (typeof part.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(part.sha256)) problems.push(`parts["${name}"].sha256 must be 64 hex digits (${show(part.sha256)})`);
      }
    }
  }
  if (problems.length) throw new ManifestError(`${where}: ${MANIFEST_FILE} is not a valid manifest: ${problems.join('; ')}`);
  return data as unknown as Manifest;
}
