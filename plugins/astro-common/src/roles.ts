/**
 * The role model of the Astro plugin suite: which roles exist at which
 * scope, how they imply each other and which permissions each grants.
 * The default permission policy, the API-token checks and the UI all read
 * this one table.
 */

/**
 * Where a role is bound: an organization, a workspace or one Deployment.
 *
 * @public
 */
export type AstroRoleScope = 'organization' | 'workspace' | 'deployment';

/**
 * Organization roles, highest first.
 *
 * @public
 */
export const ORGANIZATION_ROLES = [
  'ORGANIZATION_OWNER',
  'ORGANIZATION_BILLING_ADMIN',
  'ORGANIZATION_MEMBER',
] as const;

/**
 * Workspace roles, highest first.
 *
 * @public
 */
export const WORKSPACE_ROLES = [
  'WORKSPACE_OWNER',
  'WORKSPACE_OPERATOR',
  'WORKSPACE_AUTHOR',
  'WORKSPACE_MEMBER',
] as const;

/**
 * Deployment roles.
 *
 * @public
 */
export const DEPLOYMENT_ROLES = ['DEPLOYMENT_ADMIN'] as const;

/** @public */
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];
/** @public */
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];
/** @public */
export type DeploymentRole = (typeof DEPLOYMENT_ROLES)[number];
/**
 * Any role of the model.
 *
 * @public
 */
export type AstroRole = OrganizationRole | WorkspaceRole | DeploymentRole;

/**
 * The roles that can be bound at each scope, highest first.
 *
 * @public
 */
export const ROLES_BY_SCOPE: {
  organization: readonly OrganizationRole[];
  workspace: readonly WorkspaceRole[];
  deployment: readonly DeploymentRole[];
} = {
  organization: ORGANIZATION_ROLES,
  workspace: WORKSPACE_ROLES,
  deployment: DEPLOYMENT_ROLES,
};

/**
 * What a user may be granted: the least role, at each scope, that grants a
 * permission. A role grants everything its lower roles of the same scope
 * grant; `withinOrganization` means any role bound anywhere in the
 * organization (on it, a workspace or a Deployment of it).
 *
 * @public
 */
export interface AstroRoleGrant {
  organization?: OrganizationRole;
  workspace?: WorkspaceRole;
  deployment?: DeploymentRole;
  withinOrganization?: boolean;
}

/**
 * Which roles grant each permission of the suite. Basic permissions that
 * no role grants (`astro.organization.create`, `astro.cluster.manage`) are
 * for the platform's administrators (`astro.bootstrapOwners`);
 * `astro.cluster.read` is granted to every signed-in user.
 *
 * - Organization owners may do everything in their organization.
 * - Billing admins read everything in it.
 * - Organization members see the organization, nothing in it by itself.
 * - Workspace owners manage the workspace, its members and tokens;
 *   operators create, change and delete its Deployments; authors deploy
 *   code and edit variables; members read.
 * - A Deployment admin manages one Deployment (settings, variables,
 *   deploys, tokens, members, deletion).
 *
 * @public
 */
export const ASTRO_ROLE_GRANTS: Readonly<Record<string, AstroRoleGrant>> = {
  'astro.organization.read': {
    organization: 'ORGANIZATION_MEMBER',
    withinOrganization: true,
  },
  'astro.organization.update': { organization: 'ORGANIZATION_OWNER' },
  'astro.organization.delete': { organization: 'ORGANIZATION_OWNER' },
  'astro.organization.roles.manage': { organization: 'ORGANIZATION_OWNER' },
  'astro.workspace.create': { organization: 'ORGANIZATION_OWNER' },

  'astro.workspace.read': {
    organization: 'ORGANIZATION_BILLING_ADMIN',
    workspace: 'WORKSPACE_MEMBER',
  },
  'astro.workspace.update': {
    organization: 'ORGANIZATION_OWNER',
    workspace: 'WORKSPACE_OWNER',
  },
  'astro.workspace.delete': {
    organization: 'ORGANIZATION_OWNER',
    workspace: 'WORKSPACE_OWNER',
  },
  'astro.workspace.roles.manage': {
    organization: 'ORGANIZATION_OWNER',
    workspace: 'WORKSPACE_OWNER',
  },
  'astro.workspace.tokens.manage': {
    organization: 'ORGANIZATION_OWNER',
    workspace: 'WORKSPACE_OWNER',
  },
  'astro.deployment.create': {
    organization: 'ORGANIZATION_OWNER',
    workspace: 'WORKSPACE_OPERATOR',
  },

  'astro.deployment.read': {
    organization: 'ORGANIZATION_BILLING_ADMIN',
    workspace: 'WORKSPACE_MEMBER',
    deployment: 'DEPLOYMENT_ADMIN',
  },
  'astro.deployment.update': {
    organization: 'ORGANIZATION_OWNER',
    workspace: 'WORKSPACE_OPERATOR',
    deployment: 'DEPLOYMENT_ADMIN',
  },
  'astro.deployment.delete': {
    organization: 'ORGANIZATION_OWNER',
    workspace: 'WORKSPACE_OPERATOR',
    deployment: 'DEPLOYMENT_ADMIN',
  },
  'astro.deployment.tokens.manage': {
    organization: 'ORGANIZATION_OWNER',
    workspace: 'WORKSPACE_OPERATOR',
    deployment: 'DEPLOYMENT_ADMIN',
  },
  'astro.deployment.variables.update': {
    organization: 'ORGANIZATION_OWNER',
    workspace: 'WORKSPACE_AUTHOR',
    deployment: 'DEPLOYMENT_ADMIN',
  },
  'astro.deployment.deploy': {
    organization: 'ORGANIZATION_OWNER',
    workspace: 'WORKSPACE_AUTHOR',
    deployment: 'DEPLOYMENT_ADMIN',
  },
  'astro.deployment.roles.manage': {
    organization: 'ORGANIZATION_OWNER',
    workspace: 'WORKSPACE_OWNER',
    deployment: 'DEPLOYMENT_ADMIN',
  },
};

/**
 * The roles of a scope that are at least `least` (itself and the higher
 * ones); empty when `least` is undefined.
 *
 * @public
 */
export function rolesAtLeast<S extends AstroRoleScope>(
  scope: S,
  least: AstroRole | undefined,
): AstroRole[] {
  const roles = ROLES_BY_SCOPE[scope] as readonly AstroRole[];
  const index = least === undefined ? -1 : roles.indexOf(least);
  return index < 0 ? [] : roles.slice(0, index + 1);
}

/**
 * Whether a role bound at a scope grants a permission there (ignores
 * `withinOrganization`, which needs the organization's bindings).
 *
 * @public
 */
export function roleGrants(
  permission: string,
  scope: AstroRoleScope,
  role: AstroRole,
): boolean {
  const grant = ASTRO_ROLE_GRANTS[permission];
  return (
    grant !== undefined && rolesAtLeast(scope, grant[scope]).includes(role)
  );
}

/**
 * The scope a role belongs to.
 *
 * @public
 */
export function scopeOfRole(role: AstroRole): AstroRoleScope {
  if ((ORGANIZATION_ROLES as readonly string[]).includes(role)) {
    return 'organization';
  }
  return (WORKSPACE_ROLES as readonly string[]).includes(role)
    ? 'workspace'
    : 'deployment';
}

/**
 * Whether `role` is at least `than` (same scope, same or higher).
 *
 * @public
 */
export function roleIsAtLeast(role: AstroRole, than: AstroRole): boolean {
  const scope = scopeOfRole(than);
  return (
    scopeOfRole(role) === scope && rolesAtLeast(scope, than).includes(role)
  );
}
