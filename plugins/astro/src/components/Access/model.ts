import {
  AstroRole,
  AstroRoleScope,
  RoleBinding,
  RoleBindingInput,
  ROLES_BY_SCOPE,
  astroDeploymentRolesManagePermission,
  astroOrganizationRolesManagePermission,
  astroWorkspaceRolesManagePermission,
} from '@airflow-portal/plugin-astro-common';
import type { AstroApi } from '../../api';

/** The resource whose role bindings are shown: an organization, a workspace or a Deployment. */
export type AccessScope =
  | { kind: 'organization'; organization: string }
  | { kind: 'workspace'; organization: string; workspace: string }
  | { kind: 'deployment'; organization: string; deployment: string };

/** The permission framework's resource ref of a scope: `<org>`, `<org>/<ws>`, `<org>/<dep>`. */
export function resourceRefOf(scope: AccessScope): string {
  switch (scope.kind) {
    case 'organization':
      return scope.organization;
    case 'workspace':
      return `${scope.organization}/${scope.workspace}`;
    default:
      return `${scope.organization}/${scope.deployment}`;
  }
}

/** The `resource` query of `GET /me/permissions` for a scope. */
export function myPermissionsResourceOf(scope: AccessScope): string {
  return `${scope.kind}:${resourceRefOf(scope)}`;
}

/** The permission that allows changing the role bindings of a scope. */
export function rolesManagePermissionOf(scope: AccessScope) {
  switch (scope.kind) {
    case 'organization':
      return astroOrganizationRolesManagePermission;
    case 'workspace':
      return astroWorkspaceRolesManagePermission;
    default:
      return astroDeploymentRolesManagePermission;
  }
}

/** The roles that can be bound at a scope, highest first. */
export function rolesOf(scope: AccessScope): readonly AstroRole[] {
  return ROLES_BY_SCOPE[scope.kind];
}

/** How a role reads in the UI, and what it allows in one line. */
export const ROLE_TEXT: Readonly<
  Record<AstroRole, { label: string; description: string }>
> = {
  ORGANIZATION_OWNER: {
    label: 'Organization owner',
    description:
      'Everything in the organization: its workspaces, Deployments, clusters, members and tokens.',
  },
  ORGANIZATION_BILLING_ADMIN: {
    label: 'Billing admin',
    description:
      'Reads everything in the organization, including usage; changes nothing.',
  },
  ORGANIZATION_MEMBER: {
    label: 'Organization member',
    description:
      'Sees the organization; access to its workspaces comes from workspace roles.',
  },
  WORKSPACE_OWNER: {
    label: 'Workspace owner',
    description:
      'Everything in the workspace: its settings, members, API tokens and Deployments.',
  },
  WORKSPACE_OPERATOR: {
    label: 'Operator',
    description:
      'Creates, changes and deletes Deployments; edits variables and deploys code.',
  },
  WORKSPACE_AUTHOR: {
    label: 'Author',
    description:
      'Deploys code and edits variables; cannot create or delete Deployments.',
  },
  WORKSPACE_MEMBER: {
    label: 'Member',
    description: 'Reads the workspace and its Deployments.',
  },
  DEPLOYMENT_ADMIN: {
    label: 'Deployment admin',
    description:
      'Manages this Deployment: settings, variables, deploys, API tokens, access and deletion.',
  },
};

/** The label of a role, or the role itself when the UI does not know it. */
export function roleLabel(role: string): string {
  return ROLE_TEXT[role as AstroRole]?.label ?? role;
}

/** The role-binding calls of the Astro API for a scope. */
export interface ScopedRolesApi {
  list(): Promise<RoleBinding[]>;
  set(input: RoleBindingInput): Promise<RoleBinding>;
  remove(principal: string): Promise<void>;
}

/** The calls of the Astro API for the role bindings of a scope. */
export function scopedRolesApi(
  astroApi: AstroApi,
  scope: AccessScope,
): ScopedRolesApi {
  const org = scope.organization;
  if (scope.kind === 'organization') {
    const path = { org };
    return {
      list: async () => (await astroApi.listOrganizationRoles({ path })).items,
      set: body => astroApi.setOrganizationRole({ path, body }),
      remove: principal =>
        astroApi.removeOrganizationRole({ path, query: { principal } }),
    };
  }
  if (scope.kind === 'workspace') {
    const path = { org, ws: scope.workspace };
    return {
      list: async () => (await astroApi.listWorkspaceRoles({ path })).items,
      set: body => astroApi.setWorkspaceRole({ path, body }),
      remove: principal =>
        astroApi.removeWorkspaceRole({ path, query: { principal } }),
    };
  }
  const path = { org, dep: scope.deployment };
  return {
    list: async () => (await astroApi.listDeploymentRoles({ path })).items,
    set: body => astroApi.setDeploymentRole({ path, body }),
    remove: principal =>
      astroApi.removeDeploymentRole({ path, query: { principal } }),
  };
}

/** Where a binding is, as a person reads it: "organization acme", "workspace acme/data-eng". */
export function scopeText(binding: RoleBinding): string {
  const { scope } = binding;
  if (scope.kind === 'workspace') {
    return `workspace ${scope.organization}/${scope.workspace}`;
  }
  if (scope.kind === 'deployment') {
    return `Deployment ${scope.organization}/${scope.deployment}`;
  }
  return `organization ${scope.organization}`;
}

/** The scope kind of a scope, for texts: "organization", "workspace", "Deployment". */
export function scopeKindText(kind: AstroRoleScope): string {
  return kind === 'deployment' ? 'Deployment' : kind;
}
