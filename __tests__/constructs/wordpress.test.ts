import { Database } from '../../constructs/database';
import { SecretValue } from '../../constructs/service';
import { wordpressService } from '../../constructs/wordpress';

describe('wordpressService', () => {
  const password = SecretValue.fromKubernetesSecret('db-password', 'managed-db', 'password');
  const database = Database.fromAttributes({ host: 'db.example.com', port: 3307, databaseName: 'blog', username: 'writer', password });

  it('connects to whatever database it is given, password as the database hands it over', () => {
    expect(wordpressService({ database }).env).toEqual({
      WORDPRESS_DB_HOST: { value: 'db.example.com:3307' },
      WORDPRESS_DB_USER: { value: 'writer' },
      WORDPRESS_DB_PASSWORD: { secret: password },
      WORDPRESS_DB_NAME: { value: 'blog' },
    });
  });

  it('hands every container the same keys and salts when given, as secrets', () => {
    const authKey = SecretValue.fromTerraform('wp-auth-key', '${random_password.a.result}');
    const nonceSalt = SecretValue.fromTerraform('wp-nonce-salt', '${random_password.n.result}');
    const { env } = wordpressService({ database, keys: { values: { AUTH_KEY: authKey, NONCE_SALT: nonceSalt } as never } });
    expect(env.WORDPRESS_AUTH_KEY).toEqual({ secret: authKey });
    expect(env.WORDPRESS_NONCE_SALT).toEqual({ secret: nonceSalt });
  });

  it('keeps only wp-content in the volume: the image owns WordPress core', () => {
    expect(wordpressService({ database }).volumes).toEqual([{ name: 'content', path: '/var/www/html/wp-content', size: '1Gi' }]);
  });

  it('adds WORDPRESS_CONFIG_EXTRA only when given', () => {
    expect(wordpressService({ database, configExtra: 'x' }).env.WORDPRESS_CONFIG_EXTRA).toEqual({ value: 'x' });
  });

  it('probes /wp-login.php, which answers only with the database reachable', () => {
    expect(wordpressService({ database }).health).toEqual({ command: ['curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1/wp-login.php'], httpPath: '/wp-login.php' });
  });
});

describe('wordpressService with metrics', () => {
  const database = Database.fromAttributes({ host: 'mysql', port: 3306, databaseName: 'blog', username: 'writer', password: SecretValue.fromEnvironment('db-password') });

  it('adds the apache_exporter sidecar and the loopback mod_status configuration', () => {
    const service = wordpressService({ database, metrics: {} });
    expect(service.sidecars?.map((s) => s.name)).toEqual(['apache-exporter']);
    expect(service.files?.map((f) => f.path)).toEqual(['/etc/apache2/conf-enabled/zz-metrics-status.conf']);
    expect(wordpressService({ database }).sidecars).toBeUndefined();
  });
});
