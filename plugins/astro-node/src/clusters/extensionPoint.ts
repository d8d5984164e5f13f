import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { ClusterDriver, ClusterSource } from './drivers';

/**
 * Lets backend modules contribute clusters and cluster drivers to the Astro
 * backend.
 *
 * @public
 */
export interface AstroClustersExtensionPoint {
  /** Adds clusters; they appear in the Astro API with `source: module`. */
  addClusterSource(source: ClusterSource): void;
  /** Adds a driver for declarations whose `driver` equals its id. */
  addDriver(driver: ClusterDriver): void;
}

/**
 * Extension point for contributing clusters and drivers.
 *
 * @public
 */
export const astroClustersExtensionPoint =
  createExtensionPoint<AstroClustersExtensionPoint>({
    id: 'astro.clusters',
  });
