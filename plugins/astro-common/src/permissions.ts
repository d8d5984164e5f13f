import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Resource type of Astro Deployments in the permission framework.
 *
 * @public
 */
export const ASTRO_DEPLOYMENT_RESOURCE_TYPE = 'astro-deployment';

/**
 * Allows reading Organizations, Workspaces, Clusters and Deployments.
 *
 * @public
 */
export const astroReadPermission = createPermission({
  name: 'astro.read',
  attributes: { action: 'read' },
});

/**
 * Allows creating, changing and deleting Organizations.
 *
 * @public
 */
export const astroOrganizationManagePermission = createPermission({
  name: 'astro.organization.manage',
  attributes: {},
});

/**
 * Allows creating, changing and deleting Workspaces.
 *
 * @public
 */
export const astroWorkspaceManagePermission = createPermission({
  name: 'astro.workspace.manage',
  attributes: {},
});

/**
 * Allows registering, changing and removing Clusters.
 *
 * @public
 */
export const astroClusterManagePermission = createPermission({
  name: 'astro.cluster.manage',
  attributes: {},
});

/**
 * Allows creating Deployments.
 *
 * @public
 */
export const astroDeploymentCreatePermission = createPermission({
  name: 'astro.deployment.create',
  attributes: { action: 'create' },
});

/**
 * Allows changing the settings and environment variables of a Deployment.
 *
 * @public
 */
export const astroDeploymentUpdatePermission = createPermission({
  name: 'astro.deployment.update',
  attributes: { action: 'update' },
  resourceType: ASTRO_DEPLOYMENT_RESOURCE_TYPE,
});

/**
 * Allows deploying code to a Deployment (image and DAG deploys, rollbacks)
 * with Backstage credentials. API tokens are not checked against it: a
 * token's scope and role decide what it may deploy to.
 *
 * @public
 */
export const astroDeploymentDeployPermission = createPermission({
  name: 'astro.deployment.deploy',
  attributes: { action: 'update' },
  resourceType: ASTRO_DEPLOYMENT_RESOURCE_TYPE,
});

/**
 * Allows deleting a Deployment.
 *
 * @public
 */
export const astroDeploymentDeletePermission = createPermission({
  name: 'astro.deployment.delete',
  attributes: { action: 'delete' },
  resourceType: ASTRO_DEPLOYMENT_RESOURCE_TYPE,
});

/**
 * Every permission of the Astro plugin suite.
 *
 * @public
 */
export const astroPermissions = [
  astroReadPermission,
  astroOrganizationManagePermission,
  astroWorkspaceManagePermission,
  astroClusterManagePermission,
  astroDeploymentCreatePermission,
  astroDeploymentUpdatePermission,
  astroDeploymentDeployPermission,
  astroDeploymentDeletePermission,
];
