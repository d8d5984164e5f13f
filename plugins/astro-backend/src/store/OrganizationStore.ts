import { Organization } from '@airflow-portal/plugin-astro-common';
import { AstroOrganizationFilter } from '@airflow-portal/plugin-astro-node';
import { AuditColumns, auditFields, Db, updateVersioned } from './util';
import { ListCriteria, restrictToCriteria } from './permissionCriteria';

/** A row of the `organizations` table. */
export interface OrganizationRow extends AuditColumns {
  id: string;
  name: string;
  title: string;
  description: string;
}

/** Reads and writes organizations. */
export class OrganizationStore {
  constructor(private readonly db: Db) {}

  /** The organizations the criteria let the caller see. */
  async list(
    criteria?: ListCriteria<AstroOrganizationFilter>,
  ): Promise<OrganizationRow[]> {
    const query = this.db<OrganizationRow>('organizations as o')
      .select('o.*')
      .orderBy('o.name');
    restrictToCriteria(query, criteria, { organizationId: 'o.id' });
    return query;
  }

  async get(name: string) {
    return this.db<OrganizationRow>('organizations').where({ name }).first();
  }

  async insert(row: OrganizationRow): Promise<void> {
    await this.db('organizations').insert(row);
  }

  /**
   * Changes an organization if `expectedVersion` (when given) is still its
   * version; a ConflictError otherwise. Returns the new version.
   */
  async update(
    row: OrganizationRow,
    expectedVersion: number | undefined,
    changes: Partial<Pick<OrganizationRow, 'title' | 'description'>>,
    actor: string,
    now: Date,
  ): Promise<number> {
    return updateVersioned(
      this.db,
      'organizations',
      row,
      expectedVersion,
      changes,
      actor,
      now,
    );
  }

  async delete(id: string): Promise<void> {
    await this.db('organizations').where({ id }).delete();
  }

  static toApi(row: OrganizationRow): Organization {
    return {
      name: row.name,
      title: row.title,
      description: row.description,
      ...auditFields(row),
    };
  }
}
