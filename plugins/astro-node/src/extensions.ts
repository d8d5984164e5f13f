import { createExtensionPoint } from '@backstage/backend-plugin-api';

/**
 * Declares a cluster that Deployments can be placed on.
 *
 * @public
 */
export interface ClusterDeclaration {
  /** Immutable cluster name (a DNS-1123 label). */
  name: string;
  /** What the user sees as the cluster's driver, e.g. `kubernetes` or `simulator`. */
  driver: string;
}

/**
 * A source of cluster declarations, such as the app config or the built-in
 * simulator.
 *
 * @public
 */
export interface ClusterSource {
  getClusters(): Promise<ClusterDeclaration[]>;
}

/**
 * Lets backend modules contribute clusters to the Astro backend.
 *
 * @public
 */
export interface AstroClustersExtensionPoint {
  addClusterSource(source: ClusterSource): void;
}

/**
 * Extension point for contributing clusters to the Astro backend.
 *
 * @public
 */
export const astroClustersExtensionPoint =
  createExtensionPoint<AstroClustersExtensionPoint>({
    id: 'astro.clusters',
  });
