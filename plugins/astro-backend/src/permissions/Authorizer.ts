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
import {
  astroDeploymentDeployPermission,
  astroReadPermission,
} from '@airflow-portal/plugin-astro-common';
import { Request } from 'express';
import { Actor, actorOf, DeploymentService } from '../service';
import { DeploymentVisibility } from '../service/DeploymentService';
import {
  TokenPrincipal,
  tokenActor,
  tokenCovers,
  tokenMayDeploy,
} from '../tokens/ApiTokenService';
import { principalOf } from './principals';

/** Who deploys, as a deploy records it. */
export interface DeployerIdentity {
  actor: Actor;
  viaApiToken: boolean;
}

/**
 * Checks a request's permission with Backstage's permission framework and
 * tells who made it. Requests made with an API token are judged by the
 * token's scope and role instead: they may read the Deployments the token
 * covers and, with a deploying role, deploy to them; nothing else.
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

  /** Throws NotAllowedError unless the policy allows the permission. */
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
    if (!(await this.decide(credentials, permission, resourceRef))) {
      throw new NotAllowedError(
        `The permission policy denies ${permission.name}${
          resourceRef ? ` on ${resourceRef}` : ''
        }`,
      );
    }
    return { credentials, actor: actorOf(credentials) };
  }

  /** Whether the policy allows a resource permission to these credentials (never throws a denial). */
  async allows(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    resourceRef: string,
  ): Promise<boolean> {
    return this.decide(credentials, permission, resourceRef);
  }

  /** The policy's decision on one permission (on one resource, when given). */
  private async decide(
    credentials: BackstageCredentials,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorize(
      [
        resourceRef === undefined
          ? { permission: permission as BasicPermission }
          : { permission: permission as ResourcePermission, resourceRef },
      ],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /**
   * Authorizes listing an organization's Deployments: Backstage callers
   * need `astro.read`; a token sees its Deployment or its workspace's.
   */
  async authorizeDeploymentList(
    request: Request<any, any, any, any>,
    organization: string,
  ): Promise<DeploymentVisibility> {
    const principal = principalOf(request);
    if (principal?.type !== 'token') {
      await this.authorize(request, astroReadPermission);
      return {};
    }
    if (principal.organization !== organization) {
      throw this.refuse(principal, 'read', `organization ${organization}`);
    }
    return principal.scope === 'DEPLOYMENT'
      ? {
          organizationId: principal.organizationId,
          deploymentId: principal.deploymentId,
        }
      : {
          organizationId: principal.organizationId,
          workspaceId: principal.workspaceId,
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
      await this.authorize(request, astroReadPermission);
      return;
    }
    await this.assertTokenCovers(principal, organization, deployment, 'read');
  }

  /**
   * Authorizes a deploy (or rollback): Backstage callers need
   * `astro.deployment.deploy` on the Deployment; a token must cover it and
   * hold a deploying role.
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
    await this.assertTokenCovers(
      principal,
      organization,
      deployment,
      'deploy to',
    );
    if (!tokenMayDeploy(principal)) {
      throw new NotAllowedError(
        `API token ${principal.tokenId} has role ${principal.role}, which may read but not deploy; deploying takes WORKSPACE_AUTHOR or above`,
      );
    }
    return { actor: tokenActor(principal), viaApiToken: true };
  }

  /**
   * Refuses (403) a token outside its scope, whether or not the Deployment
   * exists: a token learns nothing about Deployments it does not cover.
   */
  private async assertTokenCovers(
    principal: TokenPrincipal,
    organization: string,
    deployment: string,
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
      return;
    }
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

  private refuse(principal: TokenPrincipal, verb: string, what: string) {
    return new NotAllowedError(
      `API token ${principal.tokenId} may not ${verb} ${what}`,
    );
  }
}
