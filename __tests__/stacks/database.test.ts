import { Testing } from 'cdktf';
import { stackDatabase } from '../../stacks/database';
import { testConfig } from '../helpers';

describe('stackDatabase', () => {
  it('creates the in-stack database with generated credentials when no host is set', () => {
    let created = false;
    const json = Testing.synthScope((scope) => {
      stackDatabase(scope, testConfig({ databaseName: 'blog' }), (credentials) => {
        created = credentials.databaseName === 'blog';
        return { host: 'mysql', port: 3306, databaseName: credentials.databaseName, username: credentials.username, password: credentials.userPassword };
      });
    });
    expect(created).toBe(true);
    expect(Object.keys(JSON.parse(json).resource.random_password)).toHaveLength(2);
  });

  it('creates nothing for an existing database and names the setting of a bad host', () => {
    let calls = 0;
    const build = () => { calls += 1; throw new Error('must not be called'); };
    const json = Testing.synthScope((scope) => { stackDatabase(scope, testConfig({ databaseHost: 'db.example.com:3306' }), build); });
    expect(calls).toBe(0);
    expect(JSON.parse(json).resource).toBeUndefined();
    expect(() => Testing.synthScope((scope) => {
      stackDatabase(scope, testConfig({ databaseHost: 'db:x', sources: { databaseHost: 'WPCDK_DATABASE_HOST' } }), build);
    })).toThrow(/^WPCDK_DATABASE_HOST="db:x" is invalid: must be 'host' or 'host:port'/);
  });
});
