import { AstroApiSchemas } from '@airflow-portal/plugin-astro-common';
import { Db, toIso } from './util';

/** An API token as the API shows it (never with its value). */
export type ApiTokenResource = AstroApiSchemas['ApiToken'];

/** A token's role. */
export type ApiTokenRole = ApiTokenResource['role'];

/** A row of the `api_tokens` table. */
export interface ApiTokenRow {
  id: string;
  scope: ApiTokenResource['scope'];
  organization_id: string;
  workspace_id: string;
  deployment_id: string | null;
  name: string;
  description: string;
  role: ApiTokenRole;
  /** Hex SHA-256 of the secret part of the value; the value is never stored. */
  secret_hash: string;
  created_by: string;
  created_at: Date | string | number;
  expires_at: Date | string | number | null;
  last_used_at: Date | string | number | null;
  rotated_at: Date | string | number | null;
  revoked_at: Date | string | number | null;
}

/** A token row with the names of what it belongs to. */
export interface ApiTokenRecord extends ApiTokenRow {
  organization_name: string;
  workspace_name: string;
  deployment_name: string | null;
}

/** API tokens of Deployments and workspaces. */
export class ApiTokenStore {
  constructor(private readonly db: Db) {}

  private records() {
    return this.db<ApiTokenRecord>('api_tokens as t')
      .join('organizations as o', 'o.id', 't.organization_id')
      .join('workspaces as w', 'w.id', 't.workspace_id')
      .leftJoin('deployments as d', 'd.id', 't.deployment_id')
      .select(
        't.*',
        'o.name as organization_name',
        'w.name as workspace_name',
        'd.name as deployment_name',
      );
  }

  async insert(row: ApiTokenRow): Promise<void> {
    await this.db('api_tokens').insert(row);
  }

  async get(id: string): Promise<ApiTokenRecord | undefined> {
    return this.records().where('t.id', id).first();
  }

  /** The tokens of a Deployment, newest first. */
  async listForDeployment(deploymentId: string): Promise<ApiTokenRecord[]> {
    return this.records()
      .where('t.deployment_id', deploymentId)
      .orderBy([
        { column: 't.created_at', order: 'desc' },
        { column: 't.id', order: 'desc' },
      ]);
  }

  /** The workspace-scoped tokens of a workspace, newest first. */
  async listForWorkspace(workspaceId: string): Promise<ApiTokenRecord[]> {
    return this.records()
      .where('t.workspace_id', workspaceId)
      .where('t.scope', 'WORKSPACE')
      .orderBy([
        { column: 't.created_at', order: 'desc' },
        { column: 't.id', order: 'desc' },
      ]);
  }

  /**
   * Replaces the secret of a token that is neither revoked nor expired;
   * returns whether it was replaced.
   */
  async rotate(id: string, secretHash: string, now: Date): Promise<boolean> {
    const updated = await this.db('api_tokens')
      .where({ id })
      .whereNull('revoked_at')
      .andWhere(q => q.whereNull('expires_at').orWhere('expires_at', '>', now))
      .update({ secret_hash: secretHash, rotated_at: now });
    return updated === 1;
  }

  /** Revokes a token; revoking a revoked one keeps its first revocation time. */
  async revoke(id: string, now: Date): Promise<void> {
    await this.db('api_tokens')
      .where({ id })
      .whereNull('revoked_at')
      .update({ revoked_at: now });
  }

  /**
   * Records that a token was accepted, at most once per `interval`: the
   * row is written only when its last use is older than that.
   */
  async touch(id: string, now: Date, intervalMs: number): Promise<void> {
    await this.db('api_tokens')
      .where({ id })
      .andWhere(q =>
        q
          .whereNull('last_used_at')
          .orWhere('last_used_at', '<', new Date(now.getTime() - intervalMs)),
      )
      .update({ last_used_at: now });
  }

  static toApi(record: ApiTokenRecord): ApiTokenResource {
    const time = (value: Date | string | number | null) =>
      value === null || value === undefined ? undefined : toIso(value);
    const optional = {
      expiresAt: time(record.expires_at),
      lastUsedAt: time(record.last_used_at),
      rotatedAt: time(record.rotated_at),
      revokedAt: time(record.revoked_at),
    };
    return {
      id: record.id,
      name: record.name,
      description: record.description,
      scope: record.scope,
      organization: record.organization_name,
      workspace: record.workspace_name,
      ...(record.deployment_name ? { deployment: record.deployment_name } : {}),
      role: record.role,
      prefix: `astro_${record.id.replace(/-/g, '').slice(0, 8)}`,
      createdBy: record.created_by,
      createdAt: toIso(record.created_at),
      ...Object.fromEntries(
        Object.entries(optional).filter(([, v]) => v !== undefined),
      ),
    };
  }
}
