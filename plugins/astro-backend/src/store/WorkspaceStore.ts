import { Workspace } from '@airflow-portal/plugin-astro-common';
import { AstroWorkspaceFilter } from '@airflow-portal/plugin-astro-node';
import { AuditColumns, auditFields, Db, updateVersioned } from './util';
import { ListCriteria, restrictToCriteria } from './permissionCriteria';

/** A row of the `workspaces` table. */
export interface WorkspaceRow extends AuditColumns {
  id: string;
  organization_id: string;
  name: string;
  title: string;
  description: string;
  owner: string | null;
}

/** Reads and writes workspaces and their cluster grants. */
export class WorkspaceStore {
  constructor(private readonly db: Db) {}

  /** The workspaces of an organization the criteria let the caller see. */
  async list(
    organizationId: string,
    criteria?: ListCriteria<AstroWorkspaceFilter>,
  ) {
    const query = this.db<WorkspaceRow>('workspaces as w')
      .select('w.*')
      .where('w.organization_id', organizationId)
      .orderBy('w.name');
    restrictToCriteria(query, criteria, {
      organizationId: 'w.organization_id',
      workspaceId: 'w.id',
    });
    return query;
  }

  async get(organizationId: string, name: string) {
    return this.db<WorkspaceRow>('workspaces')
      .where({ organization_id: organizationId, name })
      .first();
  }

  async countInOrganization(organizationId: string) {
    const [{ count }] = await this.db('workspaces')
      .where({ organization_id: organizationId })
      .count({ count: '*' });
    return Number(count);
  }

  async insert(row: WorkspaceRow): Promise<void> {
    await this.db('workspaces').insert(row);
  }

  /**
   * Changes a workspace if `expectedVersion` (when given) is still its
   * version; a ConflictError otherwise. Returns the new version.
   */
  async update(
    row: WorkspaceRow,
    expectedVersion: number | undefined,
    changes: Partial<Pick<WorkspaceRow, 'title' | 'description' | 'owner'>>,
    actor: string,
    now: Date,
  ): Promise<number> {
    return updateVersioned(
      this.db,
      'workspaces',
      row,
      expectedVersion,
      changes,
      actor,
      now,
    );
  }

  async delete(id: string): Promise<void> {
    await this.db('api_tokens').where({ workspace_id: id }).delete();
    await this.db('workspaces').where({ id }).delete();
  }

  /** Names of the clusters each given workspace was granted. */
  async grants(workspaceIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(workspaceIds.map(id => [id, []]));
    if (workspaceIds.length === 0) {
      return result;
    }
    const rows = await this.db('workspace_cluster_grants as g')
      .join('clusters as c', 'c.id', 'g.cluster_id')
      .whereIn('g.workspace_id', workspaceIds)
      .orderBy('c.name')
      .select<{ workspace_id: string; name: string }[]>(
        'g.workspace_id',
        'c.name',
      );
    for (const row of rows) {
      result.get(row.workspace_id)?.push(row.name);
    }
    return result;
  }

  async setGrants(workspaceId: string, clusterIds: string[]): Promise<void> {
    await this.db('workspace_cluster_grants')
      .where({ workspace_id: workspaceId })
      .delete();
    if (clusterIds.length > 0) {
      await this.db('workspace_cluster_grants').insert(
        clusterIds.map(clusterId => ({
          workspace_id: workspaceId,
          cluster_id: clusterId,
        })),
      );
    }
  }

  static toApi(
    row: WorkspaceRow,
    organization: string,
    clusterGrants: string[],
  ): Workspace {
    return {
      name: row.name,
      organization,
      title: row.title,
      description: row.description,
      ...(row.owner ? { owner: row.owner } : {}),
      clusterGrants,
      ...auditFields(row),
    };
  }
}
