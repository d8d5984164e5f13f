import {
  DeploymentOptions,
  DeploymentSettings,
  DeploymentSettingsInput,
  Executor,
  SchedulerSize,
  validateDeploymentSettings,
} from '@airflow-portal/plugin-astro-common';

let nextRowId = 0;
/** A key for a new editor row, stable while rows are added and removed. */
export function newRowId(): string {
  nextRowId += 1;
  return `row-${nextRowId}`;
}

/** A worker queue as the form edits it: numbers as typed. */
export interface QueueRow {
  id: string;
  name: string;
  isDefault: boolean;
  workerSize: string;
  minWorkers: string;
  maxWorkers: string;
  /** Empty: the worker type's default concurrency. */
  concurrency: string;
}

/** An environment variable as the form edits it. */
export interface VariableRow {
  id: string;
  key: string;
  /** For a stored secret, empty means "keep the current value". */
  value: string;
  secret: boolean;
  /** A secret whose value the backend keeps and never returns. */
  stored: boolean;
}

/** Where the DAGs come from when not from DAG deploys, as the form edits it. */
export interface GitDagBundleFields {
  /** Off: DAGs come from DAG deploys (the bundle is removed when saved). */
  enabled: boolean;
  repositoryUrl: string;
  ref: string;
  subdirectory: string;
  /** The key of a secret variable; empty for a public repository. */
  credentialsVariable: string;
}

/** A hibernation schedule as the form edits it. */
export interface ScheduleRow {
  id: string;
  hibernateAt: string;
  wakeAt: string;
  timeZone: string;
  enabled: boolean;
  description: string;
}

/** CPU and memory as typed: Kubernetes quantities such as "2" and "4Gi". */
export interface ResourceFields {
  cpu: string;
  memory: string;
}

/** The settings fields of the create and edit forms. */
export interface SettingsFormValues {
  airflowVersion: string;
  executor: Executor;
  schedulerSize: SchedulerSize;
  highAvailability: boolean;
  workerQueues: QueueRow[];
  environmentVariables: VariableRow[];
  workerGracePeriodSeconds: string;
  /** The namespace ResourceQuota. */
  resourceQuota: ResourceFields;
  /** The LimitRange default: task pods and containers without resources. */
  defaultTaskPodSize: ResourceFields;
  /** Addresses separated by commas, spaces or new lines. */
  contactEmails: string;
  /** Refuse deploys not made with an API token. */
  isCicdEnforced: boolean;
  /** Let tasks launch pods (KubernetesPodOperator). */
  kubernetesPodOperator: boolean;
  gitDagBundle: GitDagBundleFields;
  hibernationSchedules: ScheduleRow[];
}

/** Messages by field path, e.g. `settings.workerQueues[0].maxWorkers`. */
export type FieldErrors = Record<string, string>;

/** The message the backend gives for a new secret sent without a value. */
export const NEW_SECRET_NEEDS_VALUE = 'is required for a new secret variable';

/**
 * The settings a Deployment gets when it chooses nothing, as the shared
 * schema derives them from the options the backend serves.
 */
