import {
  ASTRO_ANNOTATIONS,
  WorkerQueue,
} from '@airflow-portal/plugin-astro-common';
import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { RenderContext } from './context';
import { objectMetadata } from './labels';
import { NAMES } from './names';
import { kubernetesObject } from './objects';
import type { RenderCondition } from './types';
import { workerName } from './workers';

/** KEDA's `keda.sh/v1alpha1` ScaledObject, as far as the renderer writes it. */
interface ScaledObject {
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    pollingInterval: number;
    cooldownPeriod: number;
    minReplicaCount: number;
    maxReplicaCount: number;
    triggers: Array<{
      type: 'postgresql';
      metadata: Record<string, string>;
      authenticationRef: { name: string };
    }>;
  };
}

/** KEDA's `keda.sh/v1alpha1` TriggerAuthentication, as far as the renderer writes it. */
interface TriggerAuthentication {
  spec: {
    secretTargetRef: Array<{ parameter: string; name: string; key: string }>;
  };
}

/** The CPU utilization the HPA fallback aims for. */
export const HPA_FALLBACK_CPU_UTILIZATION = 70;

function sqlLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The number of workers a queue needs: its queued and running tasks divided
 * by the concurrency of one worker, rounded up.
 *
 * @public
 */
export function workerQueueQuery(queue: {
  name: string;
  concurrency: number;
}): string {
  return `SELECT ceil(COUNT(*)::decimal / ${
    queue.concurrency
  }) FROM task_instance WHERE (state='running' OR state='queued') AND queue = ${sqlLiteral(
    queue.name,
  )}`;
}

function autoscalerMetadata(ctx: RenderContext, queue: WorkerQueue) {
  return objectMetadata(ctx.deployment, workerName(queue), {
    component: 'worker',
    queue: queue.name,
    annotations: {
      [ASTRO_ANNOTATIONS.workerConcurrency]: String(queue.concurrency),
    },
  });
}

function scaleTargetRef(queue: WorkerQueue) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: workerName(queue) };
}

function renderKeda(ctx: RenderContext): KubernetesObject[] {
  return [
    kubernetesObject<TriggerAuthentication>(
      'keda.sh/v1alpha1',
      'TriggerAuthentication',
      objectMetadata(ctx.deployment, NAMES.triggerAuthentication, {
        component: 'worker',
      }),
      {
        spec: {
          secretTargetRef: [
            {
              parameter: 'connection',
              name: NAMES.metadataSecret,
              key: 'connection',
            },
          ],
        },
      },
    ),
    ...ctx.queues.map(queue =>
      kubernetesObject<ScaledObject>(
        'keda.sh/v1alpha1',
        'ScaledObject',
        autoscalerMetadata(ctx, queue),
        {
          spec: {
            scaleTargetRef: scaleTargetRef(queue),
            pollingInterval: 5,
            cooldownPeriod: 60,
            minReplicaCount: queue.minWorkers,
            maxReplicaCount: queue.maxWorkers,
            triggers: [
              {
                type: 'postgresql',
                metadata: {
                  query: workerQueueQuery(queue),
                  targetQueryValue: '1',
                },
                authenticationRef: { name: NAMES.triggerAuthentication },
              },
            ],
          },
        },
      ),
    ),
  ];
}

function renderHpas(ctx: RenderContext): KubernetesObject[] {
  return ctx.queues.map(queue => {
    const minReplicas = Math.max(1, queue.minWorkers);
    return kubernetesObject<V2HorizontalPodAutoscaler>(
      'autoscaling/v2',
      'HorizontalPodAutoscaler',
      autoscalerMetadata(ctx, queue),
      {
        spec: {
          scaleTargetRef: scaleTargetRef(queue),
          minReplicas,
          maxReplicas: Math.max(minReplicas, queue.maxWorkers),
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: {
                  type: 'Utilization',
                  averageUtilization: HPA_FALLBACK_CPU_UTILIZATION,
                },
              },
            },
          ],
        },
      },
    );
  });
}

/**
 * The `autoscaling` phase: per worker queue a KEDA ScaledObject scaling on
 * the queue's tasks, or, on a cluster without KEDA, an HPA on CPU that never
 * scales to zero, reported as a `WorkersAutoscaling` condition.
 */
export function renderAutoscaling(ctx: RenderContext): {
  objects: KubernetesObject[];
  conditions: RenderCondition[];
} {
  if (!ctx.celery) {
    return { objects: [], conditions: [] };
  }
  if (ctx.keda) {
    return {
      objects: renderKeda(ctx),
      conditions: [
        {
          type: 'WorkersAutoscaling',
          status: 'True',
          reason: 'KedaScaledObjects',
          message:
            'Workers scale with the queued and running tasks of their queue.',
        },
      ],
    };
  }
  return {
    objects: renderHpas(ctx),
    conditions: [
      {
        type: 'WorkersAutoscaling',
        status: 'False',
        reason: 'KedaMissing',
        message:
          'The cluster does not serve KEDA (keda.sh/v1alpha1): workers scale on CPU with a HorizontalPodAutoscaler and keep at least one worker per queue. Install KEDA to scale on queued tasks and to zero.',
      },
    ],
  };
}
