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
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { createCatalogConditionalDecision } from '@backstage/plugin-catalog-backend/alpha';
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
import {
  astroRoleGoverned,
  CatalogEntityCriteria,
  notAstroRoleGoverned,
  visibleAstroEntities,
} from './catalogVisibility';
import { RoleBindingsSource } from './RoleBindingsReader';

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
   * The role bindings of a user's claims, for `catalog.entity.read`
   * (usually a `RoleBindingsReader` on the Astro backend). Without it the
   * policy leaves `catalog.entity.read` to the fallback.
   */
  roleBindings?: RoleBindingsSource;
  /**
   * The decision on permissions that are not Astro's; by default ALLOW,
   * which keeps the rest of the portal as open as the allow-all policy.
   */
  fallback?: PermissionPolicy;
}

type Conditions = PermissionCriteria<PermissionCondition<string>>;

const ROLE_SCOPES = ['organization', 'workspace', 'deployment'] as const;

type ConditionFactory = (params: any) => PermissionCondition<string>;

/**
 * The role rules of each Astro resource type, by the scope of the binding
 * they look at; `withinOrganization` is a binding anywhere in the
 * organization.
 */
const ROLE_RULES: Record<
  string,
  {
    decide: (permission: any, conditions: any) => PolicyDecision;
    byScope: Partial<Record<(typeof ROLE_SCOPES)[number], ConditionFactory>>;
    withinOrganization?: ConditionFactory;
  }
> = {
  [ASTRO_ORGANIZATION_RESOURCE_TYPE]: {
    decide: createAstroOrganizationConditionalDecision,
    byScope: { organization: astroOrganizationConditions.hasOrganizationRole },
    withinOrganization: astroOrganizationConditions.hasRoleInOrganization,
  },
  [ASTRO_WORKSPACE_RESOURCE_TYPE]: {
    decide: createAstroWorkspaceConditionalDecision,
    byScope: {
      organization: astroWorkspaceConditions.hasOrganizationRole,
      workspace: astroWorkspaceConditions.hasWorkspaceRole,
    },
  },
  [ASTRO_DEPLOYMENT_RESOURCE_TYPE]: {
    decide: createAstroDeploymentConditionalDecision,
    byScope: {
      organization: astroDeploymentConditions.hasOrganizationRole,
      workspace: astroDeploymentConditions.hasWorkspaceRole,
      deployment: astroDeploymentConditions.hasDeploymentRole,
    },
  },
};

/**
 * Applies Astro's role model to the `astro.*` permissions: each permission
 * becomes a conditional decision "holds one of the roles that grant it, on
 * the resource or on what contains it", evaluated by the Astro backend
 * against its role bindings (in SQL for lists).
 *
 * `catalog.entity.read` becomes a catalog conditional decision: entities
 * of the kinds AstroOrganization, AstroWorkspace and AstroDeployment are
 * visible when the user may read the organization, workspace or Deployment
 * they show (matched on their annotations, filtered in the catalog's
 * database); every other kind, AstroCluster included, is decided by the
 * fallback (by default visible).
 *
 * A portal with its own policy can call {@link AstroRolePolicy.handle} for
 * the requests {@link AstroRolePolicy.handles} names and decide the rest
 * itself.
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

  /**
   * Whether the policy decides this permission: an Astro one, or reading
   * catalog entities (of which it decides the Astro kinds).
   */
  static handles(request: PolicyQuery): boolean {
    return (
      request.permission.name.startsWith('astro.') ||
      AstroRolePolicy.isCatalogEntityRead(request)
    );
  }

  private static isCatalogEntityRead(request: PolicyQuery): boolean {
    return (
      request.permission.name === catalogEntityReadPermission.name &&
      isResourcePermission(
        request.permission,
        catalogEntityReadPermission.resourceType,
      )
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (
      AstroRolePolicy.isCatalogEntityRead(request) &&
      this.options.roleBindings
    ) {
      return this.handleCatalogEntityRead(request, user);
    }
    if (!request.permission.name.startsWith('astro.')) {
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

    const rules = ROLE_RULES[permission.resourceType];
    if (!rules) {
      return { result: AuthorizeResult.DENY };
    }
    const anyOf: Conditions[] = ROLE_SCOPES.filter(
      scope => grant[scope] && rules.byScope[scope],
    ).map(scope => rules.byScope[scope]!({ claims, roles: roles(scope) }));
    if (grant.withinOrganization && rules.withinOrganization) {
      anyOf.push(rules.withinOrganization({ claims }));
    }
    return rules.decide(permission as any, { anyOf: anyOf as any });
  }

  /**
   * The catalog entities a user sees: the Astro entities its roles let it
   * read, and of every other kind what the fallback allows. Platform
   * administrators see every Astro entity. When the role bindings cannot
   * be read, no Astro entity is visible (never more than the roles allow).
   */
  private async handleCatalogEntityRead(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const permission = catalogEntityReadPermission;
    const others = await this.otherKinds(request, user);
    let astro: CatalogEntityCriteria | 'all' | undefined;
    if (user) {
      const claims = await this.options.claims.claimsOf(
        user.info.userEntityRef,
        user.info.ownershipEntityRefs,
      );
      if (claims.some(ref => this.bootstrapOwners.has(ref))) {
        astro = 'all';
      } else {
        const bindings = await this.options.roleBindings!.bindingsOf(claims);
        astro = bindings ? visibleAstroEntities(bindings) : undefined;
      }
    }
    if (astro === 'all') {
      if (others === 'all') {
        return { result: AuthorizeResult.ALLOW };
      }
      // Every Astro entity, and of the rest what the fallback allows.
      return createCatalogConditionalDecision(permission, {
        anyOf: [astroRoleGoverned(), ...(others ? [others] : [])],
      });
    }
    const any = [
      ...(others === 'all' ? [notAstroRoleGoverned()] : []),
      ...(others && others !== 'all' ? [others] : []),
      ...(astro ? [astro] : []),
    ];
    if (any.length === 0) {
      return { result: AuthorizeResult.DENY };
    }
    return createCatalogConditionalDecision(permission, {
      anyOf: any as [CatalogEntityCriteria, ...CatalogEntityCriteria[]],
    });
  }

  /**
   * What the fallback allows of the kinds the roles do not govern: 'all',
   * nothing (undefined), or its catalog conditions restricted to those
   * kinds.
   */
  private async otherKinds(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<CatalogEntityCriteria | 'all' | undefined> {
    if (!this.options.fallback) {
      return 'all';
    }
    const decision = await this.options.fallback.handle(request, user);
    if (decision.result === AuthorizeResult.ALLOW) {
      return 'all';
    }
    if (
      decision.result === AuthorizeResult.CONDITIONAL &&
      decision.pluginId === 'catalog' &&
      decision.resourceType === catalogEntityReadPermission.resourceType
    ) {
      return {
        allOf: [
          notAstroRoleGoverned(),
          decision.conditions as CatalogEntityCriteria,
        ],
      };
    }
    return undefined;
  }
}
