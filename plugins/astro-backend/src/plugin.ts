import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  astroClustersExtensionPoint,
  astroDagBundleStoreExtensionPoint,
  astroDatabaseProvisionersExtensionPoint,
  astroDeploymentPermissionResourceRef,
  astroOrganizationPermissionResourceRef,
  astroPermissionRules,
  astroWorkspacePermissionResourceRef,
  CatalogMembership,
  ClusterDriver,
  ClusterSource,
  DagBundleStore,
  MetadataDatabaseProvisioner,
} from '@airflow-portal/plugin-astro-node';
import {
  ASTRO_DEPLOYMENT_RESOURCE_TYPE,
  ASTRO_ORGANIZATION_RESOURCE_TYPE,
  ASTRO_WORKSPACE_RESOURCE_TYPE,
  astroPermissions,
  astroPermissionsByResourceType,
} from '@airflow-portal/plugin-astro-common';
import { createRouter } from './api/createRouter';
import { IdempotencyGuard } from './api/idempotency';
import { createAstroServices } from './service/createAstroServices';
import { seedDemoData } from './service/seedDemoData';
import { DeclarationOwnership } from './service/DeclarationOwnership';
import { validateAstroConfig } from './config/validateAstroConfig';
import { CatalogPrincipalDirectory } from './permissions/CatalogPrincipalDirectory';
import { CallerRoles } from './permissions/CallerRoles';
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
import { detachedListener } from './lib/MonitorListener';
import { portalFrontendBaseUrl } from './lib/portalUrl';
import { MonitoringService } from './monitor/MonitoringService';
import { ClusterStatusReader } from './monitor/ClusterStatusReader';
import { createDeploys, readDeployConfig } from './deploys/createDeploys';
import { ApiTokenService } from './tokens/ApiTokenService';
import { SELF_AUTHENTICATED_PATHS } from './api/authentication';
import {
  AirflowAccessService,
  AirflowServiceCredentials,
} from './airflowAccess';
import { createAirflowInsight } from './monitor/insight/createAirflowInsight';
import { astroClockServiceRef } from './lib/clock';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { createAlertDispatcher } from './alerts';
import { ChangeSignals } from './signals/ChangeSignals';

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

    let bundleStore: DagBundleStore | undefined;
    env.registerExtensionPoint(astroDagBundleStoreExtensionPoint, {
      setBundleStore(store) {
        if (bundleStore) {
          throw new Error(
            'astro.dag-bundle-store: a DAG bundle store was already set by another module',
          );
        }
        bundleStore = store;
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
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        clock: astroClockServiceRef,
        notifications: notificationService,
        // Resolves to the events-backed signals service whether or not the
        // signals backend is installed; without it nobody receives the
        // signals and pages keep polling (see docs/architecture.md).
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { config, logger } = deps;
        // Before anything reads astro.*: a misspelled or missing key fails
        // the start with its path instead of being ignored.
        validateAstroConfig(config);
        const postgres = readPostgresServerProvisionerConfig(config);
        const provisioner =
          provisioners[0] ??
          (postgres
            ? PostgresServerProvisioner.create({ ...postgres, logger })
            : undefined);
        const { services, db, secrets, changes, mutations } =
          await createAstroServices({
            config,
            logger,
            database: deps.database,
            events: deps.events,
            inNamespaceDatabase: provisioner === undefined,
            principals: new CatalogPrincipalDirectory(deps.catalog, deps.auth),
            clock: () => deps.clock.now(),
          });

        // Clusters: declared in config or by modules (synced into the
        // store), and registered through the API (connections encrypted in
        // the store).
        // Declarations in app config are owned by config: the record
        // follows one, and a backend with another leaves the cluster alone.
        const configClusters = ConfigClusterSource.fromConfig(config, {
          logger,
        });
        const declaredSources = [configClusters, ...clusterSources];
        const ownership = new DeclarationOwnership(
          services.clusters,
          configClusters.ownedDeclarations(),
          logger,
          {
            // A report older than two leases is from a backend that is
            // gone or was fixed (reports are renewed every pass).
            staleConflictMs:
              2 *
              1000 *
              (config.getOptionalNumber('astro.reconciler.leaseTtlSeconds') ??
                60),
          },
        );
        await ownership.check();
        const declared = await Promise.all(
          clusterSources.map(source => source.getClusters()),
        );
        const configNames = new Set(
          configClusters.ownedDeclarations().map(o => o.declaration.name),
        );
        await services.clusters.syncDeclared(
          declared.flat().filter(d => !configNames.has(d.name)),
        );
        const clusters = new ClusterRegistry({
          sources: [
            ...declaredSources,
            { getClusters: () => services.clusters.apiDeclarations() },
          ],
          drivers: clusterDrivers,
          kubernetesDriver: KubernetesClusterDriver.fromConfig(config),
          logger,
        });

        // Alerts: delivered for the incidents the monitoring pass opens and
        // resolves and for the DAG runs it sees finish.
        const alerts = createAlertDispatcher({
          config,
          logger,
          db,
          secrets,
          notifications: deps.notifications,
          catalog: deps.catalog,
          auth: deps.auth,
          clock: () => deps.clock.now(),
        });

        // Live updates: changes and incidents signalled to open pages.
        const changeSignals = new ChangeSignals({
          signals: deps.signals,
          logger,
        });
        changes.subscribe(change => changeSignals.changed(change));

        const deployConfig = readDeployConfig(config);
        const portalBaseUrl = portalFrontendBaseUrl(config);
        const engine = createEngine({
          config,
          logger,
          db,
          secrets,
          changes,
          deploymentOptions: services.deployments.deploymentOptions,
          clusters,
          provisioner,
          clock: deps.clock,
          ownership,
          code: {
            dagSync: {
              baseUrl:
                deployConfig.bundleBaseUrl ??
                (await deps.discovery.getExternalBaseUrl('astro')),
              syncIntervalSeconds: deployConfig.syncIntervalSeconds,
            },
            ...(portalBaseUrl
              ? { portal: { frontendBaseUrl: portalBaseUrl } }
              : {}),
            clusterPullCredentials: async name =>
              (await clusters.getCluster(name)).imagePullCredentials ?? [],
          },
        });
        const deploys = createDeploys({
          config: deployConfig,
          logger,
          db,
          secrets,
          mutations,
          changes,
          deployments: services.deployments,
          bundleStore: bundleStore ?? db.bundleContents,
          pods: engine.watched,
        });
        const airflowAccess = new AirflowAccessService(db, secrets, mutations);
        const airflowCredentials = new AirflowServiceCredentials(airflowAccess);
        const monitor = createMonitor({
          config,
          logger,
          db,
          engine,
          credentials: airflowCredentials,
          portalBaseUrl,
          clock: () => deps.clock.now(),
          listeners: [
            changeSignals,
            detachedListener(alerts, error =>
              logger.warn(`Alert delivery failed: ${error}`),
            ),
          ],
        });
        const airflowInsight = createAirflowInsight({
          config,
          deployments: services.deployments,
          watched: engine.watched,
          credentials: airflowCredentials,
          mutations,
        });
        if (config.getOptionalBoolean('astro.reconciler.enabled') ?? true) {
          await engine.start(deps.scheduler);
          await monitor.start(deps.scheduler);
          await deploys.start(deps.scheduler);
        }
        changeSignals.start();
        deps.lifecycle.addShutdownHook(async () => {
          changeSignals.stop();
          deploys.stop();
          await engine.stop();
          await clusters.close();
        });

        await seedDemoData({ config, services, logger });

        // The three resource types of the permission framework, with the
        // rules policies build conditions from (role bindings are read
        // with every decision; see docs/permissions.md).
        const resources = services.permissionResources;
        deps.permissionsRegistry.addPermissions(astroPermissions);
        deps.permissionsRegistry.addResourceType({
          resourceRef: astroOrganizationPermissionResourceRef,
          permissions:
            astroPermissionsByResourceType[ASTRO_ORGANIZATION_RESOURCE_TYPE],
          rules: Object.values(astroPermissionRules.organization),
          getResources: refs => resources.organizations(refs),
        });
        deps.permissionsRegistry.addResourceType({
          resourceRef: astroWorkspacePermissionResourceRef,
          permissions:
            astroPermissionsByResourceType[ASTRO_WORKSPACE_RESOURCE_TYPE],
          rules: Object.values(astroPermissionRules.workspace),
          getResources: refs => resources.workspaces(refs),
        });
        deps.permissionsRegistry.addResourceType({
          resourceRef: astroDeploymentPermissionResourceRef,
          permissions:
            astroPermissionsByResourceType[ASTRO_DEPLOYMENT_RESOURCE_TYPE],
          rules: Object.values(astroPermissionRules.deployment),
          getResources: refs => resources.deployments(refs),
        });
        const callerRoles = new CallerRoles({
          membership: new CatalogMembership({
            catalog: deps.catalog,
            auth: deps.auth,
            cacheSeconds: config.getOptionalNumber(
              'astro.permissions.membershipCacheSeconds',
            ),
          }),
          userInfo: deps.userInfo,
          roleBindings: services.roleBindings,
          bootstrapOwners:
            config.getOptionalStringArray('astro.bootstrapOwners') ?? [],
        });

        deps.httpRouter.use(
          await createRouter({
            services,
            monitoring: new MonitoringService({
              deployments: services.deployments,
              organizations: services.organizations,
              monitor: db.monitor,
              history: db.history,
              historySettings: monitor.history.settings,
              incidents: db.incidents,
              mutations,
              status: engine.status,
              clusterStatus: new ClusterStatusReader(clusters, {
                outageOf: cluster => engine.watched.outageOf(cluster),
              }),
              clock: () => deps.clock.now(),
            }),
            idempotency: new IdempotencyGuard(db.idempotency),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
            airflowAccess,
            callerRoles,
            airflowInsight,
            code: {
              deploys: deploys.service,
              bundles: deploys.bundles,
              tokens: new ApiTokenService(
                db,
                mutations,
                services.organizations,
                services.workspaces,
                services.deployments,
              ),
            },
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        // Requests under these paths may carry an API token (or, for
        // /bundles, a Deployment's bundle token), which Backstage's
        // credentials barrier would refuse: the router authenticates every
        // request on them itself, with Backstage's httpAuth for anything
        // that is not one of our tokens (see api/authentication.ts).
        for (const path of SELF_AUTHENTICATED_PATHS) {
          deps.httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
        }
      },
    });
  },
});
