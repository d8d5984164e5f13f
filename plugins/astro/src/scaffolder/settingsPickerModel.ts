import {
  DeploymentOptions,
  DeploymentSettingsInput,
  Executor,
  SchedulerSize,
  settingsFieldLabel,
  validateDeploymentSettings,
} from '@airflow-portal/plugin-astro-common';
import {
  FieldErrors,
  NEW_SECRET_NEEDS_VALUE,
  QueueRow,
  VariableRow,
  defaultSettings,
  newRowId,
  newSecretErrors,
} from '../components/DeploymentForm/formModel';

/*
 * The settings picker of the software template, without React: what it
 * edits, the settings it hands the template, what the review step shows and
 * the problems, worded and placed as the create form does.
 */

/** The settings the template asks for, as the picker edits them. */
export interface PickerFields {
  airflowVersion: string;
  executor: Executor;
  schedulerSize: SchedulerSize;
  highAvailability: boolean;
  workerQueues: QueueRow[];
  /** Secret rows hold their value here only; it goes to the template's secrets. */
  environmentVariables: VariableRow[];
}

/**
 * The picker's value: the settings as `astro:deployment:create` takes them
 * (secret variables without their values), the review step's lines, and
 * which secret variables have a value in the template's secrets.
 */
export interface PickerValue {
  settings: DeploymentSettingsInput;
  /** "Label: value" lines, as the review step lists them. */
  review: string[];
  secretKeysWithValue: string[];
}

export const EXECUTOR_LABELS: Record<string, string> = {
  CELERY: 'Celery',
  KUBERNETES: 'Kubernetes',
};

export const EXECUTOR_HELP: Record<string, string> = {
  CELERY:
    'Tasks run on worker queues that scale with the number of queued tasks.',
  KUBERNETES: 'Every task runs in its own pod; no workers wait idle.',
};

export const SIZE_LABELS: Record<string, string> = {
  SMALL: 'Small',
  MEDIUM: 'Medium',
  LARGE: 'Large',
  EXTRA_LARGE: 'Extra large',
};

/** A queue row with the platform's defaults. */
export function defaultQueueRow(
  options: DeploymentOptions,
  name: string,
  isDefault: boolean,
): QueueRow {
  const limits = options.workerQueues;
  return {
    id: newRowId(),
    name,
    isDefault,
    workerSize: limits.defaultWorkerMachine,
    minWorkers: String(limits.minWorkers.default),
    maxWorkers: String(limits.maxWorkers.default),
    concurrency: '',
  };
}

const text = (value: number | undefined) =>
  value === undefined ? '' : String(value);

/**
 * The fields for a value the picker gave before (the user came back to the
 * step), or the platform's defaults. Secret values come from the template's
 * secrets.
 */
export function pickerFieldsOf(
  options: DeploymentOptions,
  settings: DeploymentSettingsInput | undefined,
  secretValues: Record<string, string>,
): PickerFields {
  const defaults = defaultSettings(options);
  if (!settings?.airflowVersion) {
    return {
      airflowVersion: defaults.airflowVersion,
      executor: defaults.executor,
      schedulerSize: defaults.schedulerSize,
      highAvailability: defaults.highAvailability,
      workerQueues:
        defaults.executor === 'CELERY'
          ? [
              defaultQueueRow(
                options,
                options.workerQueues.defaultQueueName,
                true,
              ),
            ]
          : [],
      environmentVariables: [],
    };
  }
  return {
    airflowVersion: settings.airflowVersion,
    executor: settings.executor ?? defaults.executor,
    schedulerSize: settings.schedulerSize ?? defaults.schedulerSize,
    highAvailability: settings.highAvailability ?? false,
    workerQueues: (settings.workerQueues ?? []).map(queue => ({
      id: newRowId(),
      name: queue.name,
      isDefault: queue.isDefault ?? false,
      workerSize: queue.workerSize ?? options.workerQueues.defaultWorkerMachine,
      minWorkers: text(queue.minWorkers),
      maxWorkers: text(queue.maxWorkers),
      concurrency: text(queue.concurrency),
    })),
    environmentVariables: (settings.environmentVariables ?? []).map(v => ({
      id: newRowId(),
      key: v.key,
      value: (v.secret ? secretValues[v.key] : v.value) ?? '',
      secret: v.secret ?? false,
      stored: false,
    })),
  };
}

const toNumber = (value: string) =>
  value.trim() === '' ? undefined : Number(value);

/** The settings of the fields, with every secret value left out. */
export function settingsOf(fields: PickerFields): DeploymentSettingsInput {
  return {
    airflowVersion: fields.airflowVersion,
    executor: fields.executor,
    schedulerSize: fields.schedulerSize,
    highAvailability: fields.highAvailability,
    workerQueues:
      fields.executor === 'CELERY'
        ? fields.workerQueues.map(row => ({
            name: row.name,
            isDefault: row.isDefault,
            workerSize: row.workerSize,
            minWorkers: toNumber(row.minWorkers),
            maxWorkers: toNumber(row.maxWorkers),
            concurrency: toNumber(row.concurrency),
          }))
        : [],
    environmentVariables: fields.environmentVariables.map(row =>
      row.secret
        ? { key: row.key, secret: true }
        : { key: row.key, value: row.value, secret: false },
    ),
  };
}

