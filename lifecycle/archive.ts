import { createHash } from 'node:crypto';
import {
  closeSync, createReadStream, existsSync, linkSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as tar from 'tar';
import { FORMAT, MANIFEST_FILE, Manifest, PARTS, PartInfo, PartName, parseManifest } from './manifest';

/**
 * A backup archive: a .tar.gz of `manifest.json`, `database.sql` and
 * `content.tar`. The gzip header is written the same everywhere (no time, OS
 * byte 3), and checked on reading: with the gzip checksum over the data, any
 * changed byte of the file is found before anything is restored.
 */
export const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);

export class ArchiveError extends Error {}

export async function partInfo(file: string): Promise<PartInfo> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { bytes: statSync(file).size, sha256: hash.digest('hex') };
}

/**
 * Writes the archive of the parts in `dir` (named as in {@link PARTS}) to
 * `out`, never over an existing file, and returns its manifest. The archive
 * appears under its name only once complete.
 */
export async function writeArchive(out: string, dir: string, fields: Omit<Manifest, 'format' | 'parts'>): Promise<Manifest> {
  if (existsSync(out)) throw new ArchiveError(`${out} already exists: refusing to overwrite it (choose another --out)`);
  const parts = {} as Record<PartName, PartInfo>;
  for (const name of PARTS) parts[name] = await partInfo(join(dir, name));
  const manifest: Manifest = { format: FORMAT, ...fields, parts };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const partial = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  try {
    await tar.c({ gzip: true, file: partial, cwd: dir, portable: true }, [MANIFEST_FILE, ...PARTS]);
    // zlib writes the OS it was built for; the same byte everywhere keeps the header checkable.
    const fd = openSync(partial, 'r+');
    try {
      writeSync(fd, GZIP_HEADER, 0, GZIP_HEADER.length, 0);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(partial, out);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ArchiveError(`${out} already exists: refusing to overwrite it`);
      throw error;
    }
  } finally {
    rmSync(partial, { force: true });
  }
  return manifest;
}

/** A verified archive, unpacked in a temporary directory until {@link dispose}. */
export interface VerifiedArchive {
  readonly file: string;
  readonly manifest: Manifest;
  /** Path of an unpacked part. */
  path(part: PartName): string;
  dispose(): void;
}

/**
 * Unpacks and checks the whole archive: gzip header and checksum, tar
 * structure, exactly the expected parts (regular files), a manifest this
 * version reads, and each part's size and sha256. Throws an
 * {@link ArchiveError} naming the file and the problem; changes nothing else.
 */
export async function readArchive(file: string): Promise<VerifiedArchive> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new ArchiveError(`archive ${file} does not exist (or is not a file)`);
  checkGzipHeader(file);
  const dir = mkdtempSync(join(tmpdir(), 'wpcdk-restore-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    const expected = new Set<string>([MANIFEST_FILE, ...PARTS]);
    const seen = new Set<string>();
    const unexpected: string[] = [];
    try {
      await tar.x({
        file, cwd: dir, strict: true, preserveOwner: false,
        filter: (path, entry) => {
          const type = 'type' in entry ? entry.type : 'File';
          const ok = expected.has(path) && !seen.has(path) && (type === 'File' || type === 'OldFile');
          if (!ok) unexpected.push(`${path} (${seen.has(path) ? 'twice' : type})`);
          seen.add(path);
          return ok;
        },
      });
    } catch (error) {
      throw new ArchiveError(`archive ${file} is damaged: ${(error as Error).message} (the gzip or tar data does not check out)`);
    }
    if (unexpected.length) throw new ArchiveError(`archive ${file} holds unexpected entries: ${unexpected.join(', ')}; expected exactly ${[...expected].join(', ')}`);
    const missing = [...expected].filter((name) => !seen.has(name));
    if (missing.length) throw new ArchiveError(`archive ${file} lacks ${missing.join(', ')}: expected ${[...expected].join(', ')}`);
    let manifest: Manifest;
    try {
      manifest = parseManifest(readFileSync(join(dir, MANIFEST_FILE), 'utf8'), `archive ${file}`);
    } catch (error) {
      throw new ArchiveError((error as Error).message);
    }
    for (const name of PARTS) {
      const actual = await partInfo(join(dir, name));
      const stated = manifest.parts[name];
      if (actual.bytes !== stated.bytes) throw new ArchiveError(`archive ${file}: ${name} has ${actual.bytes} bytes, the manifest says ${stated.bytes}: the archive is damaged`);
      if (actual.sha256 !== stated.sha256) throw new ArchiveError(`archive ${file}: ${name} has sha256 ${actual.sha256}, the manifest says ${stated.sha256}: the archive is damaged`);
    }
    return { file, manifest, path: (part) => join(dir, part), dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

function checkGzipHeader(file: string): void {
  const head = Buffer.alloc(GZIP_HEADER.length);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 2 || head[0] !== 0x1f || head[1] !== 0x8b) throw new ArchiveError(`archive ${file} is not a gzip file: expected a .tar.gz written by \`npm run backup\``);
  if (read < head.length || !head.equals(GZIP_HEADER)) {
    throw new ArchiveError(`archive ${file} is damaged or was not written by \`npm run backup\`: gzip header ${head.subarray(0, read).toString('hex')}, expected ${GZIP_HEADER.toString('hex')}`);
  }
}

