import { z } from 'zod';
import { createPermissionRule } from '@backstage/plugin-permission-node';
import { astroDeploymentPermissionResourceRef } from '@airflow-portal/plugin-astro-node';

const names = z.object({
  values: z.array(z.string()).describe('Names, any of which matches'),
});

/** Matches Deployments of any of the given workspaces. */
export const isInWorkspace = createPermissionRule({
  name: 'IS_IN_WORKSPACE',
  description: 'Allow Deployments in any of the given workspaces',
  resourceRef: astroDeploymentPermissionResourceRef,
  paramsSchema: names,
  apply: (deployment, { values }) => values.includes(deployment.workspace),
  toQuery: ({ values }) => ({ property: 'workspace', values }),
});

/** Matches Deployments of any of the given organizations. */
export const isInOrganization = createPermissionRule({
  name: 'IS_IN_ORGANIZATION',
  description: 'Allow Deployments in any of the given organizations',
  resourceRef: astroDeploymentPermissionResourceRef,
  paramsSchema: names,
  apply: (deployment, { values }) => values.includes(deployment.organization),
  toQuery: ({ values }) => ({ property: 'organization', values }),
});

/** Matches Deployments owned (directly or through their workspace) by any of the given groups. */
export const isOwnedBy = createPermissionRule({
  name: 'IS_OWNED_BY',
  description:
    'Allow Deployments owned by any of the given entity refs (the workspace owner when the Deployment names none)',
  resourceRef: astroDeploymentPermissionResourceRef,
  paramsSchema: names,
  apply: (deployment, { values }) =>
    deployment.owner !== undefined && values.includes(deployment.owner),
  toQuery: ({ values }) => ({ property: 'owner', values }),
});

/** Every rule of the Deployment resource type. */
export const astroDeploymentRules = [
  isInWorkspace,
  isInOrganization,
  isOwnedBy,
];
