/**
 * Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`):
 * the `Table` kubectl get prints, with the columns a real API server
 * prints for each served kind.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import {
  arr,
  at,
  isRecord,
  num,
  record,
  str,
  stringMap,
} from '../store/objects';
import { ResourceType } from './resources';

/** A column of a Table. */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'date' | 'number' | 'boolean';
  format: string;
  description: string;
  /** 0 for `kubectl get`, 1 for `-o wide` only. */
  priority: number;
}

type Cell = string | number | boolean;

interface ColumnSpec {
  column: TableColumn;
  cell: (object: KubernetesObject, now: number) => Cell;
}

/**
 * A duration as the API server's printers write ages (`5s`, `3m20s`,
 * `4h5m`, `12d`, `2y30d`).
 */
export function humanDuration(ms: number): string {
  if (ms < -1000) return '<invalid>';
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  }
  if (days < 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (days < 365 * 8) return `${years}y${days % 365}d`;
  return `${years}y`;
}

function since(timestamp: unknown, now: number): string {
  const time = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  return Number.isNaN(time) ? '<unknown>' : humanDuration(now - time);
}

const col = (
  name: string,
  cell: ColumnSpec['cell'],
  options: Partial<TableColumn> = {},
): ColumnSpec => ({
  column: {
    name,
    type: 'string',
    format: '',
    description: `${name} of the object`,
    priority: 0,
    ...options,
  },
  cell,
});

const wide = (name: string, cell: ColumnSpec['cell']) =>
  col(name, cell, { priority: 1 });

const NAME = col('Name', o => o.metadata.name, {
  format: 'name',
  description: 'Name must be unique within a namespace. Cannot be updated.',
});
const AGE = col('Age', (o, now) => since(o.metadata.creationTimestamp, now), {
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
});
const CREATED_AT = col(
  'Created At',
  o => String(o.metadata.creationTimestamp ?? ''),
  {
    type: 'date',
  },
);

const none = (text: string | undefined) => (text ? text : '<none>');

function containers(object: KubernetesObject, ...templatePath: string[]) {
  return arr(at(object, ...templatePath, 'containers')).filter(isRecord);
}

function containerColumns(...templatePath: string[]): ColumnSpec[] {
  return [
    wide('Containers', o =>
      containers(o, ...templatePath)
        .map(c => str(c.name) ?? '')
        .join(','),
    ),
    wide('Images', o =>
      containers(o, ...templatePath)
        .map(c => str(c.image) ?? '')
        .join(','),
    ),
  ];
}

function selectorText(selector: unknown): string {
  const labels = Object.entries(stringMap(at(selector, 'matchLabels'))).map(
    ([key, value]) => `${key}=${value}`,
  );
  const expressions = arr(at(selector, 'matchExpressions'))
    .filter(isRecord)
    .map(e => {
      const values = arr(e.values).join(',');
      switch (e.operator) {
        case 'In':
          return `${e.key} in (${values})`;
        case 'NotIn':
          return `${e.key} notin (${values})`;
        case 'Exists':
          return String(e.key);
        default:
          return `!${e.key}`;
      }
    });
  return none([...labels, ...expressions].join(','));
}

function podStatusReason(pod: KubernetesObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const statuses = arr(at(pod, 'status', 'containerStatuses')).filter(isRecord);
  for (const status of statuses) {
    const waiting = str(at(status, 'state', 'waiting', 'reason'));
    if (waiting) return waiting;
    const terminated = str(at(status, 'state', 'terminated', 'reason'));
    if (terminated && str(at(pod, 'status', 'phase')) !== 'Succeeded') {
      return terminated;
    }
  }
  return (
    str(at(pod, 'status', 'reason')) ??
    str(at(pod, 'status', 'phase')) ??
    'Pending'
  );
}

