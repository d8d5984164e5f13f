import {
  DeploymentSettings,
  ResourceSize,
  SchedulerSizeOption,
  WorkerMachine,
  parseCpuMillis,
  parseMemoryBytes,
} from '@airflow-portal/plugin-astro-common';
import { COMPONENT_RESOURCES } from './resources';

/*
 * The namespace quota a Deployment's settings need, as requests (the
 * renderer sets requests = limits on every container, and the quota caps
 * both at the same values).
 *
 * A pod's request, as a ResourceQuota counts it, is the larger of the sum
 * of its containers and its largest init container, per resource.
 *
 * The need is the sum of:
 * - components: scheduler (×2 when highly available), API server or
 *   webserver (×2), triggerer (×2), DAG processor, pgbouncer (×2), Redis
 *   (Celery), the in-namespace PostgreSQL (when there is no provisioner),
 *   each with the DAG sync or git-sync sidecar it is rendered with;
 * - workers (Celery): per queue maxWorkers × (worker machine + sidecar);
 * - task pods (Kubernetes executor): one per scheduler at least; the rest of
 *   the quota goes to `[core] parallelism`;
 * - rollout: the larger, per resource, of the migration Job's pod and one
 *   surge pod per rolling component Deployment (Kubernetes' default
 *   maxSurge of 25% rounds up to one pod for one or two replicas); the
 *   Job runs before the components roll;
 * - draining workers (Celery, grace period > 0): workers roll with
 *   maxSurge 0, but the Deployment controller does not wait for
 *   terminating pods, which keep counting against the quota until they
 *   exit (up to the grace period). A rollout at full scale therefore holds
 *   up to maxWorkers draining pods next to maxWorkers new ones.
 */

/** Worker Deployments roll without surge; see the note above. */
export const WORKER_ROLLING_UPDATE = {
  maxSurge: 0,
  maxUnavailable: '25%',
} as const;

/** Airflow's own default of `[core] parallelism`. */
export const AIRFLOW_DEFAULT_PARALLELISM = 32;

/** The settings the quota depends on. */
export type QuotaSettings = Pick<
  DeploymentSettings,
  | 'executor'
  | 'schedulerSize'
  | 'highAvailability'
  | 'workerQueues'
  | 'resourceQuota'
  | 'defaultTaskPodSize'
  | 'workerGracePeriodSeconds'
>;

/** Everything the quota is a function of. */
export interface QuotaInput {
  settings: QuotaSettings;
  sizes: {
    schedulerSizes: SchedulerSizeOption[];
    workerMachines: WorkerMachine[];
  };
  airflow3: boolean;
  /** Where the DAGs come from (see `DagSource`). */
  dags: 'image' | 'sync' | 'git';
  inNamespaceDatabase: boolean;
}

/** Millicores and bytes. */
export interface Amount {
  cpuMillis: number;
  memoryBytes: number;
}

/** One part of the need, and the settings fields that drive it. */
export interface QuotaPart extends Amount {
  what: string;
  fields: string[];
}

/** The quota a Deployment's settings need, and what is left of the given one. */
export interface QuotaPlan {
  parts: QuotaPart[];
  need: Amount;
  quota: Amount;
  fits: boolean;
  /**
   * `[core] parallelism` (per scheduler): the sum of the queues' capacity
   * (maxWorkers × concurrency) with Celery; with the Kubernetes executor,
   * the task pods the quota has room for after everything else, split over
   * the schedulers (at least 1).
   */
  parallelism: number;
}

const ZERO: Amount = { cpuMillis: 0, memoryBytes: 0 };

function amount(size: ResourceSize): Amount {
  const cpuMillis = parseCpuMillis(size.cpu);
  const memoryBytes = parseMemoryBytes(size.memory);
  if (cpuMillis === undefined || memoryBytes === undefined) {
    throw new Error(
      `renderer bug: ${size.cpu} / ${size.memory} is not a resource size`,
    );
  }
  return { cpuMillis, memoryBytes };
}

function add(...amounts: Amount[]): Amount {
  return amounts.reduce(
    (sum, a) => ({
      cpuMillis: sum.cpuMillis + a.cpuMillis,
      memoryBytes: sum.memoryBytes + a.memoryBytes,
    }),
    ZERO,
  );
}

