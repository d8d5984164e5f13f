import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  DeploymentOptions,
  describeValidationIssues,
  validateDeploymentSettings,
} from '@airflow-portal/plugin-astro-common';
import { AstroApiClient } from '../api/AstroApiClient';

/**
 * What the Astro actions need.
 *
 * @public
 */
export interface AstroActionOptions {
  /** Calls the Astro API as the user who runs the template. */
  api: AstroApiClient;
  /** Base URL of the portal's frontend, for links to its pages. */
  appBaseUrl: string;
}

/**
 * Checks settings against the backend's `/deployment-options` the way the
 * backend will, so that a dry run fails for the same reasons a real run
 * would.
 */
export function assertValidSettings(
  options: DeploymentOptions,
  settings: unknown,
) {
  const result = validateDeploymentSettings(options, settings ?? {});
  if (!result.success) {
    throw new InputError(describeValidationIssues(result.issues));
  }
  return result.settings;
}

/** Throws NotFoundError unless the value exists. */
export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new NotFoundError(`${what} does not exist`);
  }
  return value;
}

/** Throws ConflictError when the name is taken. */
export function assertFree(value: unknown, what: string) {
  if (value !== undefined) {
    throw new ConflictError(`${what} already exists`);
  }
}