function podRestarts(pod: KubernetesObject, now: number): string {
  const statuses = arr(at(pod, 'status', 'containerStatuses')).filter(isRecord);
  const restarts = statuses.reduce(
    (sum, s) => sum + (num(s.restartCount) ?? 0),
    0,
  );
  const lastFinished = statuses
    .map(s => str(at(s, 'lastState', 'terminated', 'finishedAt')))
    .filter((t): t is string => Boolean(t))
    .sort()
    .pop();
  return restarts > 0 && lastFinished
    ? `${restarts} (${since(lastFinished, now)} ago)`
    : String(restarts);
}

function servicePorts(service: KubernetesObject): string {
  const ports = arr(at(service, 'spec', 'ports')).filter(isRecord);
  return none(
    ports
      .map(p => {
        const nodePort = num(p.nodePort) ? `:${p.nodePort}` : '';
        return `${p.port}${nodePort}/${str(p.protocol) ?? 'TCP'}`;
      })
      .join(','),
  );
}

function jobStatus(job: KubernetesObject): string {
  const conditions = arr(at(job, 'status', 'conditions')).filter(isRecord);
  const holds = (type: string) =>
    conditions.some(c => c.type === type && c.status === 'True');
  if (holds('Complete')) return 'Complete';
  if (holds('Failed')) return 'Failed';
  if (holds('FailureTarget')) return 'FailureTarget';
  if (holds('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (holds('Suspended')) return 'Suspended';
  return 'Running';
}

function jobDuration(job: KubernetesObject, now: number): string {
  const start = str(at(job, 'status', 'startTime'));
  if (!start) return '';
  const end = str(at(job, 'status', 'completionTime'));
  return humanDuration((end ? Date.parse(end) : now) - Date.parse(start));
}

function quotaUsage(
  quota: KubernetesObject,
  kind: 'requests' | 'limits',
): string {
  const hard = stringMap(at(quota, 'status', 'hard'));
  const hardSpec = Object.keys(hard).length
    ? hard
    : stringMap(at(quota, 'spec', 'hard'));
  const used = stringMap(at(quota, 'status', 'used'));
  return Object.keys(hardSpec)
    .filter(key =>
      kind === 'limits'
        ? key.startsWith('limits.')
        : !key.startsWith('limits.'),
    )
    .sort()
    .map(key => `${key}: ${used[key] ?? '0'}/${hardSpec[key]}`)
    .join(', ');
}

function hpaTargets(hpa: KubernetesObject): string {
  const metrics = arr(at(hpa, 'spec', 'metrics')).filter(isRecord);
  if (metrics.length === 0) return '<none>';
  return metrics
    .map(metric => {
      const target = record(
        at(
          metric,
          str(metric.type)?.replace(/^./, c => c.toLowerCase()) ?? '',
          'target',
        ),
      );
      const value =
        num(target.averageUtilization) !== undefined
          ? `${target.averageUtilization}%`
          : str(target.averageValue) ?? str(target.value) ?? '';
      return `<unknown>/${value}`;
    })
    .join(', ');
}

const COLUMNS: Record<string, ColumnSpec[]> = {
  Namespace: [
    NAME,
    col('Status', o => str(at(o, 'status', 'phase')) ?? ''),
    AGE,
  ],
  Pod: [
    NAME,
    col('Ready', o => {
      const statuses = arr(at(o, 'status', 'containerStatuses')).filter(
        isRecord,
      );
      const total = containers(o, 'spec').length;
      return `${statuses.filter(s => s.ready === true).length}/${total}`;
    }),
    col('Status', podStatusReason),
    col('Restarts', podRestarts),
    AGE,
    wide('IP', o => none(str(at(o, 'status', 'podIP')))),
    wide('Node', o => none(str(at(o, 'spec', 'nodeName')))),
    wide('Nominated Node', o =>
      none(str(at(o, 'status', 'nominatedNodeName'))),
    ),
    wide('Readiness Gates', () => '<none>'),
  ],
  Service: [
    NAME,
    col('Type', o => str(at(o, 'spec', 'type')) ?? 'ClusterIP'),
    col('Cluster-IP', o => none(str(at(o, 'spec', 'clusterIP')))),
    col('External-IP', o => {
      const ips = arr(at(o, 'spec', 'externalIPs')).join(',');
      if (ips) return ips;
      return str(at(o, 'spec', 'type')) === 'LoadBalancer'
        ? '<pending>'
        : '<none>';
    }),
    col('Port(s)', servicePorts),
    AGE,
    wide('Selector', o =>
      none(
        Object.entries(stringMap(at(o, 'spec', 'selector')))
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      ),
    ),
  ],
  ConfigMap: [
    NAME,
    col(
      'Data',
      o =>
        Object.keys(record(o.data)).length +
        Object.keys(record(o.binaryData)).length,
      { type: 'integer' },
    ),
    AGE,
  ],
  Secret: [
    NAME,
    col('Type', o => str(o.type) ?? 'Opaque'),
    col('Data', o => Object.keys(record(o.data)).length, { type: 'integer' }),
    AGE,
  ],
  ServiceAccount: [
    NAME,
    col('Secrets', o => arr(o.secrets).length, { type: 'integer' }),
    AGE,
  ],
  ResourceQuota: [
    NAME,
    AGE,
    col('Request', o => quotaUsage(o, 'requests')),
    col('Limit', o => quotaUsage(o, 'limits')),
  ],
  LimitRange: [NAME, CREATED_AT],
  Event: [
    col('Last Seen', (o, now) =>
      since(
        o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp,
        now,
      ),
    ),
    col('Type', o => str(o.type) ?? ''),
    col('Reason', o => str(o.reason) ?? ''),
    col('Object', o => {
      const kind = str(at(o, 'involvedObject', 'kind')) ?? '';
      return `${kind.toLowerCase()}/${
        str(at(o, 'involvedObject', 'name')) ?? ''
      }`;
    }),
    col('Message', o => str(o.message) ?? ''),
    wide('Subobject', o => str(at(o, 'involvedObject', 'fieldPath')) ?? ''),
    wide('Source', o => str(at(o, 'source', 'component')) ?? ''),
    wide('First Seen', (o, now) => since(o.firstTimestamp, now)),
    wide('Count', o => num(o.count) ?? 1),
    wide('Name', o => o.metadata.name),
  ],
  PersistentVolumeClaim: [
    NAME,
    col('Status', o => str(at(o, 'status', 'phase')) ?? ''),
    col('Volume', o => str(at(o, 'spec', 'volumeName')) ?? ''),
    col('Capacity', o => str(at(o, 'status', 'capacity', 'storage')) ?? ''),
    col('Access Modes', o =>
      arr(at(o, 'status', 'accessModes'))
        .map(
          mode =>
            ({
              ReadWriteOnce: 'RWO',
              ReadOnlyMany: 'ROX',
              ReadWriteMany: 'RWX',
              ReadWriteOncePod: 'RWOP',
            }[String(mode)] ?? String(mode)),
        )
        .join(','),
    ),
    col('StorageClass', o => none(str(at(o, 'spec', 'storageClassName')))),
    col('VolumeAttributesClass', o =>
      none(str(at(o, 'spec', 'volumeAttributesClassName'))),
    ),
    AGE,
    wide('VolumeMode', o => str(at(o, 'spec', 'volumeMode')) ?? 'Filesystem'),
  ],
  Deployment: [
    NAME,
    col(
      'Ready',
      o =>
        `${num(at(o, 'status', 'readyReplicas')) ?? 0}/${
          num(at(o, 'spec', 'replicas')) ?? 1
        }`,
    ),
    col('Up-to-date', o => num(at(o, 'status', 'updatedReplicas')) ?? 0, {
      type: 'integer',
    }),
    col('Available', o => num(at(o, 'status', 'availableReplicas')) ?? 0, {
      type: 'integer',
    }),
    AGE,
    ...containerColumns('spec', 'template', 'spec'),
    wide('Selector', o => selectorText(at(o, 'spec', 'selector'))),
  ],
  ReplicaSet: [
    NAME,
    col('Desired', o => num(at(o, 'spec', 'replicas')) ?? 1, {
      type: 'integer',
    }),
    col('Current', o => num(at(o, 'status', 'replicas')) ?? 0, {
      type: 'integer',
    }),
    col('Ready', o => num(at(o, 'status', 'readyReplicas')) ?? 0, {
      type: 'integer',
    }),
    AGE,
    ...containerColumns('spec', 'template', 'spec'),
    wide('Selector', o => selectorText(at(o, 'spec', 'selector'))),
  ],
  StatefulSet: [
    NAME,
    col(
      'Ready',
      o =>
        `${num(at(o, 'status', 'readyReplicas')) ?? 0}/${
          num(at(o, 'spec', 'replicas')) ?? 1
        }`,
    ),
    AGE,
    ...containerColumns('spec', 'template', 'spec'),
  ],
  DaemonSet: [
    NAME,
    col('Desired', o => num(at(o, 'status', 'desiredNumberScheduled')) ?? 0, {
      type: 'integer',
    }),
    col('Current', o => num(at(o, 'status', 'currentNumberScheduled')) ?? 0, {
      type: 'integer',
    }),
    col('Ready', o => num(at(o, 'status', 'numberReady')) ?? 0, {
      type: 'integer',
    }),
    col(
      'Up-to-date',
      o => num(at(o, 'status', 'updatedNumberScheduled')) ?? 0,
      { type: 'integer' },
    ),
    col('Available', o => num(at(o, 'status', 'numberAvailable')) ?? 0, {
      type: 'integer',
    }),
    col('Node Selector', o =>
      none(
        Object.entries(
          stringMap(at(o, 'spec', 'template', 'spec', 'nodeSelector')),
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      ),
    ),
    AGE,
    ...containerColumns('spec', 'template', 'spec'),
    wide('Selector', o => selectorText(at(o, 'spec', 'selector'))),
  ],
  Job: [
    NAME,
    col('Status', jobStatus),
    col(
      'Completions',
      o =>
        `${num(at(o, 'status', 'succeeded')) ?? 0}/${
          num(at(o, 'spec', 'completions')) ?? 1
        }`,
    ),
    col('Duration', jobDuration),
    AGE,
    ...containerColumns('spec', 'template', 'spec'),
    wide('Selector', o => selectorText(at(o, 'spec', 'selector'))),
  ],
  CronJob: [
    NAME,
    col('Schedule', o => str(at(o, 'spec', 'schedule')) ?? ''),
    col('Timezone', o => none(str(at(o, 'spec', 'timeZone')))),
    col('Suspend', o => at(o, 'spec', 'suspend') === true, { type: 'boolean' }),
    col('Active', o => arr(at(o, 'status', 'active')).length, {
      type: 'integer',
    }),
    col('Last Schedule', (o, now) => {
      const last = at(o, 'status', 'lastScheduleTime');
      return last ? since(last, now) : '<none>';
    }),
    AGE,
    ...containerColumns('spec', 'jobTemplate', 'spec', 'template', 'spec'),
    wide('Selector', o =>
      selectorText(at(o, 'spec', 'jobTemplate', 'spec', 'selector')),
    ),
  ],
  PodDisruptionBudget: [
    NAME,
    col('Min Available', o => {
      const value = at(o, 'spec', 'minAvailable');
      return value === undefined ? 'N/A' : String(value);
    }),
    col('Max Unavailable', o => {
      const value = at(o, 'spec', 'maxUnavailable');
      return value === undefined ? 'N/A' : String(value);
    }),
    col(
      'Allowed Disruptions',
      o => num(at(o, 'status', 'disruptionsAllowed')) ?? 0,
      {
        type: 'integer',
      },
    ),
    AGE,
  ],
  HorizontalPodAutoscaler: [
    NAME,
    col(
      'Reference',
      o =>
        `${str(at(o, 'spec', 'scaleTargetRef', 'kind')) ?? ''}/${
          str(at(o, 'spec', 'scaleTargetRef', 'name')) ?? ''
        }`,
    ),
    col('Targets', hpaTargets),
    col('MinPods', o => String(num(at(o, 'spec', 'minReplicas')) ?? 1)),
    col('MaxPods', o => num(at(o, 'spec', 'maxReplicas')) ?? 0, {
      type: 'integer',
    }),
    col('Replicas', o => num(at(o, 'status', 'currentReplicas')) ?? 0, {
      type: 'integer',
    }),
    AGE,
  ],
  NetworkPolicy: [
    NAME,
    col('Pod-Selector', o => selectorText(at(o, 'spec', 'podSelector'))),
    AGE,
  ],
  Ingress: [
    NAME,
    col('Class', o => none(str(at(o, 'spec', 'ingressClassName')))),
    col(
      'Hosts',
      o =>
        arr(at(o, 'spec', 'rules'))
          .map(rule => str(at(rule, 'host')) ?? '*')
          .join(',') || '*',
    ),
    col('Address', o =>
      arr(at(o, 'status', 'loadBalancer', 'ingress'))
        .map(i => str(at(i, 'ip')) ?? str(at(i, 'hostname')) ?? '')
        .join(','),
    ),
    col('Ports', o =>
      arr(at(o, 'spec', 'tls')).length > 0 ? '80, 443' : '80',
    ),
    AGE,
  ],
  Role: [NAME, CREATED_AT],
  RoleBinding: [
    NAME,
    col(
      'Role',
      o =>
        `${str(at(o, 'roleRef', 'kind')) ?? ''}/${
          str(at(o, 'roleRef', 'name')) ?? ''
        }`,
    ),
    AGE,
    ...(['User', 'Group', 'ServiceAccount'] as const).map(kind =>
      wide(`${kind === 'ServiceAccount' ? 'ServiceAccounts' : `${kind}s`}`, o =>
        arr(o.subjects)
          .filter(isRecord)
          .filter(s => s.kind === kind)
          .map(s =>
            kind === 'ServiceAccount'
              ? `${str(s.namespace) ?? ''}/${str(s.name) ?? ''}`
              : str(s.name) ?? '',
          )
          .join(', '),
      ),
    ),
  ],
};

/** The columns of a kind (`Name` and `Age` for kinds without printers). */
export function tableColumns(type: ResourceType): ColumnSpec[] {
  return COLUMNS[type.kind] ?? [NAME, AGE];
}

/** Whether an `Accept` header asks for a `meta.k8s.io` Table. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  // The first acceptable media type wins; kubectl lists Table first and
  // JSON as the fallback.
  const first = accept.split(',')[0];
  const params = new Map(
    first
      .split(';')
      .slice(1)
      .map(part => part.trim().split('=') as [string, string]),
  );
  return params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io';
}

/** The object a row carries: metadata only unless `includeObject=Object`. */
function rowObject(
  object: KubernetesObject,
  includeObject: string | null,
): Record<string, unknown> | undefined {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return object;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: object.metadata,
  };
}

/** A `meta.k8s.io/v1` Table of objects of one type. */
export function toTable(
  type: ResourceType,
  objects: KubernetesObject[],
  options: {
    resourceVersion?: string;
    continueToken?: string;
    remainingItemCount?: number;
    includeObject: string | null;
    now?: number;
  },
): Record<string, unknown> {
  const now = options.now ?? Date.now();
  const columns = tableColumns(type);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      ...(options.resourceVersion
        ? { resourceVersion: options.resourceVersion }
        : {}),
      ...(options.continueToken ? { continue: options.continueToken } : {}),
      ...(options.remainingItemCount !== undefined
        ? { remainingItemCount: options.remainingItemCount }
        : {}),
    },
    columnDefinitions: columns.map(spec => spec.column),
    rows: objects.map(object => {
      const embedded = rowObject(object, options.includeObject);
      return {
        cells: columns.map(spec => spec.cell(object, now)),
        ...(embedded ? { object: embedded } : {}),
      };
    }),
  };
}
