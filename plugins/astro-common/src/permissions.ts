import {
  BasicPermission,
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Resource type of Astro Organizations in the permission framework;
 * resource refs are `<organization>`.
 *
 * @public
 */
export const ASTRO_ORGANIZATION_RESOURCE_TYPE = 'astro-organization';

/**
 * Resource type of Astro Workspaces; resource refs are
 * `<organization>/<workspace>`.
 *
 * @public
 */
export const ASTRO_WORKSPACE_RESOURCE_TYPE = 'astro-workspace';

/**
 * Resource type of Astro Deployments; resource refs are
 * `<organization>/<deployment>`.
 *
 * @public
 */
export const ASTRO_DEPLOYMENT_RESOURCE_TYPE = 'astro-deployment';

// Basic permissions: not about one resource.

/**
 * Allows creating Organizations (the creator becomes their owner).
 *
 * @public
 */
export const astroOrganizationCreatePermission = createPermission({
  name: 'astro.organization.create',
  attributes: { action: 'create' },
});

/**
 * Allows listing Clusters and reading their capacity (no credentials).
 *
 * @public
 */
export const astroClusterReadPermission = createPermission({
  name: 'astro.cluster.read',
  attributes: { action: 'read' },
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

// Organization permissions (resource ref `<organization>`).

/**
 * Allows seeing an Organization (its record and its role bindings).
 *
 * @public
 */
export const astroOrganizationReadPermission = createPermission({
  name: 'astro.organization.read',
  attributes: { action: 'read' },
  resourceType: ASTRO_ORGANIZATION_RESOURCE_TYPE,
});

/**
 * Allows changing an Organization.
 *
 * @public
 */
export const astroOrganizationUpdatePermission = createPermission({
  name: 'astro.organization.update',
  attributes: { action: 'update' },
  resourceType: ASTRO_ORGANIZATION_RESOURCE_TYPE,
});

/**
 * Allows deleting an Organization.
 *
 * @public
 */
export const astroOrganizationDeletePermission = createPermission({
  name: 'astro.organization.delete',
  attributes: { action: 'delete' },
  resourceType: ASTRO_ORGANIZATION_RESOURCE_TYPE,
});

/**
 * Allows granting and removing Organization roles.
 *
 * @public
 */
export const astroOrganizationRolesManagePermission = createPermission({
  name: 'astro.organization.roles.manage',
  attributes: { action: 'update' },
  resourceType: ASTRO_ORGANIZATION_RESOURCE_TYPE,
});

/**
 * Allows creating Workspaces in an Organization.
 *
 * @public
 */
export const astroWorkspaceCreatePermission = createPermission({
  name: 'astro.workspace.create',
  attributes: { action: 'create' },
  resourceType: ASTRO_ORGANIZATION_RESOURCE_TYPE,
});

// Workspace permissions (resource ref `<organization>/<workspace>`).

/**
 * Allows seeing a Workspace (its record and its role bindings).
 *
 * @public
 */
export const astroWorkspaceReadPermission = createPermission({
  name: 'astro.workspace.read',
  attributes: { action: 'read' },
  resourceType: ASTRO_WORKSPACE_RESOURCE_TYPE,
});

/**
 * Allows changing a Workspace.
 *
 * @public
 */
export const astroWorkspaceUpdatePermission = createPermission({
  name: 'astro.workspace.update',
  attributes: { action: 'update' },
  resourceType: ASTRO_WORKSPACE_RESOURCE_TYPE,
});

/**
 * Allows deleting a Workspace.
 *
 * @public
 */
export const astroWorkspaceDeletePermission = createPermission({
  name: 'astro.workspace.delete',
  attributes: { action: 'delete' },
  resourceType: ASTRO_WORKSPACE_RESOURCE_TYPE,
});

/**
 * Allows granting and removing Workspace roles.
 *
 * @public
 */
export const astroWorkspaceRolesManagePermission = createPermission({
  name: 'astro.workspace.roles.manage',
  attributes: { action: 'update' },
  resourceType: ASTRO_WORKSPACE_RESOURCE_TYPE,
});

/**
 * Allows listing, creating, rotating and revoking a Workspace's API tokens
 * (never with a role above the caller's own).
 *
 * @public
 */
export const astroWorkspaceTokensManagePermission = createPermission({
  name: 'astro.workspace.tokens.manage',
  attributes: { action: 'update' },
  resourceType: ASTRO_WORKSPACE_RESOURCE_TYPE,
});

/**
 * Allows creating Deployments in a Workspace.
 *
 * @public
 */
export const astroDeploymentCreatePermission = createPermission({
  name: 'astro.deployment.create',
  attributes: { action: 'create' },
  resourceType: ASTRO_WORKSPACE_RESOURCE_TYPE,
});

// Deployment permissions (resource ref `<organization>/<deployment>`).

/**
 * Allows seeing a Deployment: settings (never secret values), status,
 * health, events, deploys, and signing in to its Airflow as a viewer.
 *
 * @public
 */
export const astroDeploymentReadPermission = createPermission({
  name: 'astro.deployment.read',
  attributes: { action: 'read' },
  resourceType: ASTRO_DEPLOYMENT_RESOURCE_TYPE,
});

/**
 * Allows changing a Deployment's settings (and signing in to its Airflow as
 * an admin).
 *
 * @public
 */
export const astroDeploymentUpdatePermission = createPermission({
  name: 'astro.deployment.update',
  attributes: { action: 'update' },
  resourceType: ASTRO_DEPLOYMENT_RESOURCE_TYPE,
});

/**
 * Allows changing a Deployment's environment variables.
 *
 * @public
 */
export const astroDeploymentVariablesUpdatePermission = createPermission({
  name: 'astro.deployment.variables.update',
  attributes: { action: 'update' },
  resourceType: ASTRO_DEPLOYMENT_RESOURCE_TYPE,
});

/**
 * Allows deploying code to a Deployment (image and DAG deploys, rollbacks)
 * with Backstage credentials. API tokens are judged by their own scope and
 * role through the same role table.
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
 * Allows granting and removing the Deployment admin role on a Deployment.
 *
 * @public
 */
export const astroDeploymentRolesManagePermission = createPermission({
  name: 'astro.deployment.roles.manage',
  attributes: { action: 'update' },
  resourceType: ASTRO_DEPLOYMENT_RESOURCE_TYPE,
});

/**
 * Allows listing, creating, rotating and revoking a Deployment's API
 * tokens.
 *
 * @public
 */
export const astroDeploymentTokensManagePermission = createPermission({
  name: 'astro.deployment.tokens.manage',
  attributes: { action: 'update' },
  resourceType: ASTRO_DEPLOYMENT_RESOURCE_TYPE,
});

/**
 * The permissions of each resource type.
 *
 * @public
 */
export const astroPermissionsByResourceType: {
  [ASTRO_ORGANIZATION_RESOURCE_TYPE]: ResourcePermission<'astro-organization'>[];
  [ASTRO_WORKSPACE_RESOURCE_TYPE]: ResourcePermission<'astro-workspace'>[];
  [ASTRO_DEPLOYMENT_RESOURCE_TYPE]: ResourcePermission<'astro-deployment'>[];
} = {
  [ASTRO_ORGANIZATION_RESOURCE_TYPE]: [
    astroOrganizationReadPermission,
    astroOrganizationUpdatePermission,
    astroOrganizationDeletePermission,
    astroOrganizationRolesManagePermission,
    astroWorkspaceCreatePermission,
  ],
  [ASTRO_WORKSPACE_RESOURCE_TYPE]: [
    astroWorkspaceReadPermission,
    astroWorkspaceUpdatePermission,
    astroWorkspaceDeletePermission,
    astroWorkspaceRolesManagePermission,
    astroWorkspaceTokensManagePermission,
    astroDeploymentCreatePermission,
  ],
  [ASTRO_DEPLOYMENT_RESOURCE_TYPE]: [
    astroDeploymentReadPermission,
    astroDeploymentUpdatePermission,
    astroDeploymentVariablesUpdatePermission,
    astroDeploymentDeployPermission,
    astroDeploymentDeletePermission,
    astroDeploymentRolesManagePermission,
    astroDeploymentTokensManagePermission,
  ],
};

/**
 * The basic (resource-less) permissions of the suite.
 *
 * @public
 */
export const astroBasicPermissions: BasicPermission[] = [
  astroOrganizationCreatePermission,
  astroClusterReadPermission,
  astroClusterManagePermission,
];

/**
 * Every permission of the Astro plugin suite.
 *
 * @public
 */
export const astroPermissions = [
  ...astroBasicPermissions,
  ...astroPermissionsByResourceType[ASTRO_ORGANIZATION_RESOURCE_TYPE],
  ...astroPermissionsByResourceType[ASTRO_WORKSPACE_RESOURCE_TYPE],
  ...astroPermissionsByResourceType[ASTRO_DEPLOYMENT_RESOURCE_TYPE],
];

/**
 * The permission that decides whether a resource of a type is visible at
 * all: a caller denied it gets 404 for the resource, as if it did not
 * exist.
 *
 * @public
 */
export const astroReadPermissionOf = {
  [ASTRO_ORGANIZATION_RESOURCE_TYPE]: astroOrganizationReadPermission,
  [ASTRO_WORKSPACE_RESOURCE_TYPE]: astroWorkspaceReadPermission,
  [ASTRO_DEPLOYMENT_RESOURCE_TYPE]: astroDeploymentReadPermission,
} as const;
