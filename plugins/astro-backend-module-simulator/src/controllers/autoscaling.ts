/**
 * Autoscaling: KEDA ScaledObjects scale their target from the simulated
 * queue depth; HorizontalPodAutoscalers (the fallback without KEDA) keep
 * their target within `[minReplicas, maxReplicas]` and, when they carry the
 * queue label and the concurrency annotation, follow the same queue-depth
 * formula as if CPU followed the running tasks.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import {
  ASTRO_ANNOTATIONS,
  ASTRO_LABELS,
} from '@airflow-portal/plugin-astro-common';
import { ResourceCatalog, ResourceType } from '../api/resources';
import { at, num, record, str, stringMap } from '../store/objects';
import {
  ControllerContext,
  desiredReplicas,
  gvkString,
  now,
  withCondition,
  writeStatus,
} from './context';

const SCALED_OBJECT = ResourceCatalog.kind('ScaledObject');
const HPA = ResourceCatalog.kind('HorizontalPodAutoscaler');

/**
 * KEDA's pause annotation: the target is scaled to this many replicas and
 * autoscaling stops until it is removed.
 */
export const PAUSED_REPLICAS_ANNOTATION = 'autoscaling.keda.sh/paused-replicas';

/** Concurrency assumed when the annotation is missing: Airflow's default. */
export const DEFAULT_WORKER_CONCURRENCY = 16;

function targetType(kind: string | undefined): ResourceType | undefined {
  if (kind === undefined || kind === 'Deployment') {
    return ResourceCatalog.kind('Deployment');
  }
  return kind === 'StatefulSet'
    ? ResourceCatalog.kind('StatefulSet')
    : undefined;
}

/**
 * Workers needed for a queue: `ceil((queued + running) / concurrency)`,
 * clamped to `[min, max]`.
 */
export function workersFor(
  depth: { queued: number; running: number },
  concurrency: number,
  min: number,
  max: number,
): number {
  const needed = Math.ceil(
    (depth.queued + depth.running) / Math.max(1, concurrency),
  );
  return Math.min(max, Math.max(min, needed));
}

function concurrencyOf(object: KubernetesObject): number {
  const value = Number(
    stringMap(object.metadata.annotations)[ASTRO_ANNOTATIONS.workerConcurrency],
  );
  return Number.isInteger(value) && value > 0
    ? value
    : DEFAULT_WORKER_CONCURRENCY;
}

function scaleTarget(
  context: ControllerContext,
  target: KubernetesObject,
  type: ResourceType,
  replicas: number,
  manager: string,
): void {
  context.api.controllerWrite(
    type,
    { ...target, spec: { ...record(target.spec), replicas } },
    manager,
    'scale',
  );
}

/** The replica count a paused ScaledObject holds its target at, if paused. */
function pausedReplicas(scaledObject: KubernetesObject): number | undefined {
  const value = stringMap(scaledObject.metadata.annotations)[
    PAUSED_REPLICAS_ANNOTATION
  ];
  if (value === undefined) {
    return undefined;
  }
  const count = Number(value);
  return Number.isInteger(count) && count >= 0 ? count : undefined;
}

