import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ASTRO_ENTITY_KINDS } from '@airflow-portal/plugin-astro-common';
import {
  clustersRouteRef,
  createDeploymentRouteRef,
  deploymentRouteRef,
  editDeploymentRouteRef,
  organizationRouteRef,
  rootRouteRef,
  workspaceRouteRef,
} from './routes';
import { astroApiRef, AstroApiClient } from './api';

/**
 * The Airflow plugin for apps on Backstage's legacy frontend system.
 *
 * @public
 */
export const astroPlugin = createPlugin({
  id: 'astro',
  apis: [
    createApiFactory({
      api: astroApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AstroApiClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    organization: organizationRouteRef,
    workspace: workspaceRouteRef,
    deployment: deploymentRouteRef,
    createDeployment: createDeploymentRouteRef,
    editDeployment: editDeploymentRouteRef,
    clusters: clustersRouteRef,
  },
});

/**
 * The Airflow pages (overview, workspaces, Deployments, clusters) with their
 * own header, for mounting in a legacy app's routes, e.g.
 * `<Route path="/astro" element={<AstroPage />} />`.
 *
 * @public
 */
export const AstroPage = astroPlugin.provide(
  createRoutableExtension({
    name: 'AstroPage',
    component: () =>
      import('./components/AstroRouter').then(m => m.AstroLegacyPage),
    mountPoint: rootRouteRef,
  }),
);

function isKind(entity: Entity, kind: string) {
  return (
    entity.kind.toLocaleLowerCase('en-US') === kind.toLocaleLowerCase('en-US')
  );
}

/**
 * Whether an entity is an AstroDeployment, for `EntitySwitch` in legacy apps.
 *
 * @public
 */
export const isAstroDeploymentEntity = (entity: Entity) =>
  isKind(entity, ASTRO_ENTITY_KINDS.deployment);

/**
 * Whether an entity is an AstroWorkspace, for `EntitySwitch` in legacy apps.
 *
 * @public
 */
export const isAstroWorkspaceEntity = (entity: Entity) =>
  isKind(entity, ASTRO_ENTITY_KINDS.workspace);

/**
 * Whether an entity is an AstroOrganization, for `EntitySwitch`.
 *
 * @public
 */
export const isAstroOrganizationEntity = (entity: Entity) =>
  isKind(entity, ASTRO_ENTITY_KINDS.organization);

/**
 * Whether an entity is an AstroCluster, for `EntitySwitch` in legacy apps.
 *
 * @public
 */
export const isAstroClusterEntity = (entity: Entity) =>
  isKind(entity, ASTRO_ENTITY_KINDS.cluster);

/**
 * The "Airflow" tab of an AstroDeployment entity page: live status with
 * provisioning progress, settings, components and incidents.
 *
 * @public
 */
export const EntityAstroDeploymentContent = astroPlugin.provide(
  createComponentExtension({
    name: 'EntityAstroDeploymentContent',
    component: {
      lazy: () =>
        import('./components/entity').then(m => m.AstroDeploymentEntityContent),
    },
  }),
);

/**
 * A card with an AstroDeployment entity's live status.
 *
 * @public
 */
export const EntityAstroDeploymentStatusCard = astroPlugin.provide(
  createComponentExtension({
    name: 'EntityAstroDeploymentStatusCard',
    component: {
      lazy: () =>
        import('./components/entity').then(
          m => m.AstroDeploymentStatusEntityCard,
        ),
    },
  }),
);

/**
 * The Deployments of an AstroWorkspace entity, as a tab.
 *
 * @public
 */
export const EntityAstroWorkspaceDeploymentsContent = astroPlugin.provide(
  createComponentExtension({
    name: 'EntityAstroWorkspaceDeploymentsContent',
    component: {
      lazy: () =>
        import('./components/entity').then(
          m => m.AstroWorkspaceDeploymentsEntityContent,
        ),
    },
  }),
);

/**
 * The Deployments of an AstroWorkspace entity, as a card.
 *
 * @public
 */
export const EntityAstroWorkspaceDeploymentsCard = astroPlugin.provide(
  createComponentExtension({
    name: 'EntityAstroWorkspaceDeploymentsCard',
    component: {
      lazy: () =>
        import('./components/entity').then(
          m => m.AstroWorkspaceDeploymentsEntityCard,
        ),
    },
  }),
);

/**
 * Workspaces and health of an AstroOrganization entity, as a card.
 *
 * @public
 */
export const EntityAstroOrganizationCard = astroPlugin.provide(
  createComponentExtension({
    name: 'EntityAstroOrganizationCard',
    component: {
      lazy: () =>
        import('./components/entity').then(m => m.AstroOrganizationEntityCard),
    },
  }),
);

/**
 * Type, driver and capabilities of an AstroCluster entity, as a card.
 *
 * @public
 */
export const EntityAstroClusterCard = astroPlugin.provide(
  createComponentExtension({
    name: 'EntityAstroClusterCard',
    component: {
      lazy: () =>
        import('./components/entity').then(m => m.AstroClusterEntityCard),
    },
  }),
);

/**
 * The Deployments on an AstroCluster entity's cluster, a page at a time, as
 * a card.
 *
 * @public
 */
export const EntityAstroClusterDeploymentsCard = astroPlugin.provide(
  createComponentExtension({
    name: 'EntityAstroClusterDeploymentsCard',
    component: {
      lazy: () =>
        import('./components/entity').then(m => m.AstroClusterDeploymentsCard),
    },
  }),
);