export function defaultSettings(
  options: DeploymentOptions,
): DeploymentSettings {
  const result = validateDeploymentSettings(options, {});
  if (!result.success) {
    throw new Error(
      `The deployment options do not yield valid defaults: ${result.issues
        .map(i => `${i.path}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.settings;
}

/** Queue rows for settings' worker queues. */
export function queueRowsOf(settings: DeploymentSettings): QueueRow[] {
  return settings.workerQueues.map(queue => ({
    id: newRowId(),
    name: queue.name,
    isDefault: queue.isDefault,
    workerSize: queue.workerSize,
    minWorkers: String(queue.minWorkers),
    maxWorkers: String(queue.maxWorkers),
    concurrency: String(queue.concurrency),
  }));
}

/** Variable rows for variables read from the API (secret values absent). */
export function variableRowsOf(
  variables: Array<{ key: string; value?: string; secret: boolean }>,
): VariableRow[] {
  return variables.map(variable => ({
    id: newRowId(),
    key: variable.key,
    value: variable.secret ? '' : variable.value ?? '',
    secret: variable.secret,
    stored: variable.secret,
  }));
}

/** Form values showing the given settings. */
export function formValuesOf(settings: DeploymentSettings): SettingsFormValues {
  return {
    airflowVersion: settings.airflowVersion,
    executor: settings.executor,
    schedulerSize: settings.schedulerSize,
    highAvailability: settings.highAvailability,
    workerQueues: queueRowsOf(settings),
    environmentVariables: variableRowsOf(settings.environmentVariables),
    workerGracePeriodSeconds: String(settings.workerGracePeriodSeconds),
    resourceQuota: { ...settings.resourceQuota },
    defaultTaskPodSize: { ...settings.defaultTaskPodSize },
    contactEmails: settings.contactEmails.join(', '),
    isCicdEnforced: settings.isCicdEnforced,
    kubernetesPodOperator: settings.kubernetesPodOperator,
    gitDagBundle: gitDagBundleFieldsOf(settings.gitDagBundle),
    hibernationSchedules: scheduleRowsOf(settings),
  };
}

/** Schedule rows for settings' hibernation schedules. */
export function scheduleRowsOf(settings: DeploymentSettings): ScheduleRow[] {
  return settings.hibernation.schedules.map(schedule => ({
    id: newRowId(),
    hibernateAt: schedule.hibernateAt,
    wakeAt: schedule.wakeAt,
    // Stored before time zones existed: UTC, as the backend reads it.
    timeZone: schedule.timeZone ?? 'UTC',
    enabled: schedule.enabled,
    description: schedule.description ?? '',
  }));
}

/** Hibernation schedules as the API takes them. */
export function hibernationInputOf(
  rows: ScheduleRow[],
): DeploymentSettingsInput['hibernation'] {
  return {
    schedules: rows.map(row => ({
      hibernateAt: row.hibernateAt.trim(),
      wakeAt: row.wakeAt.trim(),
      timeZone: row.timeZone,
      enabled: row.enabled,
      ...(row.description.trim()
        ? { description: row.description.trim() }
        : {}),
    })),
  };
}

/** The Git fields for a Deployment's Git DAG bundle (or the defaults of a new one). */
export function gitDagBundleFieldsOf(
  bundle: DeploymentSettings['gitDagBundle'],
): GitDagBundleFields {
  return {
    enabled: Boolean(bundle),
    repositoryUrl: bundle?.repositoryUrl ?? '',
    ref: bundle?.ref ?? 'main',
    subdirectory: bundle?.subdirectory ?? '',
    credentialsVariable: bundle?.credentialsVariable ?? '',
  };
}

/**
 * The Git DAG bundle as the API takes it; `null` when switched off, which
 * removes a bundle the Deployment had.
 */
export function gitDagBundleInputOf(
  fields: GitDagBundleFields,
): DeploymentSettingsInput['gitDagBundle'] {
  if (!fields.enabled) {
    return null;
  }
  return {
    repositoryUrl: fields.repositoryUrl.trim(),
    ref: fields.ref.trim(),
    subdirectory: fields.subdirectory.trim(),
    ...(fields.credentialsVariable
      ? { credentialsVariable: fields.credentialsVariable }
      : {}),
  };
}

/**
 * Keys of the secret variables the form has, which a Git DAG bundle may
 * take its credentials from.
 */
export function secretVariableKeys(rows: VariableRow[]): string[] {
  return rows
    .filter(row => row.secret && row.key.trim() !== '')
    .map(row => row.key);
}

function toNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

function resourceInputOf(fields: ResourceFields): ResourceFields {
  return { cpu: fields.cpu.trim(), memory: fields.memory.trim() };
}

/** Variables as the API takes them: a stored secret left empty keeps its value. */
export function variablesInputOf(
  rows: VariableRow[],
): Array<{ key: string; value?: string; secret: boolean }> {
  return rows.map(row =>
    row.secret && row.value === ''
      ? { key: row.key, secret: true }
      : { key: row.key, value: row.value, secret: row.secret },
  );
}

/** The settings the form asks for, as the API takes them. */
export function settingsInputOf(
  values: SettingsFormValues,
): DeploymentSettingsInput {
  return {
    airflowVersion: values.airflowVersion,
    executor: values.executor,
    schedulerSize: values.schedulerSize,
    highAvailability: values.highAvailability,
    workerQueues:
      values.executor === 'CELERY'
        ? values.workerQueues.map(row => ({
            name: row.name,
            isDefault: row.isDefault,
            workerSize: row.workerSize,
            minWorkers: toNumber(row.minWorkers),
            maxWorkers: toNumber(row.maxWorkers),
            concurrency: toNumber(row.concurrency),
          }))
        : [],
    environmentVariables: variablesInputOf(values.environmentVariables),
    workerGracePeriodSeconds: toNumber(values.workerGracePeriodSeconds),
    resourceQuota: resourceInputOf(values.resourceQuota),
    defaultTaskPodSize: resourceInputOf(values.defaultTaskPodSize),
    contactEmails: values.contactEmails
      .split(/[\s,;]+/)
      .filter(address => address !== ''),
    isCicdEnforced: values.isCicdEnforced,
    kubernetesPodOperator: values.kubernetesPodOperator,
    gitDagBundle: gitDagBundleInputOf(values.gitDagBundle),
    hibernation: hibernationInputOf(values.hibernationSchedules),
  };
}

/**
 * The one rule about variables that the shared schema cannot know: a new
 * secret needs a value. Worded as the backend words it.
 */
export function newSecretErrors(
  rows: VariableRow[],
  pathPrefix: string,
): FieldErrors {
  const errors: FieldErrors = {};
  rows.forEach((row, index) => {
    if (row.secret && !row.stored && row.value === '') {
      errors[`${pathPrefix}[${index}].value`] = NEW_SECRET_NEEDS_VALUE;
    }
  });
  return errors;
}

/** The outcome of checking the form: valid settings, or messages by path. */
export type FormValidation =
  | { valid: true; settings: DeploymentSettings; errors: FieldErrors }
  | { valid: false; errors: FieldErrors };

/**
 * Checks the form with the shared settings schema, exactly as the backend
 * will: on top of the Deployment's current settings when editing (fields the
 * form does not show keep their values), on top of nothing when creating.
 */
export function validateSettingsForm(
  options: DeploymentOptions,
  values: SettingsFormValues,
  current?: DeploymentSettings,
): FormValidation {
  const input = { ...current, ...settingsInputOf(values) };
  const result = validateDeploymentSettings(options, input);
  const errors: FieldErrors = newSecretErrors(
    values.environmentVariables,
    'settings.environmentVariables',
  );
  if (!result.success) {
    for (const issue of result.issues) {
      errors[issue.path] ??= issue.message;
    }
    return { valid: false, errors };
  }
  if (Object.keys(errors).length > 0) {
    return { valid: false, errors };
  }
  return { valid: true, settings: result.settings, errors };
}

/**
 * The first message about a field or anything inside it, for a field that
 * has no fields of its own on screen (the contact emails, one text field
 * for a list): a field whose parts show their own messages must not repeat
 * them.
 */
export function errorWithin(
  errors: FieldErrors,
  path: string,
): string | undefined {
  if (errors[path]) {
    return errors[path];
  }
  const nested = Object.keys(errors).find(
    key => key.startsWith(`${path}[`) || key.startsWith(`${path}.`),
  );
  return nested ? `${nested.slice(path.length)}: ${errors[nested]}` : undefined;
}
