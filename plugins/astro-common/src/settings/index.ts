export * from './options';
export * from './types';
export * from './issues';
export * from './quantities';
export {
  createDeploymentSettingsSchema,
  validateDeploymentSettings,
} from './schema';
export type { SettingsValidationResult } from './schema';
