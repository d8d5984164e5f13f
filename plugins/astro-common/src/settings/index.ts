export * from './options';
export * from './types';
export * from './issues';
export * from './fieldLabels';
export * from './quantities';
export {
  createDeploymentSettingsSchema,
  deploymentSettingsInputSchema,
  validateDeploymentSettings,
} from './schema';
export type { SettingsValidationResult } from './schema';
export {
  cronProblem,
  DEFAULT_SCHEDULE_TIME_ZONE,
  timeZoneProblem,
} from './cron';
