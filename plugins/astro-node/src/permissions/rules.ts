import { z } from 'zod';
import {
  createPermissionRule,
  PermissionResourceRef,
} from '@backstage/plugin-permission-node';
import {
  ORGANIZATION_ROLES,
  WORKSPACE_ROLES,
  DEPLOYMENT_ROLES,
  AstroRole,
  AstroRoleScope,
} from '@airflow-portal/plugin-astro-common';
import {
  AstroRoleBindingFact,
  AstroRoleBindingFilter,
  astroDeploymentPermissionResourceRef,
  astroOrganizationPermissionResourceRef,
  astroWorkspacePermissionResourceRef,
} from './resource';

const ALL_ROLES = [
  ...ORGANIZATION_ROLES,
  ...WORKSPACE_ROLES,
  ...DEPLOYMENT_ROLES,
] as const;

const roleParams = z.object({
  claims: z
    .array(z.string())
    .describe(
      'Entity refs of the user and of every group it belongs to (directly or through parent groups)',
    ),
  roles: z
    .array(z.enum(ALL_ROLES))
    .describe('Roles, any of which matches (list every role that suffices)'),
});

const claimsParams = z.object({
  claims: z
    .array(z.string())
    .describe('Entity refs of the user and of every group it belongs to'),
});

const lower = (refs: string[]) =>
  refs.map(ref => ref.toLocaleLowerCase('en-US'));

function holds(
  bindings: AstroRoleBindingFact[],
  scope: AstroRoleScope | 'anywhere',
  { claims, roles }: { claims: string[]; roles?: readonly AstroRole[] },
): boolean {
  const principals = new Set(lower(claims));
  return bindings.some(
    binding =>
      (scope === 'anywhere' || binding.scope === scope) &&
      principals.has(binding.principal) &&
      (roles === undefined || roles.includes(binding.role)),
  );
}

function roleQuery(
  scope: AstroRoleScope | 'anywhere',
  params: { claims: string[]; roles?: AstroRole[] },
): AstroRoleBindingFilter {
  return {
    roleBinding: {
      scope,
      principals: lower(params.claims),
      roles: params.roles ?? [...ALL_ROLES],
    },
  };
}

/**
 * A rule "one of the claims holds one of the roles at `scope`" of one
 * resource type; every Astro resource carries the bindings that apply to
 * it, and every filter type (TQuery) includes the role-binding criterion.
 */
function roleRule<
  TResource extends { roleBindings: AstroRoleBindingFact[] },
  TQuery,
  TResourceType extends string,
>(options: {
  name: string;
  description: string;
  resourceRef: PermissionResourceRef<TResource, TQuery, TResourceType>;
  scope: AstroRoleScope;
}) {
  const { scope, ...rest } = options;
  return createPermissionRule({
    ...rest,
    paramsSchema: roleParams,
    apply: (resource: TResource, params) =>
      holds(resource.roleBindings, scope, params),
    toQuery: params => roleQuery(scope, params) as TQuery,
  });
}

// Organizations.

/** Matches organizations on which one of the claims holds one of the roles. */
export const organizationHasOrganizationRole = roleRule({
  name: 'HAS_ORGANIZATION_ROLE',
  description:
    'Allow organizations on which the user (or a group it belongs to) holds one of the given roles',
  resourceRef: astroOrganizationPermissionResourceRef,
  scope: 'organization',
});

/** Matches organizations in which one of the claims holds any role anywhere. */
export const organizationHasRoleWithin = createPermissionRule({
  name: 'HAS_ROLE_IN_ORGANIZATION',
  description:
    'Allow organizations in which the user (or a group it belongs to) holds any role, on the organization or on a workspace or Deployment of it',
  resourceRef: astroOrganizationPermissionResourceRef,
  paramsSchema: claimsParams,
  apply: (resource, params) => holds(resource.roleBindings, 'anywhere', params),
  toQuery: params => roleQuery('anywhere', params),
});

// Workspaces.

