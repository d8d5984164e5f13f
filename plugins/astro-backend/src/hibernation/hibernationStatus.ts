import {
  ASTRO_LABELS,
  DeploymentStatus,
} from '@airflow-portal/plugin-astro-common';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { HIBERNATING_COMPONENTS } from './hibernateRender';

/** What the status evaluation knows about hibernation. */
export interface HibernationStatusInput {
  /** Whether the planner says the Deployment hibernates now. */
  hibernating: boolean;
  /** The planner's reason. */
  reason: string;
  /** When it next wakes, if it will. */
  nextWakeAt?: string;
}

/** How hibernation bends the status. */
export interface HibernationVerdict {
  /**
   * `hibernating`: HIBERNATING wins over everything but deletion and engine
   * failures. `waking`: DEPLOYING unless a component fails.
   */
  phase: 'hibernating' | 'waking';
  status: DeploymentStatus;
  reason: string;
}

/** Components that run at least one replica whenever the Deployment is awake. */
const ALWAYS_RUNNING = new Set(
  [...HIBERNATING_COMPONENTS].filter(c => c !== 'worker'),
);

function componentOf(object: KubernetesObject) {
  return object.metadata.labels?.[ASTRO_LABELS.component];
}

function specReplicas(object: KubernetesObject): number | undefined {
  const replicas = (object.spec as { replicas?: unknown } | undefined)
    ?.replicas;
  return typeof replicas === 'number' ? replicas : undefined;
}

/**
 * HIBERNATING while the planner says so (the reason tells whether pods are
 * still stopping); DEPLOYING while an awake Deployment's components are
 * still scaled to zero from a hibernation (the wake-up has not reached the
 * cluster yet; once it has, the usual readiness rules say DEPLOYING until
 * everything is ready). Undefined when hibernation has nothing to say.
 */
export function hibernationVerdict(
  input: HibernationStatusInput | undefined,
  live: ReadonlyMap<string, KubernetesObject>,
): HibernationVerdict | undefined {
  if (!input) {
    return undefined;
  }
  const objects = [...live.values()];
  if (input.hibernating) {
    const stopping = objects.filter(
      o =>
        o.kind === 'Pod' &&
        HIBERNATING_COMPONENTS.has(componentOf(o) ?? '') &&
        !o.metadata.deletionTimestamp,
    ).length;
    const until = input.nextWakeAt ? ` until ${input.nextWakeAt}` : '';
    return {
      phase: 'hibernating',
      status: 'HIBERNATING',
      reason:
        stopping > 0
          ? `${input.reason}: scaling to zero, ${stopping} pod${
              stopping === 1 ? '' : 's'
            } still running`
          : `${input.reason}: every component is scaled to zero${until}`,
    };
  }
  const asleep = objects.filter(
    o =>
      (o.kind === 'Deployment' || o.kind === 'StatefulSet') &&
      ALWAYS_RUNNING.has(componentOf(o) ?? '') &&
      specReplicas(o) === 0,
  );
  if (asleep.length > 0) {
    return {
      phase: 'waking',
      status: 'DEPLOYING',
      reason: `Waking up from hibernation: ${asleep
        .map(o => o.metadata.name)
        .sort()
        .join(', ')} still scaled to zero`,
    };
  }
  return undefined;
}
