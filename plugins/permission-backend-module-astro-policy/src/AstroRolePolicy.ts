import {
  AuthorizeResult,
  isResourcePermission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  ASTRO_DEPLOYMENT_RESOURCE_TYPE,
  ASTRO_ORGANIZATION_RESOURCE_TYPE,
  ASTRO_ROLE_GRANTS,
  ASTRO_WORKSPACE_RESOURCE_TYPE,
  astroClusterReadPermission,
  AstroRole,
  rolesAtLeast,
} from '@airflow-portal/plugin-astro-common';
import {
  astroDeploymentConditions,
  astroOrganizationConditions,
  astroWorkspaceConditions,
  createAstroDeploymentConditionalDecision,
  createAstroOrganizationConditionalDecision,
  createAstroWorkspaceConditionalDecision,
  normalizePrincipalRef,
} from '@airflow-portal/plugin-astro-node';

/** Resolves the refs roles are looked up for (the user and all its groups). */
export interface ClaimsResolver {
  claimsOf(
    userEntityRef: string,
    ownershipEntityRefs: string[],
  ): Promise<string[]>;
}

/** Options of {@link AstroRolePolicy}. */
export interface AstroRolePolicyOptions {
  /** Usually a `CatalogMembership` of `@airflow-portal/plugin-astro-node`. */
  claims: ClaimsResolver;
  /**
   * Entity refs (users or groups) of the platform's administrators
   * (`astro.bootstrapOwners`): they hold every Astro permission, including
   * creating organizations and managing clusters.
   */
  bootstrapOwners: string[];
  /**
   * The decision on permissions that are not Astro's; by default ALLOW,
   * which keeps the rest of the portal as open as the allow-all policy.
   */
  fallback?: PermissionPolicy;
}

type Conditions = PermissionCriteria<PermissionCondition<string>>;

/**
 * Applies Astro's role model to the `astro.*` permissions: each permission
 * becomes a conditional decision "holds one of the roles that grant it, on
 * the resource or on what contains it", evaluated by the Astro backend
 * against its role bindings (in SQL for lists). A portal with its own
 * policy can call {@link AstroRolePolicy.handle} for `astro.*` requests
 * and decide the rest itself.
 *
 * @public
 */
export class AstroRolePolicy implements PermissionPolicy {
  private readonly bootstrapOwners: Set<string>;

  constructor(private readonly options: AstroRolePolicyOptions) {
    this.bootstrapOwners = new Set(
      options.bootstrapOwners.map(normalizePrincipalRef),
    );
  }

  /** Whether the policy decides this permission (an Astro one). */
  static handles(request: PolicyQuery): boolean {
    return request.permission.name.startsWith('astro.');
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!AstroRolePolicy.handles(request)) {
      return this.options.fallback
        ? this.options.fallback.handle(request, user)
        : { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const claims = await this.options.claims.claimsOf(
      user.info.userEntityRef,
      user.info.ownershipEntityRefs,
    );
    if (claims.some(ref => this.bootstrapOwners.has(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    const { permission } = request;
    if (!isResourcePermission(permission)) {
      // Basic permissions: reading clusters is for everyone signed in;
      // creating organizations and managing clusters for the platform's
      // administrators only.
      return {
        result:
          permission.name === astroClusterReadPermission.name
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      };
    }
    const grant = ASTRO_ROLE_GRANTS[permission.name];
    if (!grant) {
      return { result: AuthorizeResult.DENY };
    }
    const roles = (scope: 'organization' | 'workspace' | 'deployment') =>
      rolesAtLeast(scope, grant[scope]) as AstroRole[];

    if (permission.resourceType === ASTRO_ORGANIZATION_RESOURCE_TYPE) {
      const c = astroOrganizationConditions;
      const any: Conditions[] = [];
      if (grant.organization) {
        any.push(
          c.hasOrganizationRole({ claims, roles: roles('organization') }),
        );
      }
      if (grant.withinOrganization) {
        any.push(c.hasRoleInOrganization({ claims }));
      }
      return createAstroOrganizationConditionalDecision(permission as any, {
        anyOf: any as any,
      });
    }
    if (permission.resourceType === ASTRO_WORKSPACE_RESOURCE_TYPE) {
      const c = astroWorkspaceConditions;
      const any: Conditions[] = [];
      if (grant.organization) {
        any.push(
          c.hasOrganizationRole({ claims, roles: roles('organization') }),
        );
      }
      if (grant.workspace) {
        any.push(c.hasWorkspaceRole({ claims, roles: roles('workspace') }));
      }
      return createAstroWorkspaceConditionalDecision(permission as any, {
        anyOf: any as any,
      });
    }
    if (permission.resourceType === ASTRO_DEPLOYMENT_RESOURCE_TYPE) {
      const c = astroDeploymentConditions;
      const any: Conditions[] = [];
      if (grant.organization) {
        any.push(
          c.hasOrganizationRole({ claims, roles: roles('organization') }),
        );
      }
      if (grant.workspace) {
        any.push(c.hasWorkspaceRole({ claims, roles: roles('workspace') }));
      }
      if (grant.deployment) {
        any.push(c.hasDeploymentRole({ claims, roles: roles('deployment') }));
      }
      return createAstroDeploymentConditionalDecision(permission as any, {
        anyOf: any as any,
      });
    }
    return { result: AuthorizeResult.DENY };
  }
}
