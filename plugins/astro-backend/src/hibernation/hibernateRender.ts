import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import {
  contentHash,
  objectContentHash,
  RenderCondition,
  RenderedObject,
  RenderResult,
} from '../render';

/**
 * KEDA's documented pause annotation: KEDA scales the target to this many
 * replicas and stops autoscaling it until the annotation is removed.
 */
export const KEDA_PAUSED_REPLICAS_ANNOTATION =
  'autoscaling.keda.sh/paused-replicas';

/** The workloads hibernation scales to zero: every Airflow component. */
export const HIBERNATING_COMPONENTS: ReadonlySet<string> = new Set([
  'scheduler',
  'api-server',
  'webserver',
  'triggerer',
  'dag-processor',
  'worker',
]);

function isWorkload(object: KubernetesObject) {
  return object.kind === 'Deployment' || object.kind === 'StatefulSet';
}

function componentOf(object: KubernetesObject) {
  return object.metadata.labels?.[ASTRO_LABELS.component];
}

function withObject(
  rendered: RenderedObject,
  object: KubernetesObject,
  force?: boolean,
): RenderedObject {
  return {
    phase: rendered.phase,
    object,
    hash: objectContentHash(object),
    ...(force ? { force } : {}),
  };
}

function scaledToZero(object: KubernetesObject): KubernetesObject {
  return {
    ...object,
    spec: { ...(object.spec as Record<string, unknown>), replicas: 0 },
  };
}

/**
 * The objects of a hibernating Deployment: every Airflow component
 * (scheduler, API server or webserver, triggerer, DAG processor, workers)
 * scaled to zero; the namespace, configuration and secrets, the metadata
 * database with its pgbouncer and the Redis broker, the migration Job and
 * the DAG bundles stay as they are, so waking up is a scale-up and a
 * settings change while asleep still migrates.
 *
 * Workers: with KEDA their ScaledObjects carry the pause annotation with 0
 * replicas (KEDA scales them to zero and leaves them there); without KEDA
 * the CPU HPAs, which never go below one replica, are not rendered (so they
 * are pruned) and the worker Deployments are applied with zero replicas,
 * taking that field over from the HPA. On waking the HPAs come back with
 * their minimum and the field is released to them again.
 *
 * A pure function of the awake rendering.
 */
export function hibernateRender(result: RenderResult): RenderResult {
  const keda = result.objects.some(o => o.object.kind === 'ScaledObject');
  const objects: RenderedObject[] = [];
  for (const rendered of result.objects) {
    const { object } = rendered;
    const component = componentOf(object);
    if (object.kind === 'HorizontalPodAutoscaler') {
      continue;
    }
    if (object.kind === 'ScaledObject') {
      objects.push(
        withObject(rendered, {
          ...object,
          metadata: {
            ...object.metadata,
            annotations: {
              ...object.metadata.annotations,
              [KEDA_PAUSED_REPLICAS_ANNOTATION]: '0',
            },
          },
        }),
      );
      continue;
    }
    if (
      isWorkload(object) &&
      component !== undefined &&
      HIBERNATING_COMPONENTS.has(component)
    ) {
      if (component === 'worker' && keda) {
        // KEDA owns the replicas; the paused ScaledObject sets them to 0.
        objects.push(rendered);
      } else {
        objects.push(
          withObject(rendered, scaledToZero(object), component === 'worker'),
        );
      }
      continue;
    }
    objects.push(rendered);
  }
  const condition: RenderCondition = {
    type: 'Hibernating',
    status: 'True',
    reason: 'Hibernating',
    message:
      'Every Airflow component is scaled to zero; the metadata database, broker, secrets and deploys are kept.',
  };
  return {
    ...result,
    objects,
    conditions: [...result.conditions, condition],
    hash: contentHash(objects.map(o => o.hash)),
  };
}
