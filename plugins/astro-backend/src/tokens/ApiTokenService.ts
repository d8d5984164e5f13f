import { randomUUID } from 'node:crypto';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import {
  AstroApiSchemas,
  WORKSPACE_ROLES,
} from '@airflow-portal/plugin-astro-common';
import {
  AstroDatabase,
  AstroStores,
  ApiTokenRecord,
  ApiTokenResource,
  ApiTokenRole,
  ApiTokenStore,
  NewEvent,
  toIso,
} from '../store';
import {
  Actor,
  DeploymentService,
  MutationRunner,
  OrganizationService,
  WorkspaceService,
} from '../service';
import {
  hashSecret,
  newTokenValue,
  parseTokenValue,
  secretMatches,
} from './tokenValues';

/** A token with its value, as creating or rotating it answers. */
export type ApiTokenWithValue = AstroApiSchemas['ApiTokenWithValue'];

/** What a new token asks for. */
export type ApiTokenCreateRequest = AstroApiSchemas['ApiTokenCreate'];

/** `lastUsedAt` is written at most this often. */
export const LAST_USED_INTERVAL_MS = 60_000;

const WORKSPACE_TOKEN_ROLES: readonly string[] = WORKSPACE_ROLES;

/** The caller behind an accepted API token. */
export interface TokenPrincipal {
  type: 'token';
  tokenId: string;
  scope: ApiTokenResource['scope'];
  role: ApiTokenRole;
  organizationId: string;
  organization: string;
  workspaceId: string;
  workspace: string;
  /** For a Deployment token. */
  deploymentId?: string;
  deployment?: string;
}

/** The actor a token acts as, in events, deploys and audit entries. */
export function tokenActor(principal: Pick<TokenPrincipal, 'tokenId'>): Actor {
  return `token:${principal.tokenId}`;
}

/** Whether the token may see a Deployment (by its ids). */
export function tokenCovers(
  principal: TokenPrincipal,
  deployment: { id: string; workspace_id: string; organization_id: string },
): boolean {
  if (principal.organizationId !== deployment.organization_id) {
    return false;
  }
  return principal.scope === 'DEPLOYMENT'
    ? principal.deploymentId === deployment.id
    : principal.workspaceId === deployment.workspace_id;
}

/**
 * API tokens of Deployments and workspaces: created with a random secret
 * whose value is shown once and of which only a SHA-256 is kept; rotated,
 * revoked, expiring; and checked when a request presents one.
 */
