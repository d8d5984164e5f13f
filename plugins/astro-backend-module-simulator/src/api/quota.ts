/**
 * ResourceQuota admission for pods, kept simple: the cpu and memory requests
 * (and limits) and the pod count of the pods in a namespace are summed and
 * compared with `spec.hard` of each ResourceQuota there.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import {
  parseCpuMillis,
  parseMemoryBytes,
} from '@airflow-portal/plugin-astro-common';
import { ResourceCatalog } from './resources';
import { statusErrors, StatusError } from './status';
import { ObjectStore } from '../store/ObjectStore';
import { arr, at, isRecord, str, stringMap } from '../store/objects';

type Usage = Record<string, number>;

const CPU_KEYS = new Set(['cpu', 'requests.cpu', 'limits.cpu']);

function parseQuantity(resource: string, quantity: string): number {
  const parsed = CPU_KEYS.has(resource)
    ? parseCpuMillis(quantity)
    : parseMemoryBytes(quantity);
  if (parsed !== undefined) {
    return parsed;
  }
  const plain = Number(quantity);
  return Number.isFinite(plain) ? plain : 0;
}

function formatQuantity(resource: string, value: number): string {
  if (resource === 'pods') {
    return String(value);
  }
  if (CPU_KEYS.has(resource)) {
    return value % 1000 === 0 ? String(value / 1000) : `${value}m`;
  }
  const mi = value / 1024 ** 2;
  return Number.isInteger(mi) ? `${mi}Mi` : String(value);
}

/** Whether a pod still counts against quota (not finished). */
export function isActivePod(pod: KubernetesObject): boolean {
  const phase = str(at(pod, 'status', 'phase'));
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** The quota-relevant usage of one pod. */
export function podUsage(pod: KubernetesObject): Usage {
  const usage: Usage = {
    pods: 1,
    'requests.cpu': 0,
    'requests.memory': 0,
    'limits.cpu': 0,
    'limits.memory': 0,
  };
  for (const container of arr(at(pod, 'spec', 'containers'))) {
    const resources = at(container, 'resources');
    const limits = stringMap(at(resources, 'limits'));
    const requests = { ...limits, ...stringMap(at(resources, 'requests')) };
    for (const name of ['cpu', 'memory']) {
      if (requests[name]) {
        usage[`requests.${name}`] += parseQuantity(name, requests[name]);
      }
      if (limits[name]) {
        usage[`limits.${name}`] += parseQuantity(name, limits[name]);
      }
    }
  }
  usage.cpu = usage['requests.cpu'];
  usage.memory = usage['requests.memory'];
  return usage;
}

/** The summed usage of the active pods of a namespace. */
export function namespaceUsage(store: ObjectStore, namespace: string): Usage {
  const total: Usage = {};
  for (const pod of store.list(ResourceCatalog.kind('Pod'), { namespace })) {
    if (!isActivePod(pod)) {
      continue;
    }
    for (const [key, value] of Object.entries(podUsage(pod))) {
      total[key] = (total[key] ?? 0) + value;
    }
  }
  return total;
}

/** `status.used` of a quota, given the namespace's usage. */
export function quotaStatus(
  quota: KubernetesObject,
  usage: Usage,
): { hard: Record<string, string>; used: Record<string, string> } {
  const hard = stringMap(at(quota, 'spec', 'hard'));
  const used: Record<string, string> = {};
  for (const resource of Object.keys(hard)) {
    used[resource] = formatQuantity(resource, usage[resource] ?? 0);
  }
  return { hard, used };
}

/**
 * The `403 Forbidden` a real API server answers when creating the pod would
 * exceed a quota of its namespace, or `undefined` when it fits.
 */
export function checkPodQuota(
  store: ObjectStore,
  pod: KubernetesObject,
): StatusError | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  const quotas = store.list(ResourceCatalog.kind('ResourceQuota'), {
    namespace,
  });
  if (quotas.length === 0) {
    return undefined;
  }
  const used = namespaceUsage(store, namespace);
  const requested = podUsage(pod);
  for (const quota of quotas) {
    const hard = at(quota, 'spec', 'hard');
    if (!isRecord(hard)) {
      continue;
    }
    const exceeded = Object.entries(stringMap(hard)).filter(
      ([resource, limit]) =>
        requested[resource] !== undefined &&
        requested[resource] > 0 &&
        (used[resource] ?? 0) + requested[resource] >
          parseQuantity(resource, limit),
    );
    if (exceeded.length > 0) {
      const list = (values: (resource: string) => string) =>
        exceeded
          .map(([resource]) => `${resource}=${values(resource)}`)
          .join(',');
      return statusErrors.forbidden(
        '',
        'pods',
        pod.metadata.name,
        `exceeded quota: ${quota.metadata.name}, requested: ${list(r =>
          formatQuantity(r, requested[r]),
        )}, used: ${list(r =>
          formatQuantity(r, used[r] ?? 0),
        )}, limited: ${list(r => stringMap(hard)[r])}`,
      );
    }
  }
  return undefined;
}
