import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { DagBundleStore } from './types';

/**
 * Lets a backend module replace where the Astro backend stores DAG bundles
 * (by default: in its own database).
 *
 * @public
 */
export interface AstroDagBundleStoreExtensionPoint {
  /** Uses this store instead of the database; only one module may set it. */
  setBundleStore(store: DagBundleStore): void;
}

/**
 * Extension point for replacing the DAG bundle store.
 *
 * @public
 */
export const astroDagBundleStoreExtensionPoint =
  createExtensionPoint<AstroDagBundleStoreExtensionPoint>({
    id: 'astro.dag-bundle-store',
  });
