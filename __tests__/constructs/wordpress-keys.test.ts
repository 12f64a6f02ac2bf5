import { Testing } from 'cdktf';
import { WordpressKeys } from '../../constructs/wordpress-keys';

describe('WordpressKeys', () => {
  it("generates wp-config.php's eight keys and salts, each its own secret", () => {
    let keys: WordpressKeys | undefined;
    const json = Testing.synthScope((scope) => { keys = new WordpressKeys(scope, 'k'); });
    const generated = Object.values(JSON.parse(json).resource.random_password);
    expect(generated).toHaveLength(8);
    for (const password of generated) expect(password).toEqual(expect.objectContaining({ length: 64, special: false }));
    expect(Object.keys(keys!.values)).toEqual(['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']);
    const values = Object.values(keys!.values);
    expect(new Set(values.map((v) => v.terraformValue)).size).toBe(8);
    expect(values.map((v) => v.name)).toContain('wp-nonce-salt');
  });

  it('rejects a short key', () => {
    expect(() => Testing.synthScope((scope) => { new WordpressKeys(scope, 'k', { length: 16 }); }))
      .toThrow(/invalid length 16: must be an integer from 32 to 256/);
  });
});
