import type { Config } from '@backstage/config';
import type { MetadataDatabaseSslMode } from '@airflow-portal/plugin-astro-node';
import type { ClientConfig } from 'pg';
import type { PostgresServerProvisionerOptions } from './PostgresServerProvisioner';

const SSL_MODES: MetadataDatabaseSslMode[] = [
  'disable',
  'allow',
  'prefer',
  'require',
  'verify-ca',
  'verify-full',
];

/** Where the provisioner's settings live in the app config. */
export const POSTGRES_PROVISIONER_CONFIG_KEY =
  'astro.metadataDatabase.postgres';

/**
 * Reads `astro.metadataDatabase.postgres`: the PostgreSQL server on which
 * each Deployment gets its own database and role. Returns `undefined` when
 * the section is absent (Deployments then run an in-namespace PostgreSQL).
 *
 * @public
 */
export function readPostgresServerProvisionerConfig(
  config: Config,
): Omit<PostgresServerProvisionerOptions, 'logger'> | undefined {
  const section = config.getOptionalConfig(POSTGRES_PROVISIONER_CONFIG_KEY);
  if (!section) {
    return undefined;
  }
  let admin: string | ClientConfig;
  if (typeof section.getOptional('connection') === 'string') {
    admin = section.getString('connection');
  } else {
    const connection = section.getConfig('connection');
    admin = {
      host: connection.getString('host'),
      port: connection.getOptionalNumber('port'),
      user: connection.getString('user'),
      password: connection.getOptionalString('password'),
      database: connection.getOptionalString('database'),
      ...(connection.has('ssl') ? { ssl: connection.getBoolean('ssl') } : {}),
    };
  }
  const sslMode = section.getOptionalString('sslMode');
  if (
    sslMode !== undefined &&
    !SSL_MODES.includes(sslMode as MetadataDatabaseSslMode)
  ) {
    throw new Error(
      `${POSTGRES_PROVISIONER_CONFIG_KEY}.sslMode must be one of ${SSL_MODES.join(
        ', ',
      )}`,
    );
  }
  return {
    id: section.getOptionalString('id'),
    admin,
    host: section.getOptionalString('host'),
    port: section.getOptionalNumber('port'),
    sslMode: sslMode as MetadataDatabaseSslMode | undefined,
    namePrefix: section.getOptionalString('namePrefix'),
    connectionLimit: section.getOptionalNumber('connectionLimit'),
  };
}
