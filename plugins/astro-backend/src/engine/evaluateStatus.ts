import {
  ASTRO_LABELS,
  ComponentStatus,
  DeploymentCondition,
  DeploymentSettings,
  DeploymentStatus,
  HealthSample,
  PROVISIONING_PHASES,
  ProvisioningPhase,
  WorkerQueueStatus,
} from '@airflow-portal/plugin-astro-common';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { RenderCondition, RenderedObject, renderedObjectKey } from '../render';
import {
  HibernationStatusInput,
  hibernationVerdict,
} from '../hibernation/hibernationStatus';

/** Container states that mean a component will not come up on its own. */
const FAILING_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'InvalidImageName',
]);

/** Components whose readiness makes a Deployment HEALTHY. */
const CORE_COMPONENTS = new Set([
  'scheduler',
  'api-server',
  'webserver',
  'triggerer',
  'dag-processor',
  'redis',
  'pgbouncer',
  'postgresql',
]);

/**
 * Airflow's health answer names its jobs; the workloads running them. Their
 * pods only become ready once `airflow jobs check` finds the job's own
 * heartbeat (the startup probe), so readiness is evidence of health too.
 */
const AIRFLOW_JOB_COMPONENTS: Record<string, string | undefined> = {
  scheduler: 'scheduler',
  triggerer: 'triggerer',
  dag_processor: 'dag-processor',
};

/**
 * Whether every pod of a component became ready after `timestamp`: then
 * Airflow's older verdict that it is unhealthy is superseded (a scheduler
 * that restarted and passed its heartbeat check), until the next health
 * sample says otherwise. Without this the status would stay UNHEALTHY
 * behind a stale sample for up to a monitoring interval.
 */
function readyAfter(
  component: string | undefined,
  timestamp: string,
  live: ReadonlyMap<string, KubernetesObject>,
): boolean {
  if (!component) {
    return false;
  }
  const since = Date.parse(timestamp);
  const pods = [...live.values()].filter(
    o => o.kind === 'Pod' && labelOf(o, ASTRO_LABELS.component) === component,
  );
  return (
    pods.length > 0 &&
    pods.every(pod => {
      const readyCondition = (
        pod.status as PodConditionsView | undefined
      )?.conditions?.find(c => c.type === 'Ready');
      return (
        readyCondition?.status === 'True' &&
        Date.parse(readyCondition.lastTransitionTime ?? '') > since
      );
    })
  );
}

/** What the evaluation reads. */
export interface StatusInput {
  generation: number;
  deleting: boolean;
  settings: Omit<DeploymentSettings, 'environmentVariables'>;
  /** The objects rendered for the current generation, if rendering worked. */
  rendered?: { objects: RenderedObject[]; conditions: RenderCondition[] };
  /** The cluster's objects of this Deployment, by key. */
  live: ReadonlyMap<string, KubernetesObject>;
  appliedGeneration: number;
  everHealthy: boolean;
  /** Why the last pass failed, if it did; `unreachable` when the cluster could not be reached. */
  failure?: { message: string; unreachable: boolean };
  /** The latest Airflow health sample. */
  health?: HealthSample;
  previousConditions: DeploymentCondition[];
  now: Date;
  /** What the hibernation planner says now; absent: never hibernates. */
  hibernation?: HibernationStatusInput;
}

/** What the evaluation concludes. */
export interface StatusResult {
  status: DeploymentStatus;
  reason: string;
  conditions: DeploymentCondition[];
  components: ComponentStatus[];
  workerQueues: WorkerQueueStatus[];
  observedGeneration: number;
}

/** A pod's conditions, as read for its readiness. */
interface PodConditionsView {
  conditions?: Array<{
    type?: string;
    status?: string;
    lastTransitionTime?: string;
  }>;
}