/** Values of the secret variables that have one, by key. */
export function secretValuesOf(fields: PickerFields): Record<string, string> {
  return Object.fromEntries(
    fields.environmentVariables
      .filter(row => row.secret && row.value !== '' && row.key !== '')
      .map(row => [row.key, row.value]),
  );
}

function queueText(
  queue: NonNullable<DeploymentSettingsInput['workerQueues']>[number],
  several: boolean,
) {
  const parts = [
    `${queue.workerSize}`,
    `${queue.minWorkers ?? '?'}–${queue.maxWorkers ?? '?'} workers`,
  ];
  if (queue.concurrency !== undefined) {
    parts.push(`${queue.concurrency} tasks each`);
  }
  if (several && queue.isDefault) {
    parts.push('default queue');
  }
  return `${queue.name} (${parts.join(', ')})`;
}

/** What the review step shows, by label: one entry per setting, in the form's words. */
export function reviewEntriesOf(
  options: DeploymentOptions,
  settings: DeploymentSettingsInput,
): Record<string, string> {
  const size = options.schedulerSizes.find(
    s => s.size === settings.schedulerSize,
  );
  const review: Record<string, string> = {
    'Airflow version': settings.airflowVersion ?? '',
    Executor:
      EXECUTOR_LABELS[settings.executor ?? ''] ?? settings.executor ?? '',
    'Scheduler size': size
      ? `${SIZE_LABELS[size.size] ?? size.size} (${size.cpu} CPU, ${
          size.memory
        } memory)`
      : settings.schedulerSize ?? '',
    'High availability': settings.highAvailability
      ? 'On (two schedulers)'
      : 'Off',
  };
  const queues = settings.workerQueues ?? [];
  if (settings.executor === 'CELERY') {
    review['Worker queues'] = queues
      .map(q => queueText(q, queues.length > 1))
      .join('; ');
  }
  const variables = settings.environmentVariables ?? [];
  review['Environment variables'] =
    variables.length === 0
      ? 'None'
      : variables
          .map(v => (v.secret ? `${v.key} (secret)` : `${v.key}=${v.value}`))
          .join(', ');
  return review;
}

/** The review step's lines: "Executor: Celery". */
export function reviewOf(
  options: DeploymentOptions,
  settings: DeploymentSettingsInput,
): string[] {
  return Object.entries(reviewEntriesOf(options, settings)).map(
    ([label, value]) => `${label}: ${value}`,
  );
}

/** The picker's value for its fields. */
export function pickerValueOf(
  options: DeploymentOptions,
  fields: PickerFields,
): PickerValue {
  // As JSON: a field left empty (a queue's concurrency) is absent rather
  // than `undefined`, which the scaffolder's step validation cannot walk
  // ("Cannot use 'in' operator to search for 'ui:field' in undefined").
  const settings = JSON.parse(
    JSON.stringify(settingsOf(fields)),
  ) as DeploymentSettingsInput;
  return {
    settings,
    review: reviewOf(options, settings),
    secretKeysWithValue: Object.keys(secretValuesOf(fields)),
  };
}

/**
 * Problems of the fields by path (`settings.workerQueues[0].maxWorkers`),
 * each in the words the create form uses, from the shared settings schema.
 */
export function fieldProblems(
  options: DeploymentOptions,
  fields: PickerFields,
): FieldErrors {
  const errors = newSecretErrors(
    fields.environmentVariables,
    'settings.environmentVariables',
  );
  const result = validateDeploymentSettings(options, {
    ...settingsOf(fields),
    // The values the backend will get, so that their limits are checked.
    environmentVariables: fields.environmentVariables.map(row => ({
      key: row.key,
      value: row.value,
      secret: row.secret,
    })),
  });
  if (!result.success) {
    for (const issue of result.issues) {
      errors[issue.path] ??= issue.message;
    }
  }
  return errors;
}

/**
 * Problems of a value the picker gave, by path, as its validator sees it:
 * without the secret values, but knowing which secrets have one.
 */
export function valueProblems(
  options: DeploymentOptions,
  value: Partial<PickerValue> | undefined,
): FieldErrors {
  const settings = value?.settings ?? {};
  const errors: FieldErrors = {};
  const result = validateDeploymentSettings(options, settings);
  if (!result.success) {
    for (const issue of result.issues) {
      errors[issue.path] ??= issue.message;
    }
  }
  const given = new Set(value?.secretKeysWithValue ?? []);
  (settings.environmentVariables ?? []).forEach((variable, index) => {
    if (variable.secret && !given.has(variable.key)) {
      errors[`settings.environmentVariables[${index}].value`] ??=
        NEW_SECRET_NEEDS_VALUE;
    }
  });
  return errors;
}

/**
 * The one message for the step's error list: which fields need fixing, by
 * their labels (each field shows its own message); `undefined` when none.
 */
export function problemSummary(
  errors: FieldErrors,
  settings: DeploymentSettingsInput | undefined,
): string | undefined {
  const labels = [
    ...new Set(
      Object.keys(errors).map(path => settingsFieldLabel(path, settings)),
    ),
  ];
  return labels.length === 0 ? undefined : `need fixing: ${labels.join('; ')}`;
}
