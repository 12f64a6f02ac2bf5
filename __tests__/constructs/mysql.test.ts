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

describe('mysqlService with metrics', () => {
  const password = SecretValue.fromTerraform('exporter-password', '${random_password.e.result}');
  const service = mysqlService({ credentials, appName: 'blog', metrics: { password, image: 'local/mysqld-exporter:1' } });

  it('adds the exporter sidecar and the init file of its user, read at every start', () => {
    expect(service.sidecars?.map((s) => [s.name, s.image, s.appName])).toEqual([['mysqld-exporter', 'local/mysqld-exporter:1', 'blog']]);
    expect(service.args).toEqual(['--init-file=/etc/mysql/wpcdk-exporter-user.sql']);
    expect(service.files).toEqual([expect.objectContaining({ path: '/etc/mysql/wpcdk-exporter-user.sql', secret: true })]);
  });

  it('is the plain service without metrics', () => {
    const plain = mysqlService({ credentials });
    expect(plain.sidecars).toBeUndefined();
    expect(plain.args).toBeUndefined();
    expect(plain.files).toBeUndefined();
  });
});
