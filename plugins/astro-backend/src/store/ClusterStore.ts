import {
  Cluster,
  ClusterCapacity,
  ClusterType,
  DeploymentSettings,
  parseCpuMillis,
  parseMemoryBytes,
} from '@airflow-portal/plugin-astro-common';
import { AuditColumns, auditFields, Db, toIso, updateVersioned } from './util';

/** A row of the `clusters` table. */
export interface ClusterRow extends AuditColumns {
  id: string;
  name: string;
  title: string;
  description: string;
  type: ClusterType;
  provider: string;
  region: string;
  driver: string;
  organization: string | null;
  source: 'api' | 'declared';
  connection_ciphertext: string | null;
  /** Hash of the app-config declaration the record follows. */
  declaration_hash?: string | null;
  /** Revision of that declaration. */
  declaration_revision?: number;
  /** JSON of a {@link DeclarationConflict} a backend reported. */
  declaration_conflict?: string | null;
}

/** A backend's declaration of a cluster that differs from the record's. */
export interface DeclarationConflict {
  hash: string;
  revision: number;
  message: string;
  /** When a backend first reported it. */
  detectedAt: string;
  /** When a backend last reported it (each periodic check). */
  reportedAt?: string;
}

/** Reads and writes clusters. */
export class ClusterStore {
  constructor(private readonly db: Db) {}

  async list() {
    return this.db<ClusterRow>('clusters').orderBy('name');
  }

  async get(name: string) {
    return this.db<ClusterRow>('clusters').where({ name }).first();
  }

  async getByNames(names: string[]) {
    return names.length === 0
      ? []
      : this.db<ClusterRow>('clusters').whereIn('name', names);
  }

  async getById(id: string) {
    return this.db<ClusterRow>('clusters').where({ id }).first();
  }

  async insert(row: ClusterRow): Promise<void> {
    await this.db('clusters').insert(row);
  }

  /**
   * Changes a cluster if `expectedVersion` (when given) is still its
   * version; a ConflictError otherwise. Returns the new version.
   */
  async update(
    row: ClusterRow,
    expectedVersion: number | undefined,
    changes: Partial<
      Omit<ClusterRow, 'id' | 'name' | 'source' | keyof AuditColumns>
    >,
    actor: string,
    now: Date,
  ): Promise<number> {
    return updateVersioned(
      this.db,
      'clusters',
      row,
      expectedVersion,
      changes,
      actor,
      now,
    );
  }

  async delete(id: string): Promise<void> {
    await this.db('clusters').where({ id }).delete();
  }

  async countDedicatedTo(organization: string) {
    const [{ count }] = await this.db('clusters')
      .where({ organization })
      .count({ count: '*' });
    return Number(count);
  }

  /** Deployments per cluster id. */
  async deploymentCounts(): Promise<Map<string, number>> {
    const rows = await this.db('deployments')
      .groupBy('cluster_id')
      .select<{ cluster_id: string; count: number | string }[]>(
        'cluster_id',
        this.db.raw('count(*) as count'),
      );
    return new Map(rows.map(r => [r.cluster_id, Number(r.count)]));
  }

  /**
   * The sum of the resource quotas (`settings.resourceQuota`) of the
   * Deployments on each cluster, by cluster id; of one cluster when given.
   */
  async reservedQuotas(
    clusterId?: string,
  ): Promise<Map<string, ClusterCapacity['reserved']>> {
    const query = this.db<{ cluster_id: string; settings: string }>(
      'deployments',
    ).select('cluster_id', 'settings');
    if (clusterId) {
      query.where({ cluster_id: clusterId });
    }
    const totals = new Map<
      string,
      { cpuMillis: number; memoryBytes: number }
    >();
    for (const row of await query) {
      const { resourceQuota } = JSON.parse(
        row.settings,
      ) as Partial<DeploymentSettings>;
      const total = totals.get(row.cluster_id) ?? {
        cpuMillis: 0,
        memoryBytes: 0,
      };
      total.cpuMillis += parseCpuMillis(resourceQuota?.cpu ?? '') ?? 0;
      total.memoryBytes += parseMemoryBytes(resourceQuota?.memory ?? '') ?? 0;
      totals.set(row.cluster_id, total);
    }
    return new Map(
      [...totals].map(([id, total]) => [
        id,
        { cpu: total.cpuMillis / 1000, memoryBytes: total.memoryBytes },
      ]),
    );
  }

  /**
   * Records the declaration a config-declared cluster follows (and, with
   * `fields`, the record's fields from it), clearing any reported
   * conflict. Only while the record still follows `expectedHash`, so two
   * backends adopting at once do not both win.
   */
  async adoptDeclaration(
    id: string,
    expectedHash: string | null,
    declaration: { hash: string; revision: number },
    fields: Partial<ClusterRow>,
    actor: string,
    now: Date,
  ): Promise<boolean> {
    const updated = await this.db('clusters')
      .where({ id })
      .andWhere(q =>
        expectedHash === null
          ? q.whereNull('declaration_hash')
          : q.where('declaration_hash', expectedHash),
      )
      .update({
        ...fields,
        declaration_hash: declaration.hash,
        declaration_revision: declaration.revision,
        declaration_conflict: null,
        updated_at: now,
        updated_by: actor,
        version: this.db.raw('version + 1'),
      });
    return updated > 0;
  }

  /** Reports a differing declaration on the record (or clears it: null). */
  async setDeclarationConflict(
    id: string,
    conflict: DeclarationConflict | null,
  ): Promise<void> {
    await this.db('clusters')
      .where({ id })
      .update({
        declaration_conflict: conflict ? JSON.stringify(conflict) : null,
      });
  }

  static conflictOf(row: ClusterRow): DeclarationConflict | undefined {
    return row.declaration_conflict
      ? (JSON.parse(row.declaration_conflict) as DeclarationConflict)
      : undefined;
  }

  static toApi(row: ClusterRow, deploymentCount: number): Cluster {
    const conflict = ClusterStore.conflictOf(row);
    return {
      name: row.name,
      title: row.title,
      description: row.description,
      type: row.type,
      ...(row.organization ? { organization: row.organization } : {}),
      provider: row.provider,
      region: row.region,
      driver: row.driver,
      source: row.source,
      deploymentCount,
      ...(row.source === 'declared'
        ? {
            conditions: [
              {
                type: 'DeclarationInSync',
                status: conflict ? 'False' : 'True',
                reason: conflict ? 'DeclarationDiffers' : 'Matches',
                ...(conflict ? { message: conflict.message } : {}),
                lastTransitionTime: conflict
                  ? conflict.detectedAt
                  : toIso(row.updated_at),
              },
            ],
          }
        : {}),
      ...auditFields(row),
    };
  }
}