/** Matches workspaces whose organization grants one of the roles to one of the claims. */
export const workspaceHasOrganizationRole = roleRule({
  name: 'HAS_ORGANIZATION_ROLE',
  description:
    'Allow workspaces on whose organization the user (or a group it belongs to) holds one of the given roles',
  resourceRef: astroWorkspacePermissionResourceRef,
  scope: 'organization',
});

/** Matches workspaces on which one of the claims holds one of the roles. */
export const workspaceHasWorkspaceRole = roleRule({
  name: 'HAS_WORKSPACE_ROLE',
  description:
    'Allow workspaces on which the user (or a group it belongs to) holds one of the given roles',
  resourceRef: astroWorkspacePermissionResourceRef,
  scope: 'workspace',
});

// Deployments.

/** Matches Deployments whose organization grants one of the roles to one of the claims. */
export const deploymentHasOrganizationRole = roleRule({
  name: 'HAS_ORGANIZATION_ROLE',
  description:
    'Allow Deployments on whose organization the user (or a group it belongs to) holds one of the given roles',
  resourceRef: astroDeploymentPermissionResourceRef,
  scope: 'organization',
});

/** Matches Deployments whose workspace grants one of the roles to one of the claims. */
export const deploymentHasWorkspaceRole = roleRule({
  name: 'HAS_WORKSPACE_ROLE',
  description:
    'Allow Deployments on whose workspace the user (or a group it belongs to) holds one of the given roles',
  resourceRef: astroDeploymentPermissionResourceRef,
  scope: 'workspace',
});

/** Matches Deployments on which one of the claims holds one of the roles. */
export const deploymentHasDeploymentRole = roleRule({
  name: 'HAS_DEPLOYMENT_ROLE',
  description:
    'Allow Deployments on which the user (or a group it belongs to) holds one of the given roles',
  resourceRef: astroDeploymentPermissionResourceRef,
  scope: 'deployment',
});

const names = z.object({
  values: z.array(z.string()).describe('Names, any of which matches'),
});

/** Matches Deployments of any of the given workspaces. */
export const deploymentIsInWorkspace = createPermissionRule({
  name: 'IS_IN_WORKSPACE',
  description: 'Allow Deployments in any of the given workspaces',
  resourceRef: astroDeploymentPermissionResourceRef,
  paramsSchema: names,
  apply: (deployment, { values }) => values.includes(deployment.workspace),
  toQuery: ({ values }) => ({ property: 'workspace', values }),
});

/** Matches Deployments of any of the given organizations. */
export const deploymentIsInOrganization = createPermissionRule({
  name: 'IS_IN_ORGANIZATION',
  description: 'Allow Deployments in any of the given organizations',
  resourceRef: astroDeploymentPermissionResourceRef,
  paramsSchema: names,
  apply: (deployment, { values }) => values.includes(deployment.organization),
  toQuery: ({ values }) => ({ property: 'organization', values }),
});

/** Matches Deployments owned (directly or through their workspace) by any of the given groups. */
export const deploymentIsOwnedBy = createPermissionRule({
  name: 'IS_OWNED_BY',
  description:
    'Allow Deployments owned by any of the given entity refs (the workspace owner when the Deployment names none)',
  resourceRef: astroDeploymentPermissionResourceRef,
  paramsSchema: names,
  apply: (deployment, { values }) =>
    deployment.owner !== undefined && values.includes(deployment.owner),
  toQuery: ({ values }) => ({ property: 'owner', values }),
});

/**
 * The rules of each Astro resource type, by the name policies use.
 *
 * @public
 */
export const astroPermissionRules = {
  organization: {
    hasOrganizationRole: organizationHasOrganizationRole,
    hasRoleInOrganization: organizationHasRoleWithin,
  },
  workspace: {
    hasOrganizationRole: workspaceHasOrganizationRole,
    hasWorkspaceRole: workspaceHasWorkspaceRole,
  },
  deployment: {
    hasOrganizationRole: deploymentHasOrganizationRole,
    hasWorkspaceRole: deploymentHasWorkspaceRole,
    hasDeploymentRole: deploymentHasDeploymentRole,
    isInWorkspace: deploymentIsInWorkspace,
    isInOrganization: deploymentIsInOrganization,
    isOwnedBy: deploymentIsOwnedBy,
  },
};
