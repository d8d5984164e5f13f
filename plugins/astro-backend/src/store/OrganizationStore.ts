import { Organization } from '@airflow-portal/plugin-astro-common';
import { AuditColumns, auditFields, Db } from './util';

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

  async list(db: Db = this.db): Promise<OrganizationRow[]> {
    return db<OrganizationRow>('organizations').orderBy('name');
  }

  async get(name: string, db: Db = this.db) {
    return db<OrganizationRow>('organizations').where({ name }).first();
  }

  async insert(row: OrganizationRow, db: Db = this.db): Promise<void> {
    await db('organizations').insert(row);
  }

  async delete(id: string, db: Db = this.db): Promise<void> {
    await db('organizations').where({ id }).delete();
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
