import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { astroClustersExtensionPoint } from '@airflow-portal/plugin-astro-node';

/**
 * Registers the built-in Kubernetes API simulator as a cluster of the Astro
 * backend.
 *
 * @public
 */
export const astroModuleSimulator = createBackendModule({
  pluginId: 'astro',
  moduleId: 'simulator',
  register(env) {
    env.registerInit({
      deps: {
        clusters: astroClustersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ clusters, config }) {
        const name =
          config.getOptionalString('astro.simulator.clusterName') ??
          'simulator';
        clusters.addClusterSource({
          async getClusters() {
            return [
              {
                name,
                driver: 'simulator',
                type: 'standard',
                provider: 'simulator',
                region: 'local',
              },
            ];
          },
        });
      },
    });
  },
});
