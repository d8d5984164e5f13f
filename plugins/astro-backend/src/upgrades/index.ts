export {
  checkAirflowVersionChange,
  migrationDirection,
} from './migrationDirection';
export type { MigrationDirection } from './migrationDirection';
export { planDatabaseMigration } from './DatabaseMigrationPlan';
export type { DatabaseMove, MigrationPlan } from './DatabaseMigrationPlan';
export {
  jobFailureReason,
  migrationLogTail,
  redactLog,
} from './migrationFailure';
export {
  DATABASE_MIGRATION_CONDITION,
  VERSION_SUPPORTED_CONDITION,
  databaseMigrationCondition,
  heldMigrationFailure,
  runningAirflowVersion,
  upgradeConditions,
  versionSupportedCondition,
} from './upgradeConditions';
export { uiObjectsToKeep } from './uiSwitch';
