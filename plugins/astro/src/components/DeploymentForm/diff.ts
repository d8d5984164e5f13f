import {
  DeploymentSettings,
  WorkerQueue,
} from '@airflow-portal/plugin-astro-common';
import { VariableRow } from './formModel';

/** One line of a change preview. */
export interface FieldChange {
  /** What changes, in words, e.g. `Queue "default": maximum workers`. */
  field: string;
  /** Absent when the field is added. */
  before?: string;
  /** Absent when the field is removed. */
  after?: string;
}

/** The parts of a Deployment an edit can change. */
export interface DeploymentDraft {
  title: string;
  description: string;
  settings: DeploymentSettings;
}

const MASK = '••••••••';

const SCALAR_FIELDS: Array<[keyof DeploymentSettings, string]> = [
  ['airflowVersion', 'Airflow version'],
  ['executor', 'Executor'],
  ['schedulerSize', 'Scheduler size'],
  ['highAvailability', 'High availability'],
  ['workerGracePeriodSeconds', 'Worker grace period (seconds)'],
  ['isCicdEnforced', 'Deploys only from CI/CD'],
  ['kubernetesPodOperator', 'Tasks may launch pods'],
];

const RESOURCE_FIELDS: Array<
  [
    keyof Pick<DeploymentSettings, 'resourceQuota' | 'defaultTaskPodSize'>,
    string,
  ]
> = [
  ['resourceQuota', 'Quota'],
  ['defaultTaskPodSize', 'Task pod'],
];

const QUEUE_FIELDS: Array<[keyof WorkerQueue, string]> = [
  ['isDefault', 'default queue'],
  ['workerSize', 'worker type'],
  ['minWorkers', 'minimum workers'],
  ['maxWorkers', 'maximum workers'],
  ['concurrency', 'concurrency'],
];

function text(value: unknown): string {
  if (typeof value === 'boolean') {
    return value ? 'on' : 'off';
  }
  return String(value);
}

function compare(
  changes: FieldChange[],
  field: string,
  before: string | undefined,
  after: string | undefined,
) {
  if (before !== after) {
    changes.push({ field, before, after });
  }
}

function queueSummary(queue: WorkerQueue) {
  return `${queue.workerSize}, ${queue.minWorkers}–${
    queue.maxWorkers
  } workers, concurrency ${queue.concurrency}${
    queue.isDefault ? ', default' : ''
  }`;
}

/** A hibernation schedule in one line. */
function scheduleSummary(
  schedule: DeploymentSettings['hibernation']['schedules'][number],
): string {
  return `sleeps ${schedule.hibernateAt}, wakes ${schedule.wakeAt} (${
    schedule.timeZone ?? 'UTC'
  })${schedule.enabled ? '' : ', disabled'}${
    schedule.description ? `: ${schedule.description}` : ''
  }`;
}

/** A Git DAG bundle in one line; `undefined` when the DAGs come from deploys. */
export function gitDagBundleSummary(
  bundle: DeploymentSettings['gitDagBundle'],
): string | undefined {
  if (!bundle) {
    return undefined;
  }
  const folder = bundle.subdirectory ? `, folder ${bundle.subdirectory}` : '';
  const credentials = bundle.credentialsVariable
    ? `, credentials from ${bundle.credentialsVariable}`
    : '';
  return `${bundle.repositoryUrl} at ${bundle.ref}${folder}${credentials}`;
}

/**
 * What saving an edit changes, field by field. Worker queues are matched by
 * name and variables by key; secret values are never shown, only that a
 * new one was entered.
 */
export function diffDeployment(
  before: DeploymentDraft,
  after: DeploymentDraft,
  variableRows: VariableRow[],
): FieldChange[] {
  const changes: FieldChange[] = [];
  compare(changes, 'Title', before.title, after.title);
  compare(changes, 'Description', before.description, after.description);
  for (const [key, label] of SCALAR_FIELDS) {
    compare(
      changes,
      label,
      text(before.settings[key]),
      text(after.settings[key]),
    );
  }

  for (const [key, noun] of RESOURCE_FIELDS) {
    compare(
      changes,
      `${noun} CPU`,
      before.settings[key].cpu,
      after.settings[key].cpu,
    );
    compare(
      changes,
      `${noun} memory`,
      before.settings[key].memory,
      after.settings[key].memory,
    );
  }

  const beforeQueues = new Map(
    before.settings.workerQueues.map(q => [q.name, q]),
  );
  const afterQueues = new Map(
    after.settings.workerQueues.map(q => [q.name, q]),
  );
  for (const [name, queue] of beforeQueues) {
    const next = afterQueues.get(name);
    if (!next) {
      changes.push({ field: `Queue "${name}"`, before: queueSummary(queue) });
      continue;
    }
    for (const [key, label] of QUEUE_FIELDS) {
      compare(
        changes,
        `Queue "${name}": ${label}`,
        text(queue[key]),
        text(next[key]),
      );
    }
  }
  for (const [name, queue] of afterQueues) {
    if (!beforeQueues.has(name)) {
      changes.push({ field: `Queue "${name}"`, after: queueSummary(queue) });
    }
  }

  const beforeVariables = new Map(
    before.settings.environmentVariables.map(v => [v.key, v]),
  );
  const rowsByKey = new Map(variableRows.map(row => [row.key, row]));
  for (const variable of after.settings.environmentVariables) {
    const previous = beforeVariables.get(variable.key);
    const row = rowsByKey.get(variable.key);
    const field = `Variable ${variable.key}`;
    const shownBefore =
      previous && (previous.secret ? `${MASK} (secret)` : previous.value);
    let shownAfter: string | undefined;
    if (!variable.secret) {
      shownAfter = variable.value;
    } else if (row && row.value !== '') {
      shownAfter = `${MASK} (new secret value)`;
    } else {
      shownAfter = `${MASK} (secret)`;
    }
    compare(changes, field, shownBefore, shownAfter);
  }
  for (const [key, previous] of beforeVariables) {
    if (!after.settings.environmentVariables.some(v => v.key === key)) {
      changes.push({
        field: `Variable ${key}`,
        before: previous.secret ? `${MASK} (secret)` : previous.value,
      });
    }
  }
  compare(
    changes,
    'Contact emails',
    before.settings.contactEmails.join(', '),
    after.settings.contactEmails.join(', '),
  );
  const beforeSchedules = before.settings.hibernation.schedules;
  const afterSchedules = after.settings.hibernation.schedules;
  for (
    let index = 0;
    index < Math.max(beforeSchedules.length, afterSchedules.length);
    index++
  ) {
    compare(
      changes,
      `Hibernation schedule ${index + 1}`,
      beforeSchedules[index] && scheduleSummary(beforeSchedules[index]),
      afterSchedules[index] && scheduleSummary(afterSchedules[index]),
    );
  }
  compare(
    changes,
    'DAGs from Git',
    gitDagBundleSummary(before.settings.gitDagBundle),
    gitDagBundleSummary(after.settings.gitDagBundle),
  );
  return changes;
}