function times(count: number, a: Amount): Amount {
  return { cpuMillis: count * a.cpuMillis, memoryBytes: count * a.memoryBytes };
}

function max(...amounts: Amount[]): Amount {
  return amounts.reduce(
    (m, a) => ({
      cpuMillis: Math.max(m.cpuMillis, a.cpuMillis),
      memoryBytes: Math.max(m.memoryBytes, a.memoryBytes),
    }),
    ZERO,
  );
}

/** A pod's request as a ResourceQuota counts it. */
export function podRequest(
  containers: ResourceSize[],
  initContainers: ResourceSize[] = [],
): Amount {
  return max(add(...containers.map(amount)), ...initContainers.map(amount));
}

const MEBI = 1024 ** 2;
const GIBI = 1024 ** 3;

/** A CPU amount as a Kubernetes quantity: `"31"` or `"30850m"`. */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** A memory amount as a Kubernetes quantity, rounded up to a mebibyte. */
export function formatMemory(bytes: number): string {
  const gibi = bytes / GIBI;
  if (Number.isInteger(gibi * 100) && bytes % MEBI === 0) {
    return `${gibi}Gi`;
  }
  return `${Math.ceil(bytes / MEBI)}Mi`;
}

function formatAmount(a: Amount): string {
  return `${formatCpu(a.cpuMillis)} CPU / ${formatMemory(a.memoryBytes)}`;
}

/**
 * The quota the settings need at their maximum scale, and the parallelism
 * that follows from the given quota.
 */
