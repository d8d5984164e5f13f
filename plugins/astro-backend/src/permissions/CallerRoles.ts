import {
  BackstageCredentials,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  rolesAtLeast,
  WORKSPACE_ROLES,
  WorkspaceRole,
} from '@airflow-portal/plugin-astro-common';
import {
  CatalogMembership,
  normalizePrincipalRef,
} from '@airflow-portal/plugin-astro-node';
import { actorOf, RoleBindingService } from '../service';

/** Who a caller is for role bindings. */
export interface CallerIdentity {
  /** The user's entity ref, or the service or actor acting. */
  principal: string;
  /** The refs roles are looked up for (empty for services). */
  claims: string[];
  /** One of `astro.bootstrapOwners`: every permission, everywhere. */
  platformAdmin: boolean;
  /** Whether the caller is a service (trusted by the framework, no roles). */
  service: boolean;
}

/**
 * Resolves a caller's claims (the user and its groups, nested ones
 * included, through the catalog) and the roles the role model gives it.
 * The permission policy makes the decisions; this answers what the policy
 * cannot: which roles a caller holds, to show them and to keep API tokens
 * from exceeding their creator's role.
 */
export class CallerRoles {
  private readonly bootstrapOwners: Set<string>;

  constructor(
    private readonly options: {
      membership: CatalogMembership;
      userInfo: UserInfoService;
      roleBindings: RoleBindingService;
      bootstrapOwners: string[];
    },
  ) {
    this.bootstrapOwners = new Set(
      options.bootstrapOwners.map(normalizePrincipalRef),
    );
  }

  async identify(credentials: BackstageCredentials): Promise<CallerIdentity> {
    const principal = credentials.principal as
      | BackstageUserPrincipal
      | { type: string };
    if (principal.type !== 'user') {
      return {
        principal: actorOf(credentials),
        claims: [],
        platformAdmin: false,
        service: true,
      };
    }
    const userRef = (principal as BackstageUserPrincipal).userEntityRef;
    const info = await this.options.userInfo.getUserInfo(credentials);
    const claims = await this.options.membership.claimsOf(
      userRef,
      info.ownershipEntityRefs,
    );
    return {
      principal: userRef,
      claims,
      platformAdmin: claims.some(ref => this.bootstrapOwners.has(ref)),
      service: false,
    };
  }

  /**
   * The highest workspace role a caller holds on a workspace under the
   * role model: its workspace binding, WORKSPACE_OWNER for organization
   * owners and platform admins, WORKSPACE_MEMBER for billing admins.
   * Services hold every role.
   */
  async workspaceRole(
    credentials: BackstageCredentials,
    organization: string,
    workspace: string,
  ): Promise<WorkspaceRole | undefined> {
    const caller = await this.identify(credentials);
    if (caller.service || caller.platformAdmin) {
      return 'WORKSPACE_OWNER';
    }
    const bindings = await this.options.roleBindings.bindingsOf(caller.claims, {
      kind: 'workspace',
      organization,
      workspace,
    });
    const held = new Set<WorkspaceRole>();
    for (const binding of bindings) {
      if (binding.role === 'ORGANIZATION_OWNER') {
        held.add('WORKSPACE_OWNER');
      } else if (binding.role === 'ORGANIZATION_BILLING_ADMIN') {
        held.add('WORKSPACE_MEMBER');
      } else if (binding.scope.kind === 'workspace') {
        held.add(binding.role as WorkspaceRole);
      }
    }
    return WORKSPACE_ROLES.find(role => held.has(role));
  }

  /** Whether `held` is at least `wanted` among workspace roles. */
  static covers(held: WorkspaceRole | undefined, wanted: WorkspaceRole) {
    return (
      held !== undefined &&
      rolesAtLeast('workspace', held).length <=
        rolesAtLeast('workspace', wanted).length
    );
  }
}
