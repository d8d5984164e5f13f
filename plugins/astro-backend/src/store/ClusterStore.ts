import { Cluster, ClusterType } from '@airflow-portal/plugin-astro-common';
import { AuditColumns, auditFields, Db } from './util';

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

  async list(db: Db = this.db) {
    return db<ClusterRow>('clusters').orderBy('name');
  }

  async get(name: string, db: Db = this.db) {
    return db<ClusterRow>('clusters').where({ name }).first();
  }

  async getByNames(names: string[], db: Db = this.db) {
    return names.length === 0
      ? []
      : db<ClusterRow>('clusters').whereIn('name', names);
  }

  async getById(id: string, db: Db = this.db) {
    return db<ClusterRow>('clusters').where({ id }).first();
  }

  async insert(row: ClusterRow, db: Db = this.db): Promise<void> {
    await db('clusters').insert(row);
  }

  async delete(id: string, db: Db = this.db): Promise<void> {
    await db('clusters').where({ id }).delete();
  }

  async countDedicatedTo(organization: string, db: Db = this.db) {
    const [{ count }] = await db('clusters')
      .where({ organization })
      .count({ count: '*' });
    return Number(count);
  }

  /** Deployments per cluster id. */
  async deploymentCounts(db: Db = this.db): Promise<Map<string, number>> {
    const rows = await db('deployments')
      .groupBy('cluster_id')
      .select<{ cluster_id: string; count: number | string }[]>(
        'cluster_id',
        db.raw('count(*) as count'),
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
