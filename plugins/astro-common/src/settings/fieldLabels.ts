import { ValidationIssue } from './issues';

/*
 * The words the Deployment forms use for each settings field, so that a
 * message about `settings.workerQueues[1].maxWorkers` can say
 * "Worker queue etl, Maximum workers" wherever it is shown: in a software
 * template's form, or in the log of a template task the API refused.
 */

/**
 * Labels of the top-level settings fields, as the forms show them.
 *
 * @public
 */
export const SETTINGS_FIELD_LABELS: Readonly<Record<string, string>> = {
  airflowVersion: 'Airflow version',
  executor: 'Executor',
  schedulerSize: 'Scheduler size',
  highAvailability: 'High availability',
  workerQueues: 'Worker queues',
  environmentVariables: 'Environment variables',
  workerGracePeriodSeconds: 'Grace period for running tasks',
  contactEmails: 'Contact emails',
  isCicdEnforced: 'Deploys only from CI/CD',
  kubernetesPodOperator: 'Tasks may launch pods',
  resourceQuota: 'Resource quota',
  defaultTaskPodSize: 'Default task pod size',
  gitDagBundle: 'DAGs from Git',
  hibernation: 'Hibernation',
};

/**
 * Labels of a worker queue's fields, as the forms show them.
 *
 * @public
 */
export const WORKER_QUEUE_FIELD_LABELS: Readonly<Record<string, string>> = {
  name: 'Queue name',
  isDefault: 'Default queue',
  workerSize: 'Worker type',
  minWorkers: 'Minimum workers',
  maxWorkers: 'Maximum workers',
  concurrency: 'Concurrency',
};

/**
 * Labels of an environment variable's fields, as the forms show them.
 *
 * @public
 */
export const ENVIRONMENT_VARIABLE_FIELD_LABELS: Readonly<
  Record<string, string>
> = {
  key: 'Key',
  value: 'Value',
  secret: 'Secret',
};

/**
 * Labels of fields inside the Git DAG bundle, hibernation schedules and
 * resource sizes, as the forms show them.
 *
 * @public
 */
export const SETTINGS_NESTED_FIELD_LABELS: Readonly<Record<string, string>> = {
  repositoryUrl: 'Repository URL',
  ref: 'Branch or tag',
  subdirectory: 'Folder of the DAGs',
  credentialsVariable: 'Credentials',
  hibernateAt: 'Hibernate at',
  wakeAt: 'Wake at',
  timeZone: 'Time zone',
  description: 'Description',
  enabled: 'Enabled',
  cpu: 'CPU',
  memory: 'Memory',
};

/** The settings a path may point into, to name rows by what they hold. */
export interface LabelledSettings {
  workerQueues?: ReadonlyArray<{ name?: unknown }>;
  environmentVariables?: ReadonlyArray<{ key?: unknown }>;
}

function rowName(value: unknown, index: number): string {
  return typeof value === 'string' && value.trim() !== ''
    ? value
    : String(index + 1);
}

/**
 * The label of a settings field as the forms show it, for a path such as
 * `settings.workerQueues[0].maxWorkers` ("Worker queue default, Maximum
 * workers"). Rows are named by their queue name or variable key when the
 * settings are given, else by their position. Unknown paths come back
 * without the `settings.` prefix.
 *
 * @public
 */
export function settingsFieldLabel(
  path: string,
  settings?: LabelledSettings,
): string {
  const relative = path.replace(/^settings\.?/, '');
  const row = /^(workerQueues|environmentVariables)\[(\d+)\](?:\.(\w+))?$/.exec(
    relative,
  );
  if (row) {
    const index = Number(row[2]);
    const field = row[3];
    const [noun, labels, value] =
      row[1] === 'workerQueues'
        ? [
            'Worker queue',
            WORKER_QUEUE_FIELD_LABELS,
            settings?.workerQueues?.[index]?.name,
          ]
        : [
            'Variable',
            ENVIRONMENT_VARIABLE_FIELD_LABELS,
            settings?.environmentVariables?.[index]?.key,
          ];
    const name = `${noun} ${rowName(value, index)}`;
    return field ? `${name}, ${labels[field] ?? field}` : name;
  }
  const schedule = /^hibernation\.schedules\[(\d+)\](?:\.(\w+))?$/.exec(
    relative,
  );
  if (schedule) {
    const name = `Hibernation schedule ${Number(schedule[1]) + 1}`;
    return schedule[2]
      ? `${name}, ${SETTINGS_NESTED_FIELD_LABELS[schedule[2]] ?? schedule[2]}`
      : name;
  }
  const email = /^contactEmails\[(\d+)\]$/.exec(relative);
  if (email) {
    return `Contact email ${Number(email[1]) + 1}`;
  }
  const [top, ...rest] = relative.split('.');
  const label = SETTINGS_FIELD_LABELS[top];
  if (!label) {
    return relative || 'Settings';
  }
  return rest.length === 0
    ? label
    : `${label}, ${rest
        .map(part => SETTINGS_NESTED_FIELD_LABELS[part] ?? part)
        .join(', ')}`;
}

/**
 * One line naming every issue by its field's label, e.g. "Worker queue
 * default, Maximum workers: must be at most 10; Variable API_TOKEN, Value: is
 * required for a new secret variable". Issues outside the settings keep
 * their path.
 *
 * @public
 */
export function describeSettingsIssues(
  issues: ValidationIssue[],
  settings?: LabelledSettings,
): string {
  return issues
    .map(issue => {
      const label = issue.path.startsWith('settings')
        ? settingsFieldLabel(issue.path, settings)
        : issue.path;
      return label ? `${label}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
