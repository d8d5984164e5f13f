import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import {
  ASTRO_DEPLOYMENT_RESOURCE_TYPE,
  ASTRO_ORGANIZATION_RESOURCE_TYPE,
  ASTRO_WORKSPACE_RESOURCE_TYPE,
  AstroRole,
  AstroRoleScope,
} from '@airflow-portal/plugin-astro-common';

/**
 * A role binding as permission rules see it: who holds which role on the
 * resource itself or on a resource containing it.
 *
 * @public
 */
export interface AstroRoleBindingFact {
  scope: AstroRoleScope;
  /** Entity ref of the user or group, lower-case. */
  principal: string;
  role: AstroRole;
}

/**
 * What permission rules about an Organization see.
 *
 * @public
 */
export interface AstroOrganizationResource {
  organization: string;
  /** Every binding in the organization: on it, its workspaces and its Deployments. */
  roleBindings: AstroRoleBindingFact[];
}

/**
 * What permission rules about a Workspace see.
 *
 * @public
 */
export interface AstroWorkspaceResource {
  organization: string;
  workspace: string;
  owner?: string;
  /** The bindings on the workspace and on its organization. */
  roleBindings: AstroRoleBindingFact[];
}

/**
 * What permission rules about a Deployment see.
 *
 * @public
 */
export interface AstroDeploymentResource {
  organization: string;
  workspace: string;
  name: string;
  cluster: string;
  /** The Deployment's owner, or its workspace's when it names none. */
  owner?: string;
  /** The bindings on the Deployment, its workspace and its organization. */
  roleBindings: AstroRoleBindingFact[];
}

/**
 * A query criterion on role bindings: the resource (or, for `anywhere`, any
 * resource of its organization) has a binding of one of `roles`, at
 * `scope`, to one of `principals`.
 *
 * @public
 */
export interface AstroRoleBindingFilter {
  roleBinding: {
    scope: AstroRoleScope | 'anywhere';
    principals: string[];
    roles: AstroRole[];
  };
}

/**
 * A query criterion on Organizations produced by a rule's `toQuery`.
 *
 * @public
 */
export type AstroOrganizationFilter = AstroRoleBindingFilter;

/**
 * A query criterion on Workspaces produced by a rule's `toQuery`.
 *
 * @public
 */
export type AstroWorkspaceFilter = AstroRoleBindingFilter;

/**
 * A query criterion on Deployments produced by a rule's `toQuery`.
 *
 * @public
 */
export type AstroDeploymentFilter =
  | {
      property: 'organization' | 'workspace' | 'owner' | 'cluster';
      values: string[];
    }
  | AstroRoleBindingFilter;

/**
 * The permission resource of Organizations; resource refs are
 * `<organization>`.
 *
 * @public
 */
export const astroOrganizationPermissionResourceRef =
  createPermissionResourceRef<
    AstroOrganizationResource,
    AstroOrganizationFilter
  >().with({
    pluginId: 'astro',
    resourceType: ASTRO_ORGANIZATION_RESOURCE_TYPE,
  });

/**
 * The permission resource of Workspaces; resource refs are
 * `<organization>/<workspace>`.
 *
 * @public
 */
export const astroWorkspacePermissionResourceRef = createPermissionResourceRef<
  AstroWorkspaceResource,
  AstroWorkspaceFilter
>().with({
  pluginId: 'astro',
  resourceType: ASTRO_WORKSPACE_RESOURCE_TYPE,
});

/**
 * The permission resource of Deployments; resource refs are
 * `<organization>/<deployment>`.
 *
 * @public
 */
export const astroDeploymentPermissionResourceRef = createPermissionResourceRef<
  AstroDeploymentResource,
  AstroDeploymentFilter
>().with({
  pluginId: 'astro',
  resourceType: ASTRO_DEPLOYMENT_RESOURCE_TYPE,
});
