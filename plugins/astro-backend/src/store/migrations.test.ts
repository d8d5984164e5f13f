import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import knexFactory from 'knex';
import { applyDatabaseMigrations, migrationsDirectory } from './migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const migrationFiles = fs
  .readdirSync(migrationsDirectory)
  .filter(file => file.endsWith('.js'))
  .sort();

/** Tables each migration adds. */
const TABLES_ADDED: Record<string, string[]> = {
  '20261126100000_init.js': [
    'organizations',
    'clusters',
    'workspaces',
    'workspace_cluster_grants',
    'deployments',
    'deployment_variables',
    'deployment_credentials',
    'events',
    'idempotency_records',
  ],
  '20261127100000_engine.js': [
    'deployment_reconciliation',
    'health_samples',
    'incidents',
  ],
  '20261202100000_deploys.js': [
    'deploys',
    'deployment_code',
    'dag_bundles',
    'dag_bundle_contents',
    'deployment_bundle_reports',
    'deployment_registry_credentials',
    'api_tokens',
  ],
  '20261204110000_hibernation.js': ['deployment_hibernation_overrides'],
  '20261204120000_reliability.js': ['idempotency_claims'],
  '20261205100000_incidents.js': ['monitor_watermarks'],
  '20261205110000_alerts.js': ['alert_rules', 'alert_deliveries'],
  '20261206100000_history.js': ['deployment_history'],
};

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('apply one at a time and revert one at a time', async () => {
    const knex = await databases.init(databaseId);
    const config = { directory: migrationsDirectory };
    expect(migrationFiles.length).toBeGreaterThan(0);

    for (const file of migrationFiles) {
      await knex.migrate.up({ ...config, name: file });
      for (const table of TABLES_ADDED[file] ?? []) {
        await expect(knex.schema.hasTable(table)).resolves.toBe(true);
      }
    }
    expect(
      Object.keys(TABLES_ADDED).every(f => migrationFiles.includes(f)),
    ).toBe(true);

    // The schema holds real data after the last migration (uniqueness of
    // names is covered by the API tests on both databases).
    const now = new Date();
    await knex('organizations').insert({
      id: '00000000-0000-0000-0000-000000000001',
      name: 'acme',
      title: 'ACME',
      description: '',
      created_at: now,
      created_by: 'user:default/a',
      updated_at: now,
      updated_by: 'user:default/a',
      version: 1,
    });
    // Bundles are binary: the bytes come back as they went in.
    const bytes = Buffer.from([0x1f, 0x8b, 0x00, 0xff, 0x7f]);
    await knex('dag_bundle_contents').insert({
      version: `sha256:${'0'.repeat(64)}`,
      content: bytes,
    });
    const [bundle] = await knex('dag_bundle_contents').select('content');
    expect(Buffer.from(bundle.content).equals(bytes)).toBe(true);
    await knex('dag_bundle_contents').delete();
    await knex('organizations').delete();

    for (const file of [...migrationFiles].reverse()) {
      await knex.migrate.down({ ...config, name: file });
      for (const table of TABLES_ADDED[file] ?? []) {
        await expect(knex.schema.hasTable(table)).resolves.toBe(false);
      }
    }
    await knex.destroy();
  });
});

const postgresIds = databases
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES'));

(postgresIds.length > 0
  ? describe.each(postgresIds)
  : describe.skip.each([['none']]))(
  'replicas migrating one database on %s',
  databaseId => {
    it('both start when they migrate at the same moment', async () => {
      const first = await databases.init(databaseId as any);
      const second = knexFactory(first.client.config);
      try {
        await Promise.all([
          applyDatabaseMigrations(first),
          applyDatabaseMigrations(second),
        ]);
        const done = await first('knex_migrations').count({ n: '*' });
        expect(Number(done[0].n)).toBe(migrationFiles.length);
      } finally {
        await second.destroy();
        await first.destroy();
      }
    });

    it('reports a lock left behind by a replica that died while migrating', async () => {
      const knex = await databases.init(databaseId as any);
      try {
        await applyDatabaseMigrations(knex);
        await knex('knex_migrations_lock').update({ is_locked: 1 });
        await expect(
          applyDatabaseMigrations(knex, { lockWaitMs: 300 }),
        ).rejects.toThrow(
          'the migration lock (table knex_migrations_lock) is held',
        );
      } finally {
        await knex.destroy();
      }
    });
  },
);
