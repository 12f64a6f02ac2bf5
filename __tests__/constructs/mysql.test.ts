import { mysqlDatabase, mysqlService } from '../../constructs/mysql';
import { SecretValue } from '../../constructs/service';

const credentials = {
  databaseName: 'blog', username: 'writer',
  rootPassword: SecretValue.fromEnvironment('db-root-password'), userPassword: SecretValue.fromEnvironment('db-password'),
};

describe('mysqlService', () => {
  it('describes the official image contract: secrets for both passwords, plain name and user', () => {
    const service = mysqlService({ credentials });
    expect(service).toMatchObject({ name: 'mysql', appName: 'wordpress', image: 'mysql:8.4.6', ports: [{ port: 3306 }], volumes: [{ name: 'data', path: '/var/lib/mysql', size: '1Gi' }] });
    expect(service.env).toEqual({
      MYSQL_ROOT_PASSWORD: { secret: credentials.rootPassword },
      MYSQL_DATABASE: { value: 'blog' },
      MYSQL_USER: { value: 'writer' },
      MYSQL_PASSWORD: { secret: credentials.userPassword },
    });
  });

  it('offers the database under its service name', () => {
    expect(mysqlDatabase({ credentials }, credentials.userPassword)).toEqual({ host: 'mysql', port: 3306, databaseName: 'blog', username: 'writer', password: credentials.userPassword });
  });
});