/** Reconciles a ScaledObject. */
export function reconcileScaledObject(
  context: ControllerContext,
  namespace: string,
  name: string,
): void {
  if (!context.kedaEnabled()) {
    return;
  }
  const scaledObject = context.store.get(SCALED_OBJECT, namespace, name);
  if (!scaledObject || scaledObject.metadata.deletionTimestamp) {
    return;
  }
  const targetName =
    str(at(scaledObject, 'spec', 'scaleTargetRef', 'name')) ?? '';
  const type = targetType(
    str(at(scaledObject, 'spec', 'scaleTargetRef', 'kind')),
  );
  const target = type && context.store.get(type, namespace, targetName);
  if (!type || !target) {
    writeStatus(context, SCALED_OBJECT, scaledObject, {
      ...record(scaledObject.status),
      conditions: withCondition(scaledObject, {
        type: 'Ready',
        status: 'False',
        reason: 'ScaledObjectCheckFailed',
        message: "Target resource doesn't exist",
      }),
    });
    return;
  }
  const current = desiredReplicas(target);
  const paused = pausedReplicas(scaledObject);
  if (paused !== undefined) {
    if (current !== paused) {
      scaleTarget(context, target, type, paused, 'keda-operator');
    }
    writeStatus(context, SCALED_OBJECT, scaledObject, {
      ...record(scaledObject.status),
      pausedReplicaCount: paused,
      conditions: withCondition(
        scaledObject,
        {
          type: 'Paused',
          status: 'True',
          reason: 'ScaledObjectPaused',
          message: 'ScaledObject is paused',
        },
        withCondition(scaledObject, {
          type: 'Ready',
          status: 'True',
          reason: 'ScaledObjectReady',
          message: 'ScaledObject is defined correctly and is ready for scaling',
        }),
      ),
    });
    return;
  }
  const queue =
    stringMap(scaledObject.metadata.labels)[ASTRO_LABELS.queue] ?? 'default';
  const depth = context.state.queueDepth(namespace, queue);
  const desired = workersFor(
    depth,
    concurrencyOf(scaledObject),
    num(at(scaledObject, 'spec', 'minReplicaCount')) ?? 0,
    num(at(scaledObject, 'spec', 'maxReplicaCount')) ?? 100,
  );
  if (current !== desired) {
    scaleTarget(context, target, type, desired, 'keda-operator');
    if (current === 0 || desired === 0) {
      context.events.normal(
        scaledObject,
        desired > 0 ? 'KEDAScaleTargetActivated' : 'KEDAScaleTargetDeactivated',
        desired > 0
          ? `Scaled ${gvkString(
              type,
            )} ${namespace}/${targetName} from ${current} to ${desired}`
          : `Deactivated ${gvkString(
              type,
            )} ${namespace}/${targetName} from ${current} to 0`,
        'keda-operator',
      );
    }
  }
  const active = depth.queued + depth.running > 0;
  let conditions = withCondition(scaledObject, {
    type: 'Ready',
    status: 'True',
    reason: 'ScaledObjectReady',
    message: 'ScaledObject is defined correctly and is ready for scaling',
  });
  conditions = withCondition(
    scaledObject,
    {
      type: 'Active',
      status: active ? 'True' : 'False',
      reason: active ? 'ScalerActive' : 'ScalerNotActive',
      message: active
        ? 'Scaling is performed because triggers are active'
        : 'Scaling is not performed because triggers are not active',
    },
    conditions,
  );
  conditions = withCondition(
    scaledObject,
    {
      type: 'Fallback',
      status: 'False',
      reason: 'NoFallbackFound',
      message: 'No fallback was found',
    },
    conditions,
  );
  if (conditions.some(c => c.type === 'Paused')) {
    conditions = withCondition(
      scaledObject,
      {
        type: 'Paused',
        status: 'False',
        reason: 'ScaledObjectUnpaused',
        message: 'pause annotation removed for ScaledObject',
      },
      conditions,
    );
  }
  writeStatus(context, SCALED_OBJECT, scaledObject, {
    scaleTargetKind: gvkString(type),
    scaleTargetGVKR: {
      group: type.group,
      version: type.version,
      kind: type.kind,
      resource: type.plural,
    },
    originalReplicaCount:
      num(at(scaledObject, 'status', 'originalReplicaCount')) ?? current,
    hpaName: `keda-hpa-${name}`,
    lastActiveTime:
      active && !scaledObject.status
        ? now()
        : at(scaledObject, 'status', 'lastActiveTime') ??
          (active ? now() : undefined),
    conditions,
  });
}

/** Reconciles a HorizontalPodAutoscaler. */
export function reconcileHorizontalPodAutoscaler(
  context: ControllerContext,
  namespace: string,
  name: string,
): void {
  const hpa = context.store.get(HPA, namespace, name);
  if (!hpa || hpa.metadata.deletionTimestamp) {
    return;
  }
  const targetName = str(at(hpa, 'spec', 'scaleTargetRef', 'name')) ?? '';
  const type = targetType(str(at(hpa, 'spec', 'scaleTargetRef', 'kind')));
  const target = type && context.store.get(type, namespace, targetName);
  const min = Math.max(1, num(at(hpa, 'spec', 'minReplicas')) ?? 1);
  const max = Math.max(min, num(at(hpa, 'spec', 'maxReplicas')) ?? min);
  if (!type || !target) {
    writeStatus(context, HPA, hpa, {
      currentReplicas: 0,
      desiredReplicas: 0,
      conditions: withCondition(hpa, {
        type: 'AbleToScale',
        status: 'False',
        reason: 'FailedGetScale',
        message: `the HPA controller was unable to get the target's current scale: ${targetName} not found`,
      }),
    });
    return;
  }
  const current = desiredReplicas(target);
  const queue = stringMap(hpa.metadata.labels)[ASTRO_LABELS.queue];
  const hasLoadSignal =
    queue !== undefined &&
    stringMap(hpa.metadata.annotations)[ASTRO_ANNOTATIONS.workerConcurrency] !==
      undefined;
  const desired = hasLoadSignal
    ? workersFor(
        context.state.queueDepth(namespace, queue),
        concurrencyOf(hpa),
        min,
        max,
      )
    : Math.min(max, Math.max(min, current));
  if (current !== desired) {
    scaleTarget(context, target, type, desired, 'kube-controller-manager');
    context.events.normal(
      hpa,
      'SuccessfulRescale',
      `New size: ${desired}; reason: ${
        hasLoadSignal ? 'simulated load' : 'replica count outside the range'
      }`,
      'horizontal-pod-autoscaler',
    );
  }
  let conditions = withCondition(hpa, {
    type: 'AbleToScale',
    status: 'True',
    reason: 'ReadyForNewScale',
    message: 'recommended size matches current size',
  });
  conditions = withCondition(
    hpa,
    {
      type: 'ScalingActive',
      status: 'True',
      reason: 'ValidMetricFound',
      message: 'the HPA was able to successfully calculate a replica count',
    },
    conditions,
  );
  writeStatus(context, HPA, hpa, {
    currentReplicas: num(at(target, 'status', 'replicas')) ?? current,
    desiredReplicas: desired,
    lastScaleTime:
      current !== desired ? now() : at(hpa, 'status', 'lastScaleTime'),
    conditions,
  });
}
