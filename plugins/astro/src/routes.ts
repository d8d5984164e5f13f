import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/**
 * The root of the Airflow pages, mounted at `/astro` by default; the
 * overview of organizations lives here.
 */
export const rootRouteRef = createRouteRef({ id: 'astro' });

/** One organization: its workspaces, members and the user's access. */
export const organizationRouteRef = createSubRouteRef({
  id: 'astro/organization',
  parent: rootRouteRef,
  path: '/organizations/:org',
});

/** One workspace and its Deployments. */
export const workspaceRouteRef = createSubRouteRef({
  id: 'astro/workspace',
  parent: rootRouteRef,
  path: '/organizations/:org/workspaces/:ws',
});

/**
 * The form that creates a Deployment; `?workspace=<name>` preselects the
 * workspace. Declared before the Deployment route so `new` is not read as a
 * Deployment name.
 */
export const createDeploymentRouteRef = createSubRouteRef({
  id: 'astro/deployment-create',
  parent: rootRouteRef,
  path: '/organizations/:org/deployments/new',
});

/** One Deployment: status, monitoring, variables. */
export const deploymentRouteRef = createSubRouteRef({
  id: 'astro/deployment',
  parent: rootRouteRef,
  path: '/organizations/:org/deployments/:dep',
});

/** The form that changes a Deployment's settings. */
export const editDeploymentRouteRef = createSubRouteRef({
  id: 'astro/deployment-edit',
  parent: rootRouteRef,
  path: '/organizations/:org/deployments/:dep/edit',
});

/** The registered clusters. */
export const clustersRouteRef = createSubRouteRef({
  id: 'astro/clusters',
  parent: rootRouteRef,
  path: '/clusters',
});
