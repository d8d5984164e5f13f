import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { MetadataDatabaseProvisioner } from './types';

/**
 * Lets backend modules contribute metadata-database provisioners to the Astro
 * backend.
 *
 * @public
 */
export interface AstroDatabaseProvisionersExtensionPoint {
  /** Adds a provisioner; its `id` must be unique. */
  addProvisioner(provisioner: MetadataDatabaseProvisioner): void;
}

/**
 * Extension point for contributing metadata-database provisioners.
 *
 * @public
 */
export const astroDatabaseProvisionersExtensionPoint =
  createExtensionPoint<AstroDatabaseProvisionersExtensionPoint>({
    id: 'astro.database-provisioners',
  });
