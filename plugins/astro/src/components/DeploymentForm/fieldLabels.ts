import {
  ENVIRONMENT_VARIABLE_FIELD_LABELS as VARIABLE,
  SETTINGS_FIELD_LABELS as SETTINGS,
  SETTINGS_NESTED_FIELD_LABELS as NESTED,
  WORKER_QUEUE_FIELD_LABELS as QUEUE,
} from '@airflow-portal/plugin-astro-common';
import { FieldErrors, SettingsFormValues } from './formModel';

/*
 * The error summary of the Deployment forms names each field by the label
 * the form shows for it, in the order the form shows the fields, so that
 * `settings.workerQueues[0].maxWorkers: must be at least the minimum
 * workers (8)` reads "Queue “default”: Maximum workers must be at least the
 * minimum workers (8)".
 */

/**
 * The fields outside lists, in the order of the forms, with their labels:
 * the shared words of `@airflow-portal/plugin-astro-common` (which the
 * software template's messages use too), and the few this form words for
 * its own layout (a quota's CPU field is "Quota CPU").
 */
const FIELDS: Array<[string, string]> = [
  ['name', 'Name'],
  ['title', 'Title'],
  ['workspace', 'Workspace'],
  ['cluster', 'Cluster'],
  ['description', 'Description'],
  ...(
    [
      'airflowVersion',
      'executor',
      'schedulerSize',
      'highAvailability',
      'workerQueues',
      'workerGracePeriodSeconds',
      'kubernetesPodOperator',
      'resourceQuota',
    ] as const
  ).map((key): [string, string] => [`settings.${key}`, SETTINGS[key]]),
  ['settings.resourceQuota.cpu', 'Quota CPU'],
  ['settings.resourceQuota.memory', 'Quota memory'],
  ['settings.defaultTaskPodSize', SETTINGS.defaultTaskPodSize],
  ['settings.defaultTaskPodSize.cpu', 'Task pod CPU'],
  ['settings.defaultTaskPodSize.memory', 'Task pod memory'],
  ['settings.environmentVariables', SETTINGS.environmentVariables],
  ['settings.isCicdEnforced', SETTINGS.isCicdEnforced],
  ['settings.gitDagBundle', SETTINGS.gitDagBundle],
  ...(
    ['repositoryUrl', 'ref', 'subdirectory', 'credentialsVariable'] as const
  ).map((key): [string, string] => [
    `settings.gitDagBundle.${key}`,
    NESTED[key],
  ]),
  ['settings.hibernation.schedules', 'Hibernation schedules'],
  ['settings.contactEmails', SETTINGS.contactEmails],
];

/** A list's labels in the order its rows show the fields. */
const inOrder = (
  labels: Readonly<Record<string, string>>,
  keys: readonly string[],
): Array<[string, string]> => keys.map(key => [key, labels[key]]);

/** Rows of a list: how a row is called and the labels of its fields. */
interface ListLabels {
  row: (values: SettingsFormValues, index: number) => string;
  fields: Array<[string, string]>;
}

const quoted = (text: string) => `“${text}”`;

const LISTS: Record<string, ListLabels> = {
  'settings.workerQueues': {
    row: (values, index) => {
      const name = values.workerQueues[index]?.name;
      return name ? `Queue ${quoted(name)}` : `Worker queue ${index + 1}`;
    },
    fields: inOrder(QUEUE, [
      'name',
      'workerSize',
      'minWorkers',
      'maxWorkers',
      'concurrency',
      'isDefault',
    ]),
  },
  'settings.environmentVariables': {
    row: (values, index) => {
      const key = values.environmentVariables[index]?.key;
      return key ? `Variable ${quoted(key)}` : `Variable ${index + 1}`;
    },
    fields: inOrder(VARIABLE, ['key', 'value', 'secret']),
  },
  'settings.hibernation.schedules': {
    row: (values, index) => {
      const description = values.hibernationSchedules[index]?.description;
      return description
        ? `Hibernation schedule ${quoted(description)}`
        : `Hibernation schedule ${index + 1}`;
    },
    fields: inOrder(NESTED, [
      'hibernateAt',
      'wakeAt',
      'timeZone',
      'description',
      'enabled',
    ]),
  },
  'settings.contactEmails': {
    row: (values, index) => {
      const address = values.contactEmails
        .split(/[\s,;]+/)
        .filter(a => a !== '')[index];
      return address ? `Contact email ${quoted(address)}` : 'Contact emails';
    },
    fields: [],
  },
};

const ROW = /^(.+?)\[(\d+)\](?:\.(\w+))?$/;

interface Located {
  label: string;
  /** Sorts the messages as the form shows the fields. */
  order: number[];
}

function locate(path: string, values: SettingsFormValues): Located {
  const own = FIELDS.findIndex(([field]) => field === path);
  if (own >= 0) {
    return { label: FIELDS[own][1], order: [own] };
  }
  const row = ROW.exec(path);
  const list = row && LISTS[row[1]];
  if (row && list) {
    const index = Number(row[2]);
    const listOrder = FIELDS.findIndex(([field]) => field === row[1]);
    const rowLabel = list.row(values, index);
    if (!row[3]) {
      return { label: rowLabel, order: [listOrder, index, -1] };
    }
    const field = list.fields.findIndex(([key]) => key === row[3]);
    return {
      label: `${rowLabel}: ${field >= 0 ? list.fields[field][1] : row[3]}`,
      order: [listOrder, index, field],
    };
  }
  // A path the form does not know (a newer backend): last, as it is.
  return { label: path, order: [FIELDS.length] };
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) {
      return difference;
    }
  }
  return 0;
}

/**
 * One line per field with a problem, naming the field by its label, in the
 * order of the form: "Queue “default”: Maximum workers must be at least
 * the minimum workers (8)". Messages that are sentences of their own
 * ("Deployment etl already exists", "40 is less than …") follow a colon.
 */
export function describeFieldErrors(
  errors: FieldErrors,
  values: SettingsFormValues,
): string[] {
  return Object.entries(errors)
    .map(([path, message]) => ({ ...locate(path, values), message }))
    .sort((a, b) => compareOrder(a.order, b.order))
    .map(({ label, message }) =>
      /^[a-z]/.test(message) ? `${label} ${message}` : `${label}: ${message}`,
    );
}
