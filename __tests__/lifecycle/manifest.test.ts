import { FORMAT, ManifestError, parseManifest } from '../../lifecycle/manifest';

const SHA = 'a'.repeat(64);
const validManifest = () => ({
  format: FORMAT,
  created_at: '2025-01-02T03:04:05.000Z',
  stack: 'wordpress-docker',
  target: 'docker',
  site_url: 'http://127.0.0.1:8080',
  wordpress_version: '6.1.1',
  db_version: '53496',
  db_server_version: '10.11.6-MariaDB-0+deb12u1',
  table_prefix: 'wp_',
  counts: { posts: 1, attachments: 0 },
  parts: { 'database.sql': { bytes: 10, sha256: SHA }, 'content.tar': { bytes: 0, sha256: SHA } },
});
const parse = (value: unknown) => parseManifest(typeof value === 'string' ? value : JSON.stringify(value), 'archive x.tar.gz');

describe('parseManifest', () => {
  test('reads a valid manifest', () => {
    expect(parse(validManifest())).toEqual(validManifest());
  });

  test('accepts a site that is not installed yet (nulls)', () => {
    expect(parse({ ...validManifest(), site_url: null, db_version: null, table_prefix: null }).site_url).toBeNull();
  });

  test.each([
    ['not JSON', '{"format":', /x\.tar\.gz: manifest\.json is not valid JSON/],
    ['not an object', '[1]', /must be a JSON object/],
    ['an unknown format', { ...validManifest(), format: 'wordpress-cdktf-backup/2' }, /unknown format "wordpress-cdktf-backup\/2" in manifest.json: expected "wordpress-cdktf-backup\/1"/],
    ['no format', { ...validManifest(), format: undefined }, /unknown format undefined/],
    ['a missing field', { ...validManifest(), stack: undefined }, /stack must be a stack name \(missing\)/],
    ['an unknown target', { ...validManifest(), target: 'nomad' }, /target must be docker, swarm, kubernetes \(got "nomad"\)/],
    ['a bad date', { ...validManifest(), created_at: 'yesterday' }, /created_at must be an ISO date/],
    ['a null WordPress version', { ...validManifest(), wordpress_version: null }, /wordpress_version must be a version \(got null\)/],
    ['a negative count', { ...validManifest(), counts: { posts: -1, attachments: 0 } }, /counts.posts must be a whole number \(got -1\)/],
    ['no counts', { ...validManifest(), counts: undefined }, /counts must be an object/],
    ['a missing part', { ...validManifest(), parts: { 'database.sql': { bytes: 1, sha256: SHA } } }, /parts\["content.tar"\] must be \{ bytes, sha256 \} \(missing\)/],
    ['an extra part', { ...validManifest(), parts: { ...validManifest().parts, 'x.bin': { bytes: 1, sha256: SHA } } }, /unknown part "x.bin"/],
    ['a bad sha256', { ...validManifest(), parts: { ...validManifest().parts, 'content.tar': { bytes: 1, sha256: 'abc' } } }, /parts\["content.tar"\].sha256 must be 64 hex digits/],
    ['a fractional size', { ...validManifest(), parts: { ...validManifest().parts, 'content.tar': { bytes: 1.5, sha256: SHA } } }, /parts\["content.tar"\].bytes must be a whole number/],
  ])('refuses %s', (_what, manifest, message) => {
    expect(() => parse(manifest)).toThrow(ManifestError);
    expect(() => parse(manifest)).toThrow(message);
  });

  test('lists every problem at once', () => {
    expect(() => parse({ ...validManifest(), stack: 1, site_url: 2 })).toThrow(/stack must be .*; site_url must be/);
  });
});
