import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  astroClustersExtensionPoint,
  astroDatabaseProvisionersExtensionPoint,
  astroDeploymentPermissionResourceRef,
  ClusterDriver,
  ClusterSource,
  MetadataDatabaseProvisioner,
} from '@airflow-portal/plugin-astro-node';
import { astroPermissions } from '@airflow-portal/plugin-astro-common';
import { createRouter } from './api/createRouter';
import { IdempotencyGuard } from './api/idempotency';
import { createAstroServices } from './service/createAstroServices';
import { seedDemoData } from './service/seedDemoData';
import { astroDeploymentRules } from './permissions/rules';
import {
  ClusterRegistry,
  ConfigClusterSource,
  KubernetesClusterDriver,
} from './clusters';
import {
  PostgresServerProvisioner,
  readPostgresServerProvisionerConfig,
} from './metadataDatabases';
import { createEngine } from './engine/createEngine';
import { createMonitor } from './monitor/createMonitor';
import { MonitoringService } from './monitor/MonitoringService';
import { ClusterStatusReader } from './monitor/ClusterStatusReader';

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
    const provisioners: MetadataDatabaseProvisioner[] = [];
    env.registerExtensionPoint(astroDatabaseProvisionersExtensionPoint, {
      addProvisioner(provisioner) {
        provisioners.push(provisioner);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        events: eventsServiceRef,
      },
      async init(deps) {
        const { config, logger } = deps;
        const { services, db, secrets, changes } = await createAstroServices({
          config,
          logger,
          database: deps.database,
          events: deps.events,
        });

        // Clusters: declared in config or by modules (synced into the
        // store), and registered through the API (connections encrypted in
        // the store).
        const declaredSources = [
          ConfigClusterSource.fromConfig(config, { logger }),
          ...clusterSources,
        ];
        const declared = await Promise.all(
          declaredSources.map(source => source.getClusters()),
        );
        await services.clusters.syncDeclared(declared.flat());
        const clusters = new ClusterRegistry({
          sources: [
            ...declaredSources,
            { getClusters: () => services.clusters.apiDeclarations() },
          ],
          drivers: clusterDrivers,
          kubernetesDriver: KubernetesClusterDriver.fromConfig(config),
          logger,
        });

        const postgres = readPostgresServerProvisionerConfig(config);
        const provisioner =
          provisioners[0] ??
          (postgres
            ? PostgresServerProvisioner.create({ ...postgres, logger })
            : undefined);

        const engine = createEngine({
          config,
          logger,
          db,
          secrets,
          changes,
          deploymentOptions: services.deployments.deploymentOptions,
          clusters,
          provisioner,
        });
        const monitor = createMonitor({ config, logger, db, engine });
        if (config.getOptionalBoolean('astro.reconciler.enabled') ?? true) {
          await engine.start(deps.scheduler);
          await monitor.start(deps.scheduler);
        }
        deps.lifecycle.addShutdownHook(async () => {
          await engine.stop();
          await clusters.close();
        });

        await seedDemoData({ config, services, logger });

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
            monitoring: new MonitoringService({
              deployments: services.deployments,
              organizations: services.organizations,
              monitor: db.monitor,
              status: engine.status,
              clusterStatus: new ClusterStatusReader(clusters),
            }),
            idempotency: new IdempotencyGuard(db.idempotency),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
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
