import { Testing } from 'cdktf';
import { DatabaseCredentials } from '../../constructs/database-credentials';

describe('DatabaseCredentials', () => {
  it('generates two letter-and-digit passwords and offers them as secrets', () => {
    let credentials: DatabaseCredentials | undefined;
    const json = Testing.synthScope((scope) => { credentials = new DatabaseCredentials(scope, 'c'); });
    expect(Object.values(JSON.parse(json).resource.random_password)).toEqual([
      expect.objectContaining({ length: 32, special: false }), expect.objectContaining({ length: 32, special: false }),
    ]);
    expect(credentials?.rootPassword.name).toBe('db-root-password');
    expect(credentials?.userPassword.terraformValue).toMatch(/^\$\{TfToken/);
  });

  it('protects the passwords from destroy unless told otherwise: the data directory keeps them', () => {
    const lifecycles = (props: { protectData?: boolean }) => Object.values(JSON.parse(Testing.synthScope((scope) => { new DatabaseCredentials(scope, 'c', props); }))
      .resource.random_password).map((p) => (p as { lifecycle?: unknown }).lifecycle);
    expect(lifecycles({})).toEqual([{ prevent_destroy: true }, { prevent_destroy: true }]);
    expect(lifecycles({ protectData: false })).toEqual([{ prevent_destroy: false }, { prevent_destroy: false }]);
  });

  it.each([
    [{ databaseName: 'word-press' }, /invalid databaseName "word-press"/],
    [{ username: 'u'.repeat(33) }, /invalid username "u{33}": must be 1 to 32 letters/],
    [{ username: 'root' }, /invalid username "root": must not be 'root': the MySQL image creates MYSQL_USER as a second user/],
    [{ passwordLength: 8 }, /invalid passwordLength 8: must be an integer from 16 to 128/],
  ])('rejects %j', (props, message) => {
    expect(() => Testing.synthScope((scope) => { new DatabaseCredentials(scope, 'c', props); })).toThrow(message);
  });
});
