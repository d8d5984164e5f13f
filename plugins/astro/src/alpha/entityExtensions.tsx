import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import { ASTRO_ENTITY_KINDS } from '@airflow-portal/plugin-astro-common';

/**
 * The "Airflow" tab of AstroDeployment entities. A tab of its own, in no
 * group: in the catalog's "deployment" group it and the Kubernetes plugin's
 * tab would fold into a "Deployment" menu, hiding both of the entity's main
 * views one click away. Alone in that group, Kubernetes is a tab too.
 */
export const astroDeploymentEntityContent = EntityContentBlueprint.make({
  name: 'deployment',
  params: {
    path: 'airflow',
    title: 'Airflow',
    filter: { kind: ASTRO_ENTITY_KINDS.deployment },
    loader: () =>
      import('../components/entity').then(m => (
        <ReactRouterV6PageRouter>
          <m.AstroDeploymentEntityContent />
        </ReactRouterV6PageRouter>
      )),
  },
});

/*
 * Every loader renders its component inside ReactRouterV6PageRouter: the
 * components link with React Router v6, and without the adapter the app
 * falls back to implicit routing for them and warns about it.
 */

/** The live status card on AstroDeployment entity overviews. */
export const astroDeploymentStatusEntityCard = EntityCardBlueprint.make({
  name: 'deployment-status',
  params: {
    type: 'info',
    filter: { kind: ASTRO_ENTITY_KINDS.deployment },
    loader: () =>
      import('../components/entity').then(m => (
        <ReactRouterV6PageRouter>
          <m.AstroDeploymentStatusEntityCard />
        </ReactRouterV6PageRouter>
      )),
  },
});

/** The "Deployments" tab of AstroWorkspace entities. */
export const astroWorkspaceDeploymentsEntityContent =
  EntityContentBlueprint.make({
    name: 'workspace-deployments',
    params: {
      path: 'deployments',
      title: 'Deployments',
      filter: { kind: ASTRO_ENTITY_KINDS.workspace },
      loader: () =>
        import('../components/entity').then(m => (
          <ReactRouterV6PageRouter>
            <m.AstroWorkspaceDeploymentsEntityContent />
          </ReactRouterV6PageRouter>
        )),
    },
  });

/** The Deployments card on AstroWorkspace entity overviews. */
export const astroWorkspaceDeploymentsEntityCard = EntityCardBlueprint.make({
  name: 'workspace-deployments',
  params: {
    type: 'content',
    filter: { kind: ASTRO_ENTITY_KINDS.workspace },
    loader: () =>
      import('../components/entity').then(m => (
        <ReactRouterV6PageRouter>
          <m.AstroWorkspaceDeploymentsEntityCard />
        </ReactRouterV6PageRouter>
      )),
  },
});

/** Workspaces and health on AstroOrganization entity overviews. */
export const astroOrganizationEntityCard = EntityCardBlueprint.make({
  name: 'organization',
  params: {
    type: 'content',
    filter: { kind: ASTRO_ENTITY_KINDS.organization },
    loader: () =>
      import('../components/entity').then(m => (
        <ReactRouterV6PageRouter>
          <m.AstroOrganizationEntityCard />
        </ReactRouterV6PageRouter>
      )),
  },
});

/** Type, driver and capabilities on AstroCluster entity overviews. */
export const astroClusterEntityCard = EntityCardBlueprint.make({
  name: 'cluster',
  params: {
    type: 'info',
    filter: { kind: ASTRO_ENTITY_KINDS.cluster },
    loader: () =>
      import('../components/entity').then(m => (
        <ReactRouterV6PageRouter>
          <m.AstroClusterEntityCard />
        </ReactRouterV6PageRouter>
      )),
  },
});

/** The Deployments on the cluster of AstroCluster entity overviews, paged. */
export const astroClusterDeploymentsEntityCard = EntityCardBlueprint.make({
  name: 'cluster-deployments',
  params: {
    type: 'content',
    filter: { kind: ASTRO_ENTITY_KINDS.cluster },
    loader: () =>
      import('../components/entity').then(m => (
        <ReactRouterV6PageRouter>
          <m.AstroClusterDeploymentsCard />
        </ReactRouterV6PageRouter>
      )),
  },
});
