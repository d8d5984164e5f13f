import { FieldErrors, SettingsFormValues } from './formModel';

/*
 * The error summary of the Deployment forms names each field by the label
 * the form shows for it, in the order the form shows the fields, so that
 * `settings.workerQueues[0].maxWorkers: must be at least the minimum
 * workers (8)` reads "Queue “default”: Maximum workers must be at least the
 * minimum workers (8)".
 */

/** Labels of the fields outside lists, in the order of the forms. */
const FIELDS: Array<[string, string]> = [
  ['name', 'Name'],
  ['title', 'Title'],
  ['workspace', 'Workspace'],
  ['cluster', 'Cluster'],
  ['description', 'Description'],
  ['settings.airflowVersion', 'Airflow version'],
  ['settings.executor', 'Executor'],
  ['settings.schedulerSize', 'Scheduler size'],
  ['settings.highAvailability', 'High availability'],
  ['settings.workerQueues', 'Worker queues'],
  ['settings.workerGracePeriodSeconds', 'Grace period for running tasks'],
  ['settings.kubernetesPodOperator', 'Tasks may launch pods'],
  ['settings.resourceQuota', 'Resource quota'],
  ['settings.resourceQuota.cpu', 'Quota CPU'],
  ['settings.resourceQuota.memory', 'Quota memory'],
  ['settings.defaultTaskPodSize', 'Default task pod size'],
  ['settings.defaultTaskPodSize.cpu', 'Task pod CPU'],
  ['settings.defaultTaskPodSize.memory', 'Task pod memory'],
  ['settings.environmentVariables', 'Environment variables'],
  ['settings.isCicdEnforced', 'Deploys only from CI/CD'],
  ['settings.gitDagBundle', 'DAGs from Git'],
  ['settings.gitDagBundle.repositoryUrl', 'Repository URL'],
  ['settings.gitDagBundle.ref', 'Branch or tag'],
  ['settings.gitDagBundle.subdirectory', 'Folder of the DAGs'],
  ['settings.gitDagBundle.credentialsVariable', 'Credentials'],
  ['settings.hibernation.schedules', 'Hibernation schedules'],
  ['settings.contactEmails', 'Contact emails'],
];

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
    fields: [
      ['name', 'Queue name'],
      ['workerSize', 'Worker type'],
      ['minWorkers', 'Minimum workers'],
      ['maxWorkers', 'Maximum workers'],
      ['concurrency', 'Concurrency'],
      ['isDefault', 'Default queue'],
    ],
  },
  'settings.environmentVariables': {
    row: (values, index) => {
      const key = values.environmentVariables[index]?.key;
      return key ? `Variable ${quoted(key)}` : `Variable ${index + 1}`;
    },
    fields: [
      ['key', 'Key'],
      ['value', 'Value'],
      ['secret', 'Secret'],
    ],
  },
  'settings.hibernation.schedules': {
    row: (values, index) => {
      const description = values.hibernationSchedules[index]?.description;
      return description
        ? `Hibernation schedule ${quoted(description)}`
        : `Hibernation schedule ${index + 1}`;
    },
    fields: [
      ['hibernateAt', 'Hibernate at'],
      ['wakeAt', 'Wake at'],
      ['timeZone', 'Time zone'],
      ['description', 'Description'],
      ['enabled', 'Enabled'],
    ],
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
