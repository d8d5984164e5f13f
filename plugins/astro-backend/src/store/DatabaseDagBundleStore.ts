import { DagBundleStore } from '@airflow-portal/plugin-astro-node';
import { Db } from './util';

/**
 * The built-in {@link DagBundleStore}: bundle bytes in the backend's own
 * database (`bytea` on PostgreSQL, a BLOB on SQLite). Bundles are limited
 * in size (`astro.deploys.maxBundleBytes`) and pruned by retention, so the
 * database holds a bounded amount; a module can put them in a blob store
 * instead.
 */
export class DatabaseDagBundleStore implements DagBundleStore {
  constructor(private readonly db: Db) {}

  async put(version: string, bytes: Buffer): Promise<void> {
    await this.db('dag_bundle_contents')
      .insert({ version, content: bytes })
      .onConflict('version')
      .ignore();
  }

  async get(version: string): Promise<Buffer | undefined> {
    const row = await this.db('dag_bundle_contents')
      .where({ version })
      .first('content');
    return row ? Buffer.from(row.content) : undefined;
  }

  async delete(version: string): Promise<void> {
    await this.db('dag_bundle_contents').where({ version }).delete();
  }
}
