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

  it('adds WORDPRESS_CONFIG_EXTRA only when given', () => {
    expect(wordpressService({ database, configExtra: 'x' }).env.WORDPRESS_CONFIG_EXTRA).toEqual({ value: 'x' });
  });

  it('probes /wp-login.php, which answers only with the database reachable', () => {
    expect(wordpressService({ database }).health).toEqual({ command: ['curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1/wp-login.php'], httpPath: '/wp-login.php' });
  });
});
