import { Testing } from 'cdktf';
import { WordpressKeys } from '../../constructs/wordpress-keys';

describe('WordpressKeys', () => {
  it("generates wp-config.php's eight keys and salts, each its own secret", () => {
    let keys: WordpressKeys | undefined;
    const json = Testing.synthScope((scope) => { keys = new WordpressKeys(scope, 'k'); });
    // random_bytes, not random_password: no bcrypt hash of each key on the first deploy.
    const { resource } = JSON.parse(json);
    expect(resource.random_password).toBeUndefined();
    const generated = Object.values(resource.random_bytes);
    expect(generated).toHaveLength(8);
    for (const bytes of generated) expect(bytes).toEqual({ length: 32 });
    expect(Object.keys(keys!.values)).toEqual(['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']);
    const values = Object.values(keys!.values);
    expect(new Set(values.map((v) => v.terraformValue)).size).toBe(8);
    expect(values.map((v) => v.name)).toContain('wp-nonce-salt');
  });

  it('rejects a short key and an odd length', () => {
    expect(() => Testing.synthScope((scope) => { new WordpressKeys(scope, 'k', { length: 16 }); }))
      .toThrow(/invalid length 16: must be an integer from 32 to 256/);
    expect(() => Testing.synthScope((scope) => { new WordpressKeys(scope, 'k', { length: 65 }); }))
      .toThrow(/length.*65.*must be even \(each key is the hex of length \/ 2 random bytes\)/);
  });

  it('makes keys of the length asked for: hex of half as many bytes', () => {
    const json = Testing.synthScope((scope) => { new WordpressKeys(scope, 'k', { length: 128 }); });
    for (const bytes of Object.values(JSON.parse(json).resource.random_bytes)) expect(bytes).toEqual({ length: 64 });
  });
});
