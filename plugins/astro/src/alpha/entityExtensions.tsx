import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { ASTRO_ENTITY_KINDS } from '@airflow-portal/plugin-astro-common';

/** The "Airflow" tab of AstroDeployment entities. */
export const astroDeploymentEntityContent = EntityContentBlueprint.make({
  name: 'deployment',
  params: {
    path: 'airflow',
    title: 'Airflow',
    group: 'deployment',
    filter: { kind: ASTRO_ENTITY_KINDS.deployment },
    loader: () =>
      import('../components/entity').then(m => (
        <m.AstroDeploymentEntityContent />
      )),
  },
});

/** The live status card on AstroDeployment entity overviews. */
export const astroDeploymentStatusEntityCard = EntityCardBlueprint.make({
  name: 'deployment-status',
  params: {
    type: 'info',
    filter: { kind: ASTRO_ENTITY_KINDS.deployment },
    loader: () =>
      import('../components/entity').then(m => (
        <m.AstroDeploymentStatusEntityCard />
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
          <m.AstroWorkspaceDeploymentsEntityContent />
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
        <m.AstroWorkspaceDeploymentsEntityCard />
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
        <m.AstroOrganizationEntityCard />
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
      import('../components/entity').then(m => <m.AstroClusterEntityCard />),
  },
});