export function planQuota(input: QuotaInput): QuotaPlan {
  const { settings, sizes } = input;
  const celery = settings.executor === 'CELERY';
  const ha = settings.highAvailability;
  const replicas = ha ? 2 : 1;

  const schedulerSize = sizes.schedulerSizes.find(
    s => s.size === settings.schedulerSize,
  );
  if (!schedulerSize) {
    throw new Error(`unknown scheduler size ${settings.schedulerSize}`);
  }
  const scheduler: ResourceSize = {
    cpu: schedulerSize.cpu,
    memory: schedulerSize.memory,
  };
  // The container that keeps the DAGs current in pods that parse or run them.
  let sidecar: ResourceSize | undefined;
  if (input.dags === 'sync') {
    sidecar = COMPONENT_RESOURCES.dagSync;
  } else if (input.dags === 'git' && !input.airflow3) {
    sidecar = COMPONENT_RESOURCES.gitSync;
  }
  const withDags = (main: ResourceSize) =>
    podRequest(sidecar ? [main, sidecar] : [main], sidecar ? [sidecar] : []);

  const schedulerPod = withDags(scheduler);
  const uiPod = podRequest([COMPONENT_RESOURCES.apiServer]);
  const triggererPod = withDags(COMPONENT_RESOURCES.triggerer);
  const dagProcessorPod = withDags(scheduler);
  const pgbouncerPod = podRequest([COMPONENT_RESOURCES.pgbouncer]);

  const parts: QuotaPart[] = [];
  const componentFields = [
    'settings.schedulerSize',
    'settings.highAvailability',
  ];
  parts.push({
    what: `components (scheduler, ${
      input.airflow3 ? 'API server' : 'webserver'
    }, triggerer${ha ? ' ×2 each' : ''}, DAG processor, pgbouncer${
      ha ? ' ×2' : ''
    }${celery ? ', Redis' : ''}${
      input.inNamespaceDatabase ? ', PostgreSQL' : ''
    })`,
    fields: componentFields,
    ...add(
      times(replicas, add(schedulerPod, uiPod, triggererPod, pgbouncerPod)),
      dagProcessorPod,
      celery ? podRequest([COMPONENT_RESOURCES.redis]) : ZERO,
      input.inNamespaceDatabase
        ? podRequest([COMPONENT_RESOURCES.postgres])
        : ZERO,
    ),
  });

  const machines = new Map(sizes.workerMachines.map(m => [m.name, m]));
  const queues = celery ? settings.workerQueues : [];
  const workerPods = queues.map(queue => {
    const machine = machines.get(queue.workerSize);
    if (!machine) {
      throw new Error(`unknown worker machine ${queue.workerSize}`);
    }
    return withDags({ cpu: machine.cpu, memory: machine.memory });
  });
  queues.forEach((queue, index) => {
    parts.push({
      what: `workers of queue "${queue.name}" (${queue.maxWorkers} × ${queue.workerSize})`,
      fields: [
        `settings.workerQueues[${index}].maxWorkers`,
        `settings.workerQueues[${index}].workerSize`,
      ],
      ...times(queue.maxWorkers, workerPods[index]),
    });
  });

  const surge = add(
    schedulerPod,
    uiPod,
    triggererPod,
    dagProcessorPod,
    pgbouncerPod,
  );
  parts.push({
    what: 'rollout (one surge pod per component, or the migration Job)',
    fields: componentFields,
    ...max(surge, podRequest([COMPONENT_RESOURCES.migration])),
  });

  if (settings.workerGracePeriodSeconds > 0) {
    queues.forEach((queue, index) => {
      parts.push({
        what: `workers of queue "${queue.name}" draining during a rollout (up to ${settings.workerGracePeriodSeconds} s)`,
        fields: [
          `settings.workerQueues[${index}].maxWorkers`,
          'settings.workerGracePeriodSeconds',
        ],
        ...times(queue.maxWorkers, workerPods[index]),
      });
    });
  }

  // Task pods get the DAGs' init container, not their sidecar.
  const taskPod = podRequest(
    [settings.defaultTaskPodSize],
    sidecar ? [sidecar] : [],
  );
  const fixed = add(...parts);
  if (!celery) {
    parts.push({
      what: `task pods (at least one per scheduler, ${formatAmount(
        taskPod,
      )} each)`,
      fields: ['settings.defaultTaskPodSize', 'settings.highAvailability'],
      ...times(replicas, taskPod),
    });
  }

  const need = add(...parts);
  const quota = amount(settings.resourceQuota);
  const fits =
    need.cpuMillis <= quota.cpuMillis && need.memoryBytes <= quota.memoryBytes;

  let parallelism: number;
  if (celery) {
    parallelism = queues.reduce(
      (sum, queue) => sum + queue.maxWorkers * queue.concurrency,
      0,
    );
  } else {
    const room = Math.min(
      Math.floor((quota.cpuMillis - fixed.cpuMillis) / taskPod.cpuMillis),
      Math.floor((quota.memoryBytes - fixed.memoryBytes) / taskPod.memoryBytes),
    );
    parallelism = Math.max(1, Math.floor(room / replicas));
  }
  return { parts, need, quota, fits, parallelism };
}

/**
 * Why the quota is too small, naming the quota fields, the numbers and the
 * settings that drive the need; `undefined` when it fits.
 */
export function describeQuotaShortfall(plan: QuotaPlan): string | undefined {
  if (plan.fits) {
    return undefined;
  }
  const problems: string[] = [];
  if (plan.need.cpuMillis > plan.quota.cpuMillis) {
    problems.push(
      `settings.resourceQuota.cpu: ${formatCpu(
        plan.quota.cpuMillis,
      )} is less than the ${formatCpu(
        plan.need.cpuMillis,
      )} CPU the settings need at full scale`,
    );
  }
  if (plan.need.memoryBytes > plan.quota.memoryBytes) {
    problems.push(
      `settings.resourceQuota.memory: ${formatMemory(
        plan.quota.memoryBytes,
      )} is less than the ${formatMemory(
        plan.need.memoryBytes,
      )} the settings need at full scale`,
    );
  }
  // `path: message` parts separated by "; " (forms show them at their
  // fields); the breakdown is one part without a path.
  const parts = plan.parts
    .filter(part => part.cpuMillis > 0 || part.memoryBytes > 0)
    .map(
      part => `${part.what} ${formatAmount(part)} (${part.fields.join(', ')})`,
    );
  return `${problems.join('; ')}; needed at full scale: ${parts.join(
    ' + ',
  )}. Raise the quota or lower those settings.`;
}
