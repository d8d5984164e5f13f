import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import {
  AstroApi,
  DeploymentOptions,
  describeSettingsIssues,
  LabelledSettings,
  ValidationIssue,
  validateDeploymentSettings,
} from '@airflow-portal/plugin-astro-common';

/**
 * What the Astro actions need.
 *
 * @public
 */
export interface AstroActionOptions {
  /** The Astro API as the user who runs the template calls it. */
  apiFor(credentials: BackstageCredentials): AstroApi;
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
  settings: LabelledSettings | undefined,
) {
  const result = validateDeploymentSettings(options, settings ?? {});
  if (!result.success) {
    throw new InputError(describeSettingsIssues(result.issues, settings));
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

/**
 * The issues of a validation message of the backend
 * (`path: message; path: message`); `undefined` when a part names no path.
 */
function issuesOf(message: string): ValidationIssue[] | undefined {
  const issues: ValidationIssue[] = [];
  for (const part of message.split('; ')) {
    const match = /^([A-Za-z][\w.[\]]*): (.+)$/.exec(part);
    if (!match) {
      return undefined;
    }
    issues.push({ path: match[1], message: match[2] });
  }
  return issues;
}

/**
 * An error of the Astro API as a template's log should show it: the
 * backend's explanation under the Backstage error type of its status. The
 * fields a 400 names are given by the labels of the forms (see
 * `settingsFieldLabel`), rows named after the settings that were sent.
 */
export function explainApiError(
  error: unknown,
  settings?: LabelledSettings,
): unknown {
  if (!(error instanceof ResponseError)) {
    return error;
  }
  const path = new URL(error.response.url || 'http://astro/').pathname;
  const explanation = error.cause?.message ?? error.message;
  const issues = error.statusCode === 400 ? issuesOf(explanation) : undefined;
  const message = `${error.statusCode} from ${path}: ${
    issues ? describeSettingsIssues(issues, settings) : explanation
  }`;
  switch (error.statusCode) {
    case 400:
      return new InputError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    default:
      return error;
  }
}

/**
 * Runs an action's work so that failed Astro API requests surface as
 * {@link explainApiError} describes, naming rows after `settings`.
 */
export async function withApiErrors(
  work: () => Promise<void>,
  settings?: LabelledSettings,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    throw explainApiError(error, settings);
  }
}
