/**
 * Where Deployments' Airflow metadata databases live: the backend's own
 * PostgreSQL server provisioner, and the resolution of a Deployment's
 * database for the renderer (provisioned or in its namespace).
 */
export { MetadataDatabases } from './MetadataDatabases';
export type { MetadataDatabaseRef } from './MetadataDatabases';
export { PostgresServerProvisioner } from './PostgresServerProvisioner';
export type { PostgresServerProvisionerOptions } from './PostgresServerProvisioner';
export {
  POSTGRES_PROVISIONER_CONFIG_KEY,
  readPostgresServerProvisionerConfig,
} from './config';
export { metadataDatabaseNames } from './names';
