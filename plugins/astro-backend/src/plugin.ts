import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  astroClustersExtensionPoint,
  ClusterDriver,
  ClusterSource,
} from '@airflow-portal/plugin-astro-node';
import { createRouter } from './api/router';

/**
 * The Astro backend plugin: the control plane for Airflow Deployments.
 *
 * @public
 */
export const astroPlugin = createBackendPlugin({
  pluginId: 'astro',
  register(env) {
    const clusterSources: ClusterSource[] = [];
    const clusterDrivers: ClusterDriver[] = [];
    env.registerExtensionPoint(astroClustersExtensionPoint, {
      addClusterSource(source) {
        clusterSources.push(source);
      },
      addDriver(driver) {
        clusterDrivers.push(driver);
      },
    });

    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
      },
      async init({ httpRouter }) {
        httpRouter.use(await createRouter({ clusterSources }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
