import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  astroClustersExtensionPoint,
  astroDeploymentPermissionResourceRef,
  ClusterDriver,
  ClusterSource,
} from '@airflow-portal/plugin-astro-node';
import { astroPermissions } from '@airflow-portal/plugin-astro-common';
import { createRouter } from './api/createRouter';
import { IdempotencyGuard } from './api/idempotency';
import { createAstroServices } from './service/createAstroServices';
import { astroDeploymentRules } from './permissions/rules';
import { seedDemoData } from './service/seedDemoData';

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
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        events: eventsServiceRef,
      },
      async init(deps) {
        const { services, db } = await createAstroServices({
          config: deps.config,
          logger: deps.logger,
          database: deps.database,
          events: deps.events,
        });

        const declared = await Promise.all(
          clusterSources.map(source => source.getClusters()),
        );
        await services.clusters.syncDeclared(declared.flat());
        await seedDemoData({
          config: deps.config,
          services,
          logger: deps.logger,
        });

        deps.permissionsRegistry.addPermissions(astroPermissions);
        deps.permissionsRegistry.addResourceType({
          resourceRef: astroDeploymentPermissionResourceRef,
          permissions: astroPermissions.filter(p => p.type === 'resource'),
          rules: astroDeploymentRules,
          getResources: refs => services.deployments.permissionResources(refs),
        });

        deps.httpRouter.use(
          await createRouter({
            services,
            idempotency: new IdempotencyGuard(db.idempotency),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger: deps.logger,
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
