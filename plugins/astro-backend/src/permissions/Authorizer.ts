import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import {
  ASTRO_DEPLOYMENT_RESOURCE_TYPE,
  ASTRO_ORGANIZATION_RESOURCE_TYPE,
  ASTRO_WORKSPACE_RESOURCE_TYPE,
  astroDeploymentDeployPermission,
  astroDeploymentReadPermission,
  astroReadPermissionOf,
  roleGrants,
} from '@airflow-portal/plugin-astro-common';
import {
  AstroDeploymentFilter,
  astroPermissionRules,
} from '@airflow-portal/plugin-astro-node';
import { Request } from 'express';
import { Actor, actorOf, DeploymentService } from '../service';
import { DeploymentVisibility } from '../service/DeploymentService';
import { ListCriteria } from '../store';
import {
  TokenPrincipal,
  tokenActor,
  tokenCovers,
} from '../tokens/ApiTokenService';
import { principalOf } from './principals';

/** Who deploys, as a deploy records it. */
export interface DeployerIdentity {
  actor: Actor;
  viaApiToken: boolean;
}

type AstroResourceType =
  | typeof ASTRO_ORGANIZATION_RESOURCE_TYPE
  | typeof ASTRO_WORKSPACE_RESOURCE_TYPE
  | typeof ASTRO_DEPLOYMENT_RESOURCE_TYPE;

/**
 * The permission that decides whether a resource ref is visible at all,
 * when a permission on it is denied: the read permission of the resource's
 * type. (Creating a workspace is a permission on its organization, creating
 * a Deployment one on its workspace, so those fall under the
 * organization's and the workspace's read.)
 */
function visibilityPermission(permission: ResourcePermission) {
  return astroReadPermissionOf[permission.resourceType as AstroResourceType];
}

/**
 * The 404 a caller gets for a resource it may not see: the same message a
 * missing resource gets, so nobody learns what exists by probing.
 */
export function notFoundFor(
  resourceType: string,
  resourceRef: string,
): NotFoundError {
  const [organization, name] = resourceRef.split('/');
  if (resourceType === ASTRO_ORGANIZATION_RESOURCE_TYPE) {
    return new NotFoundError(`Organization "${organization}" not found`);
  }
  if (resourceType === ASTRO_WORKSPACE_RESOURCE_TYPE) {
    return new NotFoundError(
      `Workspace "${name}" not found in organization "${organization}"`,
    );
  }
  return new NotFoundError(
    `Deployment "${name}" not found in organization "${organization}"`,
  );
}

const transformers = {
  [ASTRO_ORGANIZATION_RESOURCE_TYPE]: createConditionTransformer(
    Object.values(astroPermissionRules.organization),
  ),
  [ASTRO_WORKSPACE_RESOURCE_TYPE]: createConditionTransformer(
    Object.values(astroPermissionRules.workspace),
  ),
  [ASTRO_DEPLOYMENT_RESOURCE_TYPE]: createConditionTransformer(
    Object.values(astroPermissionRules.deployment) as any[],
  ),
};

/**
 * Decides every request with Backstage's permission framework and tells
 * who made it:
 * - Backstage credentials: the portal's permission policy decides (by
 *   default the Astro role policy). A denied permission on a resource the
 *   caller may not even read answers 404, exactly like a missing resource;
 *   on a visible one, 403 naming the permission.
 * - API tokens: judged by their scope and role through the same role
 *   table (`ASTRO_ROLE_GRANTS`); outside their scope always 403, whether
 *   or not the Deployment exists.
 */
