import { Construct } from 'constructs';
import { TerraformVariable } from 'cdktf';
import { Database, IDatabase, parseHostPort } from '../constructs/database';
import { DatabaseCredentials } from '../constructs/database-credentials';
import { SecretValue } from '../constructs/service';
import { checkDnsSubdomain, fail } from '../constructs/validation';
import { AppConfig, fromSettings } from './config';
import { randomProvider } from './secrets';

/** Name of the Terraform variable holding an external database's password (`TF_VAR_database_password`). */
export const DATABASE_PASSWORD_VARIABLE = 'database_password';

/**
 * The stack's database: with `databaseHost` set, the existing one it names
 * (nothing created; its password from `TF_VAR_database_password`, or on
 * Kubernetes from an existing Secret); otherwise `createInStack` builds one
 * with generated credentials.
 */
export function stackDatabase<T extends IDatabase>(
  scope: Construct, config: AppConfig, createInStack: (credentials: DatabaseCredentials) => T,
): { database: IDatabase; inStack?: T } {
  const names = { databaseName: config.databaseName, username: config.databaseUser };
  if (config.databaseHost === undefined) {
    randomProvider(scope);
    const credentials = fromSettings(config, { databaseName: 'databaseName', username: 'databaseUser' }, () => new DatabaseCredentials(scope, 'credentials', { ...names, protectData: config.protectData }));
    const inStack = createInStack(credentials);
    return { database: inStack, inStack };
  }
  const settings = { host: 'databaseHost', port: 'databaseHost', databaseName: 'databaseName', username: 'databaseUser', secret: 'databasePasswordSecret' } as const;
  return {
    database: fromSettings(config, settings, () => Database.fromAttributes({
      ...parseHostPort('Database.fromAttributes', 'host', config.databaseHost!),
      ...names,
      password: config.databasePasswordSecret ? existingSecret(config.databasePasswordSecret) : passwordVariable(scope),
    })),
  };
}

function existingSecret(reference: string): SecretValue {
  const [name, key, ...rest] = reference.split('/');
  if (!name || !key || rest.length || !/^[-._a-zA-Z0-9]+$/.test(key)) {
    fail('Database', 'secret', reference, "must be '<secret name>/<key>' of an existing Secret in the namespace");
  }
  checkDnsSubdomain('Database', 'secret', name);
  return SecretValue.fromKubernetesSecret('db-password', name, key);
}

function passwordVariable(scope: Construct): SecretValue {
  const variable = new TerraformVariable(scope, DATABASE_PASSWORD_VARIABLE, {
    type: 'string',
    sensitive: true,
    nullable: false,
    description: 'Password of the external database user (set TF_VAR_database_password)',
  });
  return SecretValue.fromTerraform('db-password', variable.stringValue);
}
