import { RuntimeRelease } from '@airflow-portal/plugin-astro-common';
import { RenderCondition } from '../render';
import { DatabaseMigrationState, EngineFailure } from '../store';

/** Type of the condition that says whether the running Airflow release is supported. */
export const VERSION_SUPPORTED_CONDITION = 'AirflowVersionSupported';

/** Type of the condition that says where the metadata database's migration is. */
export const DATABASE_MIGRATION_CONDITION = 'DatabaseMigration';

/** The release the components run: the database's while a migration is pending. */
export function runningAirflowVersion(
  wanted: string,
  migration: DatabaseMigrationState | undefined,
): string {
  return migration?.airflowVersion ?? wanted;
}

/**
 * `AirflowVersionSupported`: False with reason `Deprecated` or `EndOfLife`
 * while the components run such a release, naming the newest release to
 * move to. The monitor can turn it into an incident.
 */
export function versionSupportedCondition(
  running: string,
  releases: readonly RuntimeRelease[],
): RenderCondition {
  const release = releases.find(r => r.airflowVersion === running);
  const newest = releases.find(r => r.isDefault && !r.deprecated);
  const advice = newest ? `; upgrade to ${newest.airflowVersion}` : '';
  if (release?.endOfLife) {
    return {
      type: VERSION_SUPPORTED_CONDITION,
      status: 'False',
      reason: 'EndOfLife',
      message: `Airflow ${running} is past end of life${
        release.endOfLifeSince ? ` since ${release.endOfLifeSince}` : ''
      }: it keeps running but no Deployment can move to it${advice}`,
    };
  }
  if (release?.deprecated) {
    return {
      type: VERSION_SUPPORTED_CONDITION,
      status: 'False',
      reason: 'Deprecated',
      message: `Airflow ${running} is deprecated${
        release.deprecatedSince ? ` since ${release.deprecatedSince}` : ''
      }${advice}`,
    };
  }
  return {
    type: VERSION_SUPPORTED_CONDITION,
    status: 'True',
    reason: 'Supported',
    message: `Airflow ${running} is supported`,
  };
}

/**
 * `DatabaseMigration`: where the metadata database is, a move in
 * progress, or a failed move with the Job's reason and its log tail.
 * Absent until a migration Job first succeeded.
 */
export function databaseMigrationCondition(
  wanted: string,
  migration: DatabaseMigrationState | undefined,
): RenderCondition | undefined {
  if (!migration) {
    return undefined;
  }
  const { failure } = migration;
  if (failure && failure.targetVersion === wanted) {
    return {
      type: DATABASE_MIGRATION_CONDITION,
      status: 'False',
      reason: 'MigrationFailed',
      message: `${heldFailureMessage(
        migration,
      )}\nLast lines of the migration log:\n${failure.logTail}`,
    };
  }
  if (migration.airflowVersion !== wanted) {
    return {
      type: DATABASE_MIGRATION_CONDITION,
      status: 'False',
      reason: 'Migrating',
      message: `Migrating the metadata database from Airflow ${migration.airflowVersion} to ${wanted}; the components keep running ${migration.airflowVersion} until it succeeds`,
    };
  }
  return {
    type: DATABASE_MIGRATION_CONDITION,
    status: 'True',
    reason: 'Migrated',
    message: `The metadata database is migrated to Airflow ${migration.airflowVersion}`,
  };
}

/** The status reason of a held migration failure. */
export function heldFailureMessage(migration: DatabaseMigrationState): string {
  const failure = migration.failure!;
  return `Moving to Airflow ${failure.targetVersion} failed: the migration Job ${failure.jobName} failed (${failure.reason}); Airflow ${migration.airflowVersion} keeps running. Retry with POST …/migration/retry after fixing the cause, or set airflowVersion back to ${migration.airflowVersion}`;
}

/** A held migration failure as the failure the status reports, if any. */
export function heldMigrationFailure(
  wanted: string,
  migration: DatabaseMigrationState | undefined,
): EngineFailure | undefined {
  return migration?.failure && migration.failure.targetVersion === wanted
    ? { message: heldFailureMessage(migration), unreachable: false }
    : undefined;
}

/**
 * The conditions the runtime catalog and the database migration add to a
 * Deployment's status.
 */
export function upgradeConditions(
  wanted: string,
  migration: DatabaseMigrationState | undefined,
  releases: readonly RuntimeRelease[],
): RenderCondition[] {
  const migrated = databaseMigrationCondition(wanted, migration);
  return [
    ...(releases.length > 0
      ? [
          versionSupportedCondition(
            runningAirflowVersion(wanted, migration),
            releases,
          ),
        ]
      : []),
    ...(migrated ? [migrated] : []),
  ];
}
