import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { ArchiveError, GZIP_HEADER, partInfo, readArchive, writeArchive } from '../../lifecycle/archive';
import { FORMAT, Manifest } from '../../lifecycle/manifest';

const FIELDS: Omit<Manifest, 'format' | 'parts'> = {
  created_at: '2025-01-02T03:04:05.000Z', stack: 'wordpress-docker', target: 'docker', site_url: 'http://127.0.0.1:8080',
  wordpress_version: '6.1.1', db_version: '53496', db_server_version: '10.11.6-MariaDB', table_prefix: 'wp_', counts: { posts: 1, attachments: 1 },
};

let work: string;
beforeEach(() => { work = mkdtempSync(join(tmpdir(), 'archive-test-')); });
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A directory with the two parts. */
function parts(sql = "INSERT INTO t VALUES ('x');\n", content = 'not really a tar'): string {
  const dir = mkdtempSync(join(work, 'parts-'));
  writeFileSync(join(dir, 'database.sql'), sql);
  writeFileSync(join(dir, 'content.tar'), content);
  return dir;
}

async function valid(): Promise<string> {
  const out = join(work, 'site.tar.gz');
  await writeArchive(out, parts(), FIELDS);
  return out;
}

/** A hand-made .tar.gz with the same header, holding `files` (name -> content). */
async function pack(files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(work, 'pack-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const out = join(work, `hand-${Object.keys(files).length}-${Math.random()}.tar.gz`);
  await tar.c({ gzip: true, file: out, cwd: dir, portable: true }, Object.keys(files));
  const bytes = readFileSync(out);
  GZIP_HEADER.copy(bytes, 0);
  writeFileSync(out, bytes);
  return out;
}

/** The three entries of a consistent archive, with `change` applied to the manifest. */
async function withManifest(change: (m: Record<string, unknown>) => unknown, content = 'x'): Promise<string> {
  const dir = parts('sql', content);
  const manifest = {
    format: FORMAT, ...FIELDS,
    parts: { 'database.sql': await partInfo(join(dir, 'database.sql')), 'content.tar': await partInfo(join(dir, 'content.tar')) },
  };
  const text = change(manifest);
  return pack({ 'manifest.json': typeof text === 'string' ? text : JSON.stringify(text ?? manifest), 'database.sql': 'sql', 'content.tar': content });
}

const refused = async (file: string, message: RegExp) => {
  await expect(readArchive(file)).rejects.toThrow(ArchiveError);
  await expect(readArchive(file)).rejects.toThrow(message);
};

describe('writeArchive / readArchive', () => {
  test('a valid archive round-trips: manifest and parts', async () => {
    const file = await valid();
    const archive = await readArchive(file);
    try {
      expect(archive.manifest).toMatchObject({ format: FORMAT, ...FIELDS });
      expect(archive.manifest.parts['database.sql'].bytes).toBe(28);
      expect(readFileSync(archive.path('database.sql'), 'utf8')).toBe("INSERT INTO t VALUES ('x');\n");
      expect(readFileSync(archive.path('content.tar'), 'utf8')).toBe('not really a tar');
    } finally {
      archive.dispose();
    }
    expect(readFileSync(file).subarray(0, 10).equals(GZIP_HEADER)).toBe(true);
  });

  test('never writes over an existing file', async () => {
    const file = await valid();
    const before = readFileSync(file);
    await expect(writeArchive(file, parts('other'), FIELDS)).rejects.toThrow(/already exists: refusing to overwrite/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  test('refuses a missing file', () => refused(join(work, 'nope.tar.gz'), /nope.tar.gz does not exist/));

  test('refuses a file that is not gzip', async () => {
    writeFileSync(join(work, 'plain.tar.gz'), 'hello');
    await refused(join(work, 'plain.tar.gz'), /plain.tar.gz is not a gzip file/);
  });

  test('refuses gzip data that is not a tar', async () => {
    const { gzipSync } = await import('node:zlib');
    const bytes = gzipSync(Buffer.alloc(2048, 'x'));
    GZIP_HEADER.copy(bytes, 0);
    writeFileSync(join(work, 'notar.tar.gz'), bytes);
    await refused(join(work, 'notar.tar.gz'), /notar.tar.gz is damaged|lacks/);
  });

  test('refuses a truncated archive', async () => {
    const file = await valid();
    writeFileSync(file, readFileSync(file).subarray(0, -20));
    await refused(file, /is damaged/);
  });

  test('refuses a missing part', async () => {
    await refused(await pack({ 'manifest.json': '{}', 'database.sql': 'x' }), /lacks content.tar/);
  });

  test('refuses an extra part', async () => {
    const file = await withManifest(() => undefined);
    const dir = mkdtempSync(join(work, 'extra-'));
    await tar.x({ file, cwd: dir });
    writeFileSync(join(dir, 'evil.sh'), 'rm -rf /');
    const out = join(work, 'extra.tar.gz');
    await tar.c({ gzip: true, file: out, cwd: dir }, ['manifest.json', 'database.sql', 'content.tar', 'evil.sh']);
    const bytes = readFileSync(out);
    GZIP_HEADER.copy(bytes, 0);
    writeFileSync(out, bytes);
    await refused(out, /unexpected entries: evil.sh/);
  });

  test('refuses an unknown format', () => withManifest((m) => ({ ...m, format: 'other/1' })).then((f) => refused(f, /unknown format "other\/1"/)));
  test('refuses a manifest that is not JSON', () => withManifest(() => '{oops').then((f) => refused(f, /manifest.json is not valid JSON/)));
  test('refuses a manifest lacking fields', () => withManifest((m) => ({ ...m, db_server_version: undefined })).then((f) => refused(f, /db_server_version must be a version \(missing\)/)));

  test('refuses a size mismatch', () => withManifest((m) => {
    const p = m.parts as Record<string, { bytes: number; sha256: string }>;
    return { ...m, parts: { ...p, 'content.tar': { ...p['content.tar'], bytes: 2 } } };
  }).then((f) => refused(f, /content.tar has 1 bytes, the manifest says 2/)));

  test('refuses a sha256 mismatch', () => withManifest((m) => {
    const p = m.parts as Record<string, { bytes: number; sha256: string }>;
    return { ...m, parts: { ...p, 'database.sql': { ...p['database.sql'], sha256: '0'.repeat(64) } } };
  }).then((f) => refused(f, /database.sql has sha256 [0-9a-f]{64}, the manifest says 0{64}/)));

  test('refuses the archive whichever single byte is flipped: header, deflate data, checksum, size', async () => {
    const file = await valid();
    const original = readFileSync(file);
    const flipped = join(work, 'flipped.tar.gz');
    const accepted: number[] = [];
    // Every header and trailer byte, and a spread of the compressed data (all of it takes seconds).
    const positions = [...original.keys()].filter((i) => i < 10 || i >= original.length - 8 || i % 5 === 0);
    for (const i of positions) {
      const bytes = Buffer.from(original);
      bytes[i] ^= 0xff;
      writeFileSync(flipped, bytes);
      try {
        (await readArchive(flipped)).dispose();
        accepted.push(i);
      } catch (error) {
        if (!(error instanceof ArchiveError)) throw error;
      }
    }
    expect(accepted).toEqual([]);
  });
});
