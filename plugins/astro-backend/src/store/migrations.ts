import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Where the plugin's knex migrations live. */
export const migrationsDirectory = resolvePackagePath(
  '@airflow-portal/plugin-astro-backend',
  'migrations',
);

/**
 * Whether a failed migration run lost a race to another replica: knex's
 * lock was taken, or its bookkeeping tables were being created at the same
 * moment (PostgreSQL then answers a unique or duplicate-table violation).
 */
function lostRaceToAnotherReplica(error: unknown): boolean {
  const { name, code, message } = (error ?? {}) as {
    name?: string;
    code?: string;
    message?: string;
  };
  if (name === 'MigrationLocked') {
    return true;
  }
  return (
    (code === '23505' || code === '42P07') &&
    /knex_migrations/.test(message ?? '')
  );
}

/**
 * Brings the plugin's database schema up to date. Replicas starting at once
 * share the database: knex lets one of them migrate and fails the others
 * at once (`MigrationLocked`, or a duplicate of its bookkeeping tables on a
 * new database), so they wait with jittered backoff for the lock to be
 * released and then find the schema current. A lock left by
 * a replica that died while migrating is reported after `lockWaitMs`.
 */
export async function applyDatabaseMigrations(
  knex: Knex,
  options: { lockWaitMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.lockWaitMs ?? 120_000);
  for (let attempt = 0; ; attempt++) {
    try {
      await knex.migrate.latest({ directory: migrationsDirectory });
      return;
    } catch (error) {
      if (!lostRaceToAnotherReplica(error)) {
        throw error;
      }
      if (Date.now() >= deadline) {
        throw new Error(
          'The astro plugin could not migrate its database: the migration lock (table knex_migrations_lock) is held by another replica. If no replica is migrating, one died while it did: release the lock with `update knex_migrations_lock set is_locked = 0` and restart.',
        );
      }
      const delay = Math.min(100 * 2 ** attempt, 2000);
      await new Promise(resolve =>
        setTimeout(resolve, delay / 2 + (Math.random() * delay) / 2),
      );
    }
  }
}
