import { Cluster, ClusterType } from '@airflow-portal/plugin-astro-common';
import { AuditColumns, auditFields, Db, updateVersioned } from './util';

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

  static toApi(row: ClusterRow, deploymentCount: number): Cluster {
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
      ...auditFields(row),
    };
  }
}