export class Authorizer {
  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly permissions: PermissionsService,
    private readonly deployments?: DeploymentService,
  ) {}

  private async credentialsOf(
    request: Request<any, any, any, any>,
  ): Promise<BackstageCredentials> {
    const principal = principalOf(request);
    if (principal?.type === 'token') {
      throw new NotAllowedError(
        `API token ${principal.tokenId} may only read Deployments and deploy to them`,
      );
    }
    return (
      principal?.credentials ??
      (await this.httpAuth.credentials(request, { allow: ['user', 'service'] }))
    );
  }

  /** The credentials of a request made with Backstage credentials. */
  async backstageCredentials(
    request: Request<any, any, any, any>,
  ): Promise<{ credentials: BackstageCredentials; actor: Actor }> {
    const credentials = await this.credentialsOf(request);
    return { credentials, actor: actorOf(credentials) };
  }

  /**
   * Throws unless the policy allows the permission: 404 when the resource
   * is not visible to the caller, 403 otherwise.
   */
  async authorize(
    request: Request<any, any, any, any>,
    permission: BasicPermission,
  ): Promise<{ credentials: BackstageCredentials; actor: Actor }>;
  async authorize(
    request: Request<any, any, any, any>,
    permission: ResourcePermission,
    resourceRef: string,
  ): Promise<{ credentials: BackstageCredentials; actor: Actor }>;
  async authorize(
    request: Request<any, any, any, any>,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ) {
    const credentials = await this.credentialsOf(request);
    await this.assertAllowed(credentials, permission, resourceRef);
    return { credentials, actor: actorOf(credentials) };
  }

  /** The same decision as {@link Authorizer.authorize}, for given credentials. */
  async assertAllowed(
    credentials: BackstageCredentials,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<void> {
    if (await this.decide(credentials, permission, resourceRef)) {
      return;
    }
    if (permission.type === 'resource' && resourceRef !== undefined) {
      const read = visibilityPermission(permission);
      if (
        read.name === permission.name ||
        !(await this.decide(credentials, read, resourceRef))
      ) {
        throw notFoundFor(permission.resourceType, resourceRef);
      }
    }
    throw new NotAllowedError(
      `The permission policy denies ${permission.name}${
        resourceRef ? ` on ${resourceRef}` : ''
      }`,
    );
  }

  /** Whether the policy allows a resource permission to these credentials (never throws a denial). */
  async allows(
    credentials: BackstageCredentials,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<boolean> {
    return this.decide(credentials, permission, resourceRef);
  }

  /** The policy's decisions on several permissions of one resource, in one call. */
  async decideAll(
    credentials: BackstageCredentials,
    permissions: Array<BasicPermission | ResourcePermission>,
    resourceRef?: string,
  ): Promise<boolean[]> {
    const decisions = await this.permissions.authorize(
      permissions.map(permission =>
        permission.type === 'resource' && resourceRef !== undefined
          ? { permission: permission as ResourcePermission, resourceRef }
          : { permission: permission as BasicPermission },
      ),
      { credentials },
    );
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }

  /** The policy's decision on one permission (on one resource, when given). */
  private async decide(
    credentials: BackstageCredentials,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<boolean> {
    const [allowed] = await this.decideAll(
      credentials,
      [permission],
      resourceRef,
    );
    return allowed;
  }

  /**
   * What a list may show of a resource type, as criteria the store turns
   * into SQL: everything, nothing, or the rows the policy's conditions
   * match (filtered in the database, never after loading).
   */
  async listCriteria<TFilter = AstroDeploymentFilter>(
    request: Request<any, any, any, any>,
    permission: ResourcePermission,
  ): Promise<ListCriteria<TFilter>> {
    const credentials = await this.credentialsOf(request);
    return this.listCriteriaFor<TFilter>(credentials, permission);
  }

  /** {@link Authorizer.listCriteria} for given credentials. */
  async listCriteriaFor<TFilter = AstroDeploymentFilter>(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<ListCriteria<TFilter>> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return undefined;
    }
    if (decision.result === AuthorizeResult.DENY) {
      return 'none';
    }
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return 'none';
    }
    const transform =
      transformers[permission.resourceType as AstroResourceType];
    if (
      !transform ||
      decision.pluginId !== 'astro' ||
      decision.resourceType !== permission.resourceType
    ) {
      return 'none';
    }
    return transform(decision.conditions) as ListCriteria<TFilter>;
  }

  /**
   * Authorizes listing an organization's Deployments: Backstage callers get
   * the criteria of `astro.deployment.read` (and 404 without
   * `astro.organization.read`); a token sees its Deployment or its
   * workspace's.
   */
  async authorizeDeploymentList(
    request: Request<any, any, any, any>,
    organization: string,
  ): Promise<{
    visibility: DeploymentVisibility;
    criteria: ListCriteria<AstroDeploymentFilter>;
  }> {
    const principal = principalOf(request);
    if (principal?.type !== 'token') {
      const { credentials } = await this.backstageCredentials(request);
      await this.assertAllowed(
        credentials,
        astroReadPermissionOf[ASTRO_ORGANIZATION_RESOURCE_TYPE],
        organization,
      );
      return {
        visibility: {},
        criteria: await this.listCriteriaFor(
          credentials,
          astroDeploymentReadPermission,
        ),
      };
    }
    if (principal.organization !== organization) {
      throw this.refuse(principal, 'read', `organization ${organization}`);
    }
    return {
      criteria: undefined,
      visibility:
        principal.scope === 'DEPLOYMENT'
          ? {
              organizationId: principal.organizationId,
              deploymentId: principal.deploymentId,
            }
          : {
              organizationId: principal.organizationId,
              workspaceId: principal.workspaceId,
            },
    };
  }

  /**
   * Authorizes listing Deployments across organizations: Backstage callers
   * see what their Deployment read decision allows (applied in the query),
   * API tokens what they cover.
   */
  async authorizeDeploymentListAcross(
    request: Request<any, any, any, any>,
  ): Promise<{
    visibility: DeploymentVisibility;
    criteria: ListCriteria<AstroDeploymentFilter>;
  }> {
    const principal = principalOf(request);
    if (principal?.type !== 'token') {
      const { credentials } = await this.backstageCredentials(request);
      return {
        visibility: {},
        criteria: await this.listCriteriaFor(
          credentials,
          astroDeploymentReadPermission,
        ),
      };
    }
    return {
      criteria: undefined,
      visibility:
        principal.scope === 'DEPLOYMENT'
          ? {
              organizationId: principal.organizationId,
              deploymentId: principal.deploymentId,
            }
          : {
              organizationId: principal.organizationId,
              workspaceId: principal.workspaceId,
            },
    };
  }

  /** Authorizes reading one Deployment (and its deploys). */
  async authorizeDeploymentRead(
    request: Request<any, any, any, any>,
    organization: string,
    deployment: string,
  ): Promise<void> {
    const principal = principalOf(request);
    if (principal?.type !== 'token') {
      await this.authorize(
        request,
        astroDeploymentReadPermission,
        `${organization}/${deployment}`,
      );
      return;
    }
    await this.assertTokenMay(
      principal,
      organization,
      deployment,
      astroDeploymentReadPermission,
      'read',
    );
  }

  /**
   * Authorizes a deploy (or rollback): Backstage callers need
   * `astro.deployment.deploy` on the Deployment; a token must cover it and
   * hold a role that grants deploying.
   */
  async authorizeDeploy(
    request: Request<any, any, any, any>,
    organization: string,
    deployment: string,
  ): Promise<DeployerIdentity> {
    const principal = principalOf(request);
    if (principal?.type !== 'token') {
      const { actor } = await this.authorize(
        request,
        astroDeploymentDeployPermission,
        `${organization}/${deployment}`,
      );
      return { actor, viaApiToken: false };
    }
    await this.assertTokenMay(
      principal,
      organization,
      deployment,
      astroDeploymentDeployPermission,
      'deploy to',
    );
    return { actor: tokenActor(principal), viaApiToken: true };
  }

  /**
   * Refuses (403) a token outside its scope, whether or not the Deployment
   * exists (a token learns nothing about Deployments it does not cover), or
   * whose role does not grant the permission.
   */
  private async assertTokenMay(
    principal: TokenPrincipal,
    organization: string,
    deployment: string,
    permission: ResourcePermission,
    verb: string,
  ) {
    const what = `Deployment ${organization}/${deployment}`;
    if (principal.organization !== organization) {
      throw this.refuse(principal, verb, what);
    }
    if (principal.scope === 'DEPLOYMENT') {
      if (principal.deployment !== deployment) {
        throw this.refuse(principal, verb, what);
      }
    } else {
      const record = await this.deployments
        ?.getRecord(organization, deployment)
        .catch(error => {
          if ((error as Error).name === NotFoundError.name) {
            return undefined;
          }
          throw error;
        });
      if (!record || !tokenCovers(principal, record)) {
        throw this.refuse(principal, verb, what);
      }
    }
    const scope = principal.scope === 'DEPLOYMENT' ? 'deployment' : 'workspace';
    if (!roleGrants(permission.name, scope, principal.role)) {
      throw new NotAllowedError(
        `API token ${principal.tokenId} has role ${principal.role}, which does not grant ${permission.name}`,
      );
    }
  }

  private refuse(principal: TokenPrincipal, verb: string, what: string) {
    return new NotAllowedError(
      `API token ${principal.tokenId} may not ${verb} ${what}`,
    );
  }
}
