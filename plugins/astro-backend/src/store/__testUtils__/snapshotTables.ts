import { TestDatabases } from '@backstage/backend-test-utils';

/** A database client of a test, as `TestDatabases` hands it out. */
export type TestDatabaseClient = Awaited<ReturnType<TestDatabases['init']>>;

/** Every row of every table of the plugin, for "nothing changed" checks. */
export async function snapshotTables(
  knex: TestDatabaseClient,
): Promise<string> {
  const tables = [
    'organizations',
    'workspaces',
    'workspace_cluster_grants',
    'clusters',
    'deployments',
    'deployment_variables',
    'deployment_credentials',
    'events',
    'idempotency_records',
    'deployment_reconciliation',
    'health_samples',
    'incidents',
    'deploys',
    'deployment_code',
    'dag_bundles',
    'dag_bundle_contents',
    'deployment_bundle_reports',
    'deployment_registry_credentials',
    'api_tokens',
    'monitor_watermarks',
  ];
  const snapshot: Record<string, unknown[]> = {};
  for (const table of tables) {
    snapshot[table] = await knex(table).select();
    snapshot[table].sort((a, b) =>
      JSON.stringify(a).localeCompare(JSON.stringify(b)),
    );
  }
  return JSON.stringify(snapshot);
}
