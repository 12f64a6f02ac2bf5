import { Database, parseHostPort } from '../../constructs/database';
import { SecretValue } from '../../constructs/service';

const password = SecretValue.fromTerraform('db-password', '${var.database_password}');

describe('Database.fromAttributes', () => {
  it('describes an existing database with the defaults of the in-stack one', () => {
    expect(Database.fromAttributes({ host: 'db.example.com', password })).toEqual({
      host: 'db.example.com', port: 3306, databaseName: 'wordpress', username: 'wordpress', password,
    });
  });

  it.each([
    [{ host: 'db.example.com:3306' }, /invalid host "db.example.com:3306": must be a host name or IPv4 address/],
    [{ host: 'db', port: 0 }, /invalid port 0/],
    [{ host: 'db', username: 'root' }, /invalid username "root": must not be 'root'/],
    [{ host: 'db', databaseName: 'word-press' }, /invalid databaseName "word-press"/],
  ])('rejects %j', (attributes, message) => {
    expect(() => Database.fromAttributes({ password, ...attributes })).toThrow(message);
  });
});

describe('parseHostPort', () => {
  it('reads host and host:port', () => {
    expect(parseHostPort('o', 'p', 'db.example.com')).toEqual({ host: 'db.example.com', port: 3306 });
    expect(parseHostPort('o', 'p', 'db.example.com:3307')).toEqual({ host: 'db.example.com', port: 3307 });
  });

  it('rejects anything else', () => {
    expect(() => parseHostPort('o', 'host', 'db:x')).toThrow(/invalid host "db:x": must be 'host' or 'host:port'/);
  });
});