export class ApiTokenService {
  constructor(
    private readonly db: AstroDatabase,
    private readonly mutations: MutationRunner,
    private readonly organizations: OrganizationService,
    private readonly workspaces: WorkspaceService,
    private readonly deployments: DeploymentService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * The principal behind a presented token value, or an AuthenticationError
   * (401): malformed, unknown or wrong secret, revoked, expired. A rotated
   * value no longer matches. Records the use (at most once a minute).
   */
  async authenticate(value: string): Promise<TokenPrincipal> {
    const parsed = parseTokenValue(value);
    if (!parsed) {
      throw new AuthenticationError('The API token is malformed');
    }
    const record = await this.db.apiTokens.get(parsed.id);
    if (!record || !secretMatches(parsed.secret, record.secret_hash)) {
      throw new AuthenticationError('The API token is not valid');
    }
    const now = this.clock();
    if (record.revoked_at) {
      throw new AuthenticationError(
        `API token ${record.id} was revoked at ${toIso(record.revoked_at)}`,
      );
    }
    if (
      record.expires_at &&
      Date.parse(toIso(record.expires_at)) <= now.getTime()
    ) {
      throw new AuthenticationError(
        `API token ${record.id} expired at ${toIso(record.expires_at)}`,
      );
    }
    await this.db.apiTokens.touch(record.id, now, LAST_USED_INTERVAL_MS);
    return {
      type: 'token',
      tokenId: record.id,
      scope: record.scope,
      role: record.role,
      organizationId: record.organization_id,
      organization: record.organization_name,
      workspaceId: record.workspace_id,
      workspace: record.workspace_name,
      ...(record.deployment_id
        ? {
            deploymentId: record.deployment_id,
            deployment: record.deployment_name ?? undefined,
          }
        : {}),
    };
  }

  async listForDeployment(
    organization: string,
    deployment: string,
  ): Promise<ApiTokenResource[]> {
    const record = await this.deployments.getRecord(organization, deployment);
    return (await this.db.apiTokens.listForDeployment(record.id)).map(
      ApiTokenStore.toApi,
    );
  }

  async listForWorkspace(
    organization: string,
    workspace: string,
  ): Promise<ApiTokenResource[]> {
    const org = await this.organizations.getRow(organization);
    const row = await this.workspaces.getRow(org, workspace);
    return (await this.db.apiTokens.listForWorkspace(row.id)).map(
      ApiTokenStore.toApi,
    );
  }

  async createForDeployment(
    actor: Actor,
    organization: string,
    deployment: string,
    request: ApiTokenCreateRequest,
  ): Promise<ApiTokenWithValue> {
    if (request.role !== undefined && request.role !== 'DEPLOYMENT_ADMIN') {
      throw new InputError(
        `role: a Deployment token is DEPLOYMENT_ADMIN of its Deployment; ${request.role} is a workspace role`,
      );
    }
    return this.mutations.run(async (tx, now) => {
      const record = await this.deployments.getRecord(
        organization,
        deployment,
        tx,
      );
      if (record.deletion_requested_at) {
        throw new ConflictError(
          `Deployment "${record.name}" is being deleted; it takes no new tokens`,
        );
      }
      return this.insert(tx, now, actor, request, {
        scope: 'DEPLOYMENT',
        role: 'DEPLOYMENT_ADMIN',
        organization_id: record.organization_id,
        workspace_id: record.workspace_id,
        deployment_id: record.id,
      });
    });
  }

  async createForWorkspace(
    actor: Actor,
    organization: string,
    workspace: string,
    request: ApiTokenCreateRequest,
  ): Promise<ApiTokenWithValue> {
    const role = request.role;
    if (role === undefined || !WORKSPACE_TOKEN_ROLES.includes(role)) {
      throw new InputError(
        `role: a workspace token needs a workspace role, one of ${WORKSPACE_TOKEN_ROLES.join(
          ', ',
        )}`,
      );
    }
    return this.mutations.run(async (tx, now) => {
      const org = await this.organizations.getRow(organization, tx);
      const row = await this.workspaces.getRow(org, workspace, tx);
      return this.insert(tx, now, actor, request, {
        scope: 'WORKSPACE',
        role,
        organization_id: org.id,
        workspace_id: row.id,
        deployment_id: null,
      });
    });
  }

  async rotateForDeployment(
    actor: Actor,
    organization: string,
    deployment: string,
    tokenId: string,
  ): Promise<ApiTokenWithValue> {
    return this.mutations.run(async (tx, now) => {
      const token = await this.deploymentToken(
        tx,
        organization,
        deployment,
        tokenId,
      );
      return this.rotate(tx, now, actor, token);
    });
  }

  /** One workspace token, without its value; NotFoundError when it is not the workspace's. */
  async getForWorkspace(
    organization: string,
    workspace: string,
    tokenId: string,
  ): Promise<ApiTokenResource> {
    return ApiTokenStore.toApi(
      await this.workspaceToken(this.db, organization, workspace, tokenId),
    );
  }

  async rotateForWorkspace(
    actor: Actor,
    organization: string,
    workspace: string,
    tokenId: string,
  ): Promise<ApiTokenWithValue> {
    return this.mutations.run(async (tx, now) => {
      const token = await this.workspaceToken(
        tx,
        organization,
        workspace,
        tokenId,
      );
      return this.rotate(tx, now, actor, token);
    });
  }

  async revokeForDeployment(
    actor: Actor,
    organization: string,
    deployment: string,
    tokenId: string,
  ): Promise<ApiTokenResource> {
    return this.mutations.run(async (tx, now) => {
      const token = await this.deploymentToken(
        tx,
        organization,
        deployment,
        tokenId,
      );
      return this.revoke(tx, now, actor, token);
    });
  }

  async revokeForWorkspace(
    actor: Actor,
    organization: string,
    workspace: string,
    tokenId: string,
  ): Promise<ApiTokenResource> {
    return this.mutations.run(async (tx, now) => {
      const token = await this.workspaceToken(
        tx,
        organization,
        workspace,
        tokenId,
      );
      return this.revoke(tx, now, actor, token);
    });
  }

  private async deploymentToken(
    tx: AstroStores,
    organization: string,
    deployment: string,
    tokenId: string,
  ): Promise<ApiTokenRecord> {
    const record = await this.deployments.getRecord(
      organization,
      deployment,
      tx,
    );
    const token = await tx.apiTokens.get(tokenId);
    if (!token || token.deployment_id !== record.id) {
      throw new NotFoundError(
        `API token ${tokenId} not found for Deployment "${deployment}"`,
      );
    }
    return token;
  }

  private async workspaceToken(
    tx: AstroStores,
    organization: string,
    workspace: string,
    tokenId: string,
  ): Promise<ApiTokenRecord> {
    const org = await this.organizations.getRow(organization, tx);
    const row = await this.workspaces.getRow(org, workspace, tx);
    const token = await tx.apiTokens.get(tokenId);
    if (
      !token ||
      token.scope !== 'WORKSPACE' ||
      token.workspace_id !== row.id
    ) {
      throw new NotFoundError(
        `API token ${tokenId} not found for workspace "${workspace}"`,
      );
    }
    return token;
  }

  private async insert(
    tx: AstroStores,
    now: Date,
    actor: Actor,
    request: ApiTokenCreateRequest,
    owner: Pick<
      ApiTokenRecord,
      'scope' | 'role' | 'organization_id' | 'workspace_id' | 'deployment_id'
    >,
  ) {
    const id = randomUUID();
    const value = newTokenValue(id);
    await tx.apiTokens.insert({
      id,
      ...owner,
      name: request.name,
      description: request.description ?? '',
      secret_hash: hashSecret(value.secret),
      created_by: actor,
      created_at: now,
      expires_at:
        request.expiresInDays === undefined
          ? null
          : new Date(now.getTime() + request.expiresInDays * 86_400_000),
      last_used_at: null,
      rotated_at: null,
      revoked_at: null,
    });
    const token = ApiTokenStore.toApi((await tx.apiTokens.get(id))!);
    return {
      result: { ...token, value: value.value },
      events: [this.event(token, owner.deployment_id, actor, 'token-created')],
      changes: [],
    };
  }

  private async rotate(
    tx: AstroStores,
    now: Date,
    actor: Actor,
    record: ApiTokenRecord,
  ) {
    const value = newTokenValue(record.id);
    if (
      !(await tx.apiTokens.rotate(record.id, hashSecret(value.secret), now))
    ) {
      throw new ConflictError(
        `API token ${record.id} is ${
          record.revoked_at ? 'revoked' : 'expired'
        }; create a new one instead`,
      );
    }
    const token = ApiTokenStore.toApi((await tx.apiTokens.get(record.id))!);
    return {
      result: { ...token, value: value.value },
      events: [this.event(token, record.deployment_id, actor, 'token-rotated')],
      changes: [],
    };
  }

  private async revoke(
    tx: AstroStores,
    now: Date,
    actor: Actor,
    record: ApiTokenRecord,
  ) {
    await tx.apiTokens.revoke(record.id, now);
    const token = ApiTokenStore.toApi((await tx.apiTokens.get(record.id))!);
    return {
      result: token,
      events: record.revoked_at
        ? []
        : [this.event(token, record.deployment_id, actor, 'token-revoked')],
      changes: [],
    };
  }

  /** An event of the Deployment's (or the workspace's) history; never with the value. */
  private event(
    token: ApiTokenResource,
    deploymentId: string | null,
    actor: Actor,
    action: 'token-created' | 'token-rotated' | 'token-revoked',
  ): NewEvent {
    const verb = action.replace('token-', '');
    const described = { ...token };
    return {
      organization: token.organization,
      resourceType: token.deployment ? 'deployment' : 'workspace',
      resourceName: `${token.organization}/${
        token.deployment ?? token.workspace
      }`,
      ...(deploymentId ? { deploymentId } : {}),
      action,
      actor,
      message: `API token ${token.name} (${token.prefix}, ${token.role}) ${verb}`,
      after: described,
    };
  }
}
