import { Db } from './util';

/** A Deployment's hibernation override as stored. */
export interface HibernationOverrideRecord {
  deploymentId: string;
  isHibernating: boolean;
  /** When it expires; absent: it holds until removed. */
  overrideUntil?: Date;
  createdBy: string;
  createdAt: Date;
}

interface OverrideRow {
  deployment_id: string;
  is_hibernating: boolean | number;
  override_until: Date | string | number | null;
  created_by: string;
  created_at: Date | string | number;
}

/** At most one hibernation override per Deployment. */
export class HibernationOverrideStore {
  constructor(private readonly db: Db) {}

  private static fromRow(row: OverrideRow): HibernationOverrideRecord {
    return {
      deploymentId: row.deployment_id,
      // SQLite returns booleans as 0/1.
      isHibernating: Boolean(row.is_hibernating),
      ...(row.override_until === null
        ? {}
        : { overrideUntil: new Date(row.override_until) }),
      createdBy: row.created_by,
      createdAt: new Date(row.created_at),
    };
  }

  async get(
    deploymentId: string,
  ): Promise<HibernationOverrideRecord | undefined> {
    const row = await this.db<OverrideRow>('deployment_hibernation_overrides')
      .where({ deployment_id: deploymentId })
      .first();
    return row ? HibernationOverrideStore.fromRow(row) : undefined;
  }

  /** The overrides of several Deployments, by Deployment id. */
  async getMany(
    deploymentIds: string[],
  ): Promise<Map<string, HibernationOverrideRecord>> {
    const result = new Map<string, HibernationOverrideRecord>();
    if (deploymentIds.length === 0) {
      return result;
    }
    const rows = await this.db<OverrideRow>(
      'deployment_hibernation_overrides',
    ).whereIn('deployment_id', deploymentIds);
    for (const row of rows) {
      result.set(row.deployment_id, HibernationOverrideStore.fromRow(row));
    }
    return result;
  }

  /** Sets (or replaces) the override of a Deployment. */
  async put(record: HibernationOverrideRecord): Promise<void> {
    await this.db('deployment_hibernation_overrides')
      .insert({
        deployment_id: record.deploymentId,
        is_hibernating: record.isHibernating,
        override_until: record.overrideUntil ?? null,
        created_by: record.createdBy,
        created_at: record.createdAt,
      })
      .onConflict('deployment_id')
      .merge();
  }

  /** Removes the override of a Deployment; whether there was one. */
  async delete(deploymentId: string): Promise<boolean> {
    const deleted = await this.db('deployment_hibernation_overrides')
      .where({ deployment_id: deploymentId })
      .delete();
    return deleted > 0;
  }
}