/** The parts of a pod's status that tell whether it is failing. */
interface PodStatusView {
  initContainerStatuses?: ContainerStatusView[];
  containerStatuses?: ContainerStatusView[];
}
interface ContainerStatusView {
  state?: { waiting?: { reason?: string; message?: string } };
}
/** The parts of a Deployment's or StatefulSet's spec and status read here. */
interface WorkloadView {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    conditions?: Array<{ type?: string; status?: string; message?: string }>;
  };
}
interface JobView {
  status?: { conditions?: Array<{ type?: string; status?: string }> };
}

function labelOf(object: KubernetesObject, label: string) {
  return object.metadata.labels?.[label];
}

function failingReason(pods: KubernetesObject[]): string | undefined {
  for (const pod of pods) {
    const podStatus = (pod.status ?? {}) as PodStatusView;
    const statuses = [
      ...(podStatus.initContainerStatuses ?? []),
      ...(podStatus.containerStatuses ?? []),
    ];
    for (const status of statuses) {
      const waiting = status?.state?.waiting;
      if (waiting?.reason && FAILING_REASONS.has(waiting.reason)) {
        return `${waiting.reason}${
          waiting.message ? `: ${waiting.message}` : ''
        }`;
      }
    }
  }
  return undefined;
}

/** Replicas and readiness of the workloads, failing pods included. */
export function describeComponents(
  live: ReadonlyMap<string, KubernetesObject>,
): ComponentStatus[] {
  const objects = [...live.values()];
  const pods = objects.filter(o => o.kind === 'Pod');
  return objects
    .filter(o => o.kind === 'Deployment' || o.kind === 'StatefulSet')
    .map(workload => {
      const { spec = {}, status = {} } = workload as WorkloadView;
      const desired = spec.replicas ?? status.replicas ?? 1;
      const ready = status.readyReplicas ?? 0;
      const selector: Record<string, string> = spec.selector?.matchLabels ?? {};
      const ownPods = pods.filter(pod =>
        Object.entries(selector).every(
          ([key, value]) => pod.metadata.labels?.[key] === value,
        ),
      );
      // Pods that cannot even be created (a quota, an admission webhook)
      // show as a ReplicaFailure condition of the workload.
      const replicaFailure = status.conditions?.find(
        c => c.type === 'ReplicaFailure' && c.status === 'True',
      )?.message;
      const failing =
        failingReason(ownPods) ??
        (replicaFailure && /exceeded quota/.test(replicaFailure)
          ? `Resource quota exceeded: ${replicaFailure}`
          : replicaFailure);
      let state: ComponentStatus['state'] = 'Progressing';
      if (failing) {
        state = 'Failed';
      } else if (
        ready >= desired &&
        (status.updatedReplicas ?? ready) >= desired
      ) {
        state = 'Ready';
      }
      return {
        name: workload.metadata.name,
        kind: workload.kind,
        desiredReplicas: desired,
        readyReplicas: ready,
        state,
        ...(failing ? { message: failing } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Where a Job is: finished, failed, still running, or not created. */
export function jobState(
  job: KubernetesObject | undefined,
): 'complete' | 'failed' | 'running' | 'missing' {
  const conditions = (job as JobView | undefined)?.status?.conditions ?? [];
  if (conditions.some(c => c.type === 'Complete' && c.status === 'True')) {
    return 'complete';
  }
  if (conditions.some(c => c.type === 'Failed' && c.status === 'True')) {
    return 'failed';
  }
  return job ? 'running' : 'missing';
}

/** The parts of a KEDA ScaledObject's status read here. */
interface ScaledObjectView {
  status?: {
    conditions?: Array<{ type?: string; status?: string; message?: string }>;
  };
}

/**
 * `ScaledObjectsReady`: whether KEDA accepted every rendered ScaledObject
 * (its `Ready` condition). A ScaledObject that is not Ready scales nothing
 * (a bad trigger, no database connection), so queued tasks wait for
 * workers that never come. Absent without rendered ScaledObjects.
 */
export function scaledObjectsCondition(
  rendered: RenderedObject[],
  live: ReadonlyMap<string, KubernetesObject>,
): Omit<DeploymentCondition, 'lastTransitionTime'> | undefined {
  const scaledObjects = rendered.filter(r => r.object.kind === 'ScaledObject');
  if (scaledObjects.length === 0) {
    return undefined;
  }
  const notReady: string[] = [];
  const pending: string[] = [];
  for (const { object } of scaledObjects) {
    const found = live.get(renderedObjectKey(object)) as
      | ScaledObjectView
      | undefined;
    const ready = found?.status?.conditions?.find(c => c.type === 'Ready');
    if (ready?.status === 'False') {
      notReady.push(`${object.metadata.name}: ${ready.message ?? 'not ready'}`);
    } else if (ready?.status !== 'True') {
      pending.push(object.metadata.name);
    }
  }
  if (notReady.length > 0) {
    return {
      type: 'ScaledObjectsReady',
      status: 'False',
      reason: 'ScaledObjectNotReady',
      message: `KEDA does not scale ${notReady.join('; ')}`,
    };
  }
  if (pending.length > 0) {
    return {
      type: 'ScaledObjectsReady',
      status: 'False',
      reason: 'Pending',
      message: `Waiting for KEDA to accept ${pending.join(', ')}`,
    };
  }
  return {
    type: 'ScaledObjectsReady',
    status: 'True',
    reason: 'Ready',
    message: 'KEDA accepted the ScaledObject of every worker queue',
  };
}

/** Maps the renderer's phases onto the phases users see. */
const USER_PHASE: Record<string, ProvisioningPhase> = {
  namespace: 'namespace',
  configuration: 'secrets',
  database: 'database',
  migration: 'migration',
  components: 'components',
  workers: 'workers',
  autoscaling: 'workers',
};

/**
 * Derives a Deployment's status, conditions, components and workers from
 * what the cluster holds. A pure function: the engine and the monitor call
 * it whenever a watched object, the spec or the health changes.
 */
export function evaluateStatus(input: StatusInput): StatusResult {
  const components = describeComponents(input.live);
  const byName = new Map(components.map(c => [c.name, c]));

  const workerQueues: WorkerQueueStatus[] = input.settings.workerQueues.map(
    queue => {
      const workload = [...input.live.values()].find(
        o =>
          o.kind === 'Deployment' &&
          labelOf(o, ASTRO_LABELS.queue) === queue.name,
      );
      const component = workload
        ? byName.get(workload.metadata.name)
        : undefined;
      return {
        name: queue.name,
        minWorkers: queue.minWorkers,
        maxWorkers: queue.maxWorkers,
        desiredWorkers: component?.desiredReplicas ?? 0,
        readyWorkers: component?.readyReplicas ?? 0,
      };
    },
  );

  // Phase readiness: every rendered object of the phase exists, plus the
  // phase's own gate (database up, migration done, components ready).
  const phaseProblems = new Map<ProvisioningPhase, string>();
  const note = (phase: ProvisioningPhase, problem: string) => {
    if (!phaseProblems.has(phase)) {
      phaseProblems.set(phase, problem);
    }
  };
  for (const { phase, object } of input.rendered?.objects ?? []) {
    if (!input.live.has(renderedObjectKey(object))) {
      note(
        USER_PHASE[phase],
        `${object.kind} ${object.metadata.name} is not created yet`,
      );
    }
  }
  const rendered = input.rendered?.objects ?? [];
  const renderedOf = (kind: string, component?: string) =>
    rendered.filter(
      r =>
        r.object.kind === kind &&
        (!component || labelOf(r.object, ASTRO_LABELS.component) === component),
    );
  for (const { object, phase } of rendered) {
    if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') {
      continue;
    }
    const component = byName.get(object.metadata.name);
    if (component && component.state !== 'Ready') {
      note(
        USER_PHASE[phase],
        component.state === 'Failed'
          ? `${component.name}: ${component.message}`
          : `${component.name} has ${component.readyReplicas}/${component.desiredReplicas} ready`,
      );
    }
  }
  const migration = renderedOf('Job')[0];
  const migrationState = migration
    ? jobState(input.live.get(renderedObjectKey(migration.object)))
    : 'complete';
  if (migrationState === 'failed') {
    note('migration', 'The database migration Job failed');
  } else if (migrationState !== 'complete') {
    note('migration', 'The database migration is running');
  }

  const conditions = mergeConditions(
    input.previousConditions,
    [
      ...PROVISIONING_PHASES.map(({ phase, conditionType }) => {
        const problem = input.rendered
          ? phaseProblems.get(phase)
          : 'The spec could not be rendered';
        return {
          type: conditionType,
          status: problem ? ('False' as const) : ('True' as const),
          reason: problem ? 'Pending' : 'Ready',
          message: problem ?? 'Ready',
        };
      }),
      ...(input.rendered?.conditions ?? []),
      ...[scaledObjectsCondition(rendered, input.live)].filter(
        (c): c is NonNullable<typeof c> => c !== undefined,
      ),
    ],
    input.now,
  );

  const failed = components.find(c => c.state === 'Failed');
  const firstProblem = PROVISIONING_PHASES.map(p =>
    phaseProblems.get(p.phase),
  ).find(Boolean);
  const converged =
    input.appliedGeneration >= input.generation && !firstProblem;
  const health = input.health;
  const unhealthyAirflow =
    health?.status === 'UNHEALTHY'
      ? Object.entries(health.components)
          .filter(([, value]) => value === 'unhealthy')
          .map(([name]) => name)
          .filter(
            name =>
              !readyAfter(
                AIRFLOW_JOB_COMPONENTS[name],
                health.timestamp,
                input.live,
              ),
          )
      : [];

  const hibernation = hibernationVerdict(input.hibernation, input.live);

  let status: DeploymentStatus;
  let reason: string;
  if (input.deleting) {
    status = 'DELETING';
    reason = 'Removing the namespace and the metadata database';
  } else if (input.failure?.unreachable) {
    status = 'UNKNOWN';
    reason = input.failure.message;
  } else if (input.failure) {
    status = 'UNHEALTHY';
    reason = input.failure.message;
  } else if (hibernation?.phase === 'hibernating') {
    ({ status, reason } = hibernation);
  } else if (failed) {
    status = 'UNHEALTHY';
    reason = `${failed.name}: ${failed.message}`;
  } else if (migrationState === 'failed') {
    status = 'UNHEALTHY';
    reason = 'The database migration Job failed';
  } else if (hibernation) {
    ({ status, reason } = hibernation);
  } else if (!converged) {
    status = input.everHealthy ? 'DEPLOYING' : 'CREATING';
    reason =
      input.appliedGeneration < input.generation && !firstProblem
        ? `Applying generation ${input.generation}`
        : firstProblem ?? 'Provisioning';
  } else if (unhealthyAirflow.length > 0) {
    status = 'UNHEALTHY';
    reason = `Airflow reports ${unhealthyAirflow.join(', ')} unhealthy`;
  } else {
    status = 'HEALTHY';
    reason = 'All components are ready';
  }

  return {
    status,
    reason,
    conditions,
    components: components.filter(
      c => CORE_COMPONENTS.has(c.name) || c.name.startsWith('worker-'),
    ),
    workerQueues,
    observedGeneration: input.appliedGeneration,
  };
}

/** Keeps the transition time of conditions whose status did not change. */
function mergeConditions(
  previous: DeploymentCondition[],
  next: Array<Omit<DeploymentCondition, 'lastTransitionTime'>>,
  now: Date,
): DeploymentCondition[] {
  return next.map(condition => {
    const before = previous.find(p => p.type === condition.type);
    return {
      ...condition,
      lastTransitionTime:
        before && before.status === condition.status
          ? before.lastTransitionTime
          : now.toISOString(),
    };
  });
}
