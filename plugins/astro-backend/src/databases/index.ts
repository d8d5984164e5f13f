/**
 * Metadata-database provisioners of the Astro backend.
 */
export { PostgresServerProvisioner } from './PostgresServerProvisioner';
export type { PostgresServerProvisionerOptions } from './PostgresServerProvisioner';
export {
  POSTGRES_PROVISIONER_CONFIG_KEY,
  readPostgresServerProvisionerConfig,
} from './config';
export { metadataDatabaseNames } from './names';
