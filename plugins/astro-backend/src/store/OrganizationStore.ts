import { Organization } from '@airflow-portal/plugin-astro-common';
import { AuditColumns, auditFields, Db, updateVersioned } from './util';

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

  async list(): Promise<OrganizationRow[]> {
    return this.db<OrganizationRow>('organizations').orderBy('name');
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
